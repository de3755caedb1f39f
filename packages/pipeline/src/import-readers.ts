// Reading import files into rows: JSON (an array, or one object per line), CSV, XLSX and SQLite, each row with the
// line a person would look for it at. Libraries: csv-parse (quoting, BOM, line numbers), exceljs (XLSX),
// better-sqlite3 (MediaCrawler's `sqlite` store; node:sqlite needs Node 22.5, this project runs on 20).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { NonRetryableError } from '@yuqing/core';

/** A row of an import file and where it stands. */
export interface SourceRow {
  /** 1-based: the CSV/XLSX row (header = 1), the JSON array position or JSONL line, the SQLite rowid. */
  line: number;
  row: Record<string, unknown>;
  /**
   * CSV only: the record's field count when it differs from the header's (a stray delimiter, a missing
   * column). The row still holds the header's fields; whether that rejects the row is the caller's rule.
   */
  fieldCount?: number;
}

/** One table of a file: the whole file, or one SQLite table. */
export interface RowTable {
  /** SQLite table name, else the file name. */
  name: string;
  rows: SourceRow[];
  /** CSV and XLSX: the header row's column names, in order (empty names left out). */
  columns?: string[];
}

/** Import file formats by extension. */
export type ImportFileFormat = 'json' | 'jsonl' | 'csv' | 'xlsx' | 'sqlite';

/** The format of a file by its extension, or undefined. */
export function formatOfFile(path: string): ImportFileFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.jsonl') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.db' || ext === '.sqlite' || ext === '.sqlite3') return 'sqlite';
  return undefined;
}

function unreadable(path: string, why: string, cause?: unknown): NonRetryableError {
  return new NonRetryableError('IMPORT_UNREADABLE', `cannot read ${path}: ${why}`, cause ? { cause } : {});
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readJson(path: string): Promise<SourceRow[]> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw unreadable(path, `not JSON (${(error as Error).message})`, error);
  }
  const list = Array.isArray(data) ? data : [data];
  return list.flatMap((row, i) => (isObject(row) ? [{ line: i + 1, row }] : []));
}

async function readJsonl(path: string): Promise<SourceRow[]> {
  const lines = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '').split('\n');
  const rows: SourceRow[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      // A broken line is the row's problem, not the file's: it is reported as rejected.
      rows.push({ line: i + 1, row: { __unparsable: line.slice(0, 80) } });
      continue;
    }
    if (isObject(row)) rows.push({ line: i + 1, row });
  }
  return rows;
}

async function readCsv(path: string): Promise<{ columns: string[]; rows: SourceRow[] }> {
  const { parse } = await import('csv-parse/sync');
  const buffer = await readFile(path);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // Records as arrays, keyed by the header here: the field count of each record stays known.
    records = parse(buffer, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    throw unreadable(path, `not CSV (${(error as Error).message})`, error);
  }
  const [first, ...rest] = records;
  if (!first) return { columns: [], rows: [] };
  const header = first.record.map((h) => h.trim());
  // csv-parse counts the line a record ends on; a quoted field may span lines, so a record starts on the line
  // after the previous one ended (the line a text editor shows it at).
  let previousEnd = first.info.lines;
  const rows = rest.map(({ record, info }): SourceRow => {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    const row: Record<string, unknown> = {};
    header.forEach((name, col) => {
      if (name) row[name] = record[col] ?? '';
    });
    return record.length === header.length ? { line, row } : { line, row, fieldCount: record.length };
  });
  return { columns: header.filter(Boolean), rows };
}

async function readXlsx(path: string): Promise<{ columns: string[]; rows: SourceRow[] }> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw unreadable(path, `not an XLSX workbook (${(error as Error).message})`, error);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { columns: [], rows: [] };
  const header: string[] = [];
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (excelRow, rowNumber) => {
    const values: string[] = [];
    excelRow.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col] = cell.value instanceof Date ? cell.value.toISOString() : cell.text;
    });
    if (header.length === 0) {
      values.forEach((v, col) => (header[col] = String(v ?? '').trim()));
      return;
    }
    const row: Record<string, unknown> = {};
    header.forEach((name, col) => {
      if (name) row[name] = values[col] ?? '';
    });
    rows.push({ line: rowNumber, row });
  });
  return { columns: header.filter(Boolean), rows };
}

async function readSqlite(path: string): Promise<RowTable[]> {
  const { default: Database } = await import('better-sqlite3');
  let db: InstanceType<typeof Database>;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as Array<{ name: string }>;
    const out: RowTable[] = [];
    for (const { name } of tables) {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const rows = db.prepare(`SELECT rowid AS __rowid, * FROM ${quoted}`).all() as Array<Record<string, unknown>>;
      out.push({ name, rows: rows.map(({ __rowid, ...row }) => ({ line: Number(__rowid), row })) });
    }
    db.close();
    return out;
  } catch (error) {
    throw unreadable(path, `not a SQLite database (${(error as Error).message})`, error);
  }
}

/**
 * Reads every table of one file. Throws `IMPORT_UNREADABLE` when the file cannot be read as its format, and
 * `NOT_FOUND` when there is no such file.
 */
export async function readRowTables(path: string, format = formatOfFile(path)): Promise<RowTable[]> {
  if (!format) throw unreadable(path, 'unknown file type (expected .json, .jsonl, .csv, .xlsx, .db or .sqlite)');
  try {
    if (format === 'sqlite') return await readSqlite(path);
    if (format === 'csv' || format === 'xlsx') {
      const { columns, rows } = format === 'csv' ? await readCsv(path) : await readXlsx(path);
      return [{ name: path, rows, columns }];
    }
    return [{ name: path, rows: format === 'json' ? await readJson(path) : await readJsonl(path) }];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ((error as Error).cause as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') throw new NonRetryableError('NOT_FOUND', `file not found: ${path}`, { cause: error });
    if (error instanceof NonRetryableError) throw error;
    throw unreadable(path, (error as Error).message, error);
  }
}
