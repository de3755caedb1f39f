// `yq import`: MediaCrawler output and vendor exports into the ordinary ingest path (normalise, monitoring schemes,
// dedupe, analysis queue) as mentions of an import source, created on first use.
import { readdir, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { createLogger, NonRetryableError, type Clock } from '@yuqing/core';
import { ensureImportSource, type Db } from '@yuqing/db';
import type { RawMention } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { ingestMentions } from './ingest.ts';
import {
  mapColumnsRow,
  mapMediaCrawlerRow,
  MEDIACRAWLER_PLATFORMS,
  PLATFORM_NAMES,
  type ColumnMapping,
  type ImportRejection,
  type MappedRow,
  type MediaCrawlerPlatform,
  type RecordKind,
} from './import-mapping.ts';
import { formatOfFile, readRowTables, type RowTable } from './import-readers.ts';

const log = createLogger('import');

/** Mentions stored per ingest call: one insert each, so a large export neither holds memory nor one huge statement. */
export const IMPORT_BATCH_ROWS = 500;

/** A rejected row and the file it came from. */
export interface FileRejection extends ImportRejection {
  file: string;
}

/** What an import did. */
export interface ImportSummary {
  /** Files (SQLite: tables) read. */
  files: number;
  rows: number;
  stored: number;
  /** Already stored (this import run twice, or the same post from another export). */
  duplicates: number;
  /** Left out by the monitoring schemes. */
  filtered: number;
  rejected: FileRejection[];
  /** Files or tables that hold no posts or comments (creators, word clouds, unknown tables). */
  skipped: string[];
}

/** Options for the import functions. */
export interface ImportOptions {
  db: Db;
  /** When given, stored mentions are announced to the analysis queue (as crawled ones are). */
  queues?: JobQueues;
  timeZone: string;
  clock?: Clock;
  /** Called as rows are stored: rows done, rows in all. */
  onProgress?: (done: number, total: number) => void;
}

/** Directory or file name aliases MediaCrawler and its users give the platforms. */
const PLATFORM_ALIASES: Record<string, MediaCrawlerPlatform> = {
  xhs: 'xhs',
  xiaohongshu: 'xhs',
  douyin: 'douyin',
  dy: 'douyin',
  kuaishou: 'kuaishou',
  ks: 'kuaishou',
  bilibili: 'bilibili',
  bili: 'bilibili',
  weibo: 'weibo',
  wb: 'weibo',
  tieba: 'tieba',
  zhihu: 'zhihu',
};

/** MediaCrawler's SQLite tables (database/models.py) → platform and kind; other tables hold no posts. */
const SQLITE_TABLES: Record<string, [MediaCrawlerPlatform, RecordKind]> = {
  xhs_note: ['xhs', 'content'],
  xhs_note_comment: ['xhs', 'comment'],
  douyin_aweme: ['douyin', 'content'],
  douyin_aweme_comment: ['douyin', 'comment'],
  kuaishou_video: ['kuaishou', 'content'],
  kuaishou_video_comment: ['kuaishou', 'comment'],
  bilibili_video: ['bilibili', 'content'],
  bilibili_video_comment: ['bilibili', 'comment'],
  weibo_note: ['weibo', 'content'],
  weibo_note_comment: ['weibo', 'comment'],
  tieba_note: ['tieba', 'content'],
  tieba_comment: ['tieba', 'comment'],
  zhihu_content: ['zhihu', 'content'],
  zhihu_comment: ['zhihu', 'comment'],
};

/** Platform by the record's own fields, for files saved outside MediaCrawler's `data/<platform>/` layout. */
function platformOfRow(row: Record<string, unknown>): MediaCrawlerPlatform | undefined {
  if ('aweme_id' in row) return 'douyin';
  if ('content_id' in row || 'voteup_count' in row) return 'zhihu';
  if ('tieba_name' in row || 'total_replay_num' in row) return 'tieba';
  if ('video_play_count' in row || 'video_danmaku' in row) return 'bilibili';
  if ('viewd_count' in row) return 'kuaishou';
  const url = String(row.note_url ?? row.video_url ?? '');
  if (url.includes('weibo')) return 'weibo';
  if (url.includes('xiaohongshu')) return 'xhs';
  if ('note_id' in row) return 'comments_count' in row || 'shared_count' in row ? 'weibo' : 'xhs';
  return undefined;
}

function fileKind(path: string): RecordKind | 'skip' | undefined {
  const name = basename(path).toLowerCase();
  if (/creator|wordcloud|dynamic/.test(name)) return 'skip';
  if (name.includes('comment')) return 'comment';
  if (name.includes('content') || name.includes('note') || name.includes('video')) return 'content';
  return undefined;
}

function filePlatform(path: string): MediaCrawlerPlatform | undefined {
  for (const part of path.toLowerCase().split(sep).reverse()) {
    const alias = PLATFORM_ALIASES[part];
    if (alias) return alias;
  }
  const name = basename(path).toLowerCase();
  return MEDIACRAWLER_PLATFORMS.find((p) => name.startsWith(`${p}_`));
}

async function listFiles(target: string): Promise<string[]> {
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    throw new NonRetryableError('IMPORT_UNREADABLE', `cannot read ${target}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!info.isDirectory()) return [target];
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && formatOfFile(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

interface Batch {
  sourceUrl: string;
  sourceName: string;
  file: string;
  mapped: MappedRow[];
}

async function store(batches: Batch[], options: ImportOptions, summary: ImportSummary): Promise<void> {
  const total = batches.reduce((n, b) => n + b.mapped.length, 0);
  let done = 0;
  const sources = new Map<string, number>();
  for (const batch of batches) {
    let sourceId = sources.get(batch.sourceUrl);
    if (sourceId === undefined) {
      sourceId = await ensureImportSource(options.db, { name: batch.sourceName, url: batch.sourceUrl });
      sources.set(batch.sourceUrl, sourceId);
    }
    const mentions: RawMention[] = [];
    for (const m of batch.mapped) {
      if ('rejection' in m) summary.rejected.push({ file: batch.file, ...m.rejection });
      else mentions.push(m.mention);
    }
    summary.rows += batch.mapped.length;
    done += batch.mapped.length - mentions.length;
    for (let start = 0; start < mentions.length; start += IMPORT_BATCH_ROWS) {
      const slice = mentions.slice(start, start + IMPORT_BATCH_ROWS);
      const result = await ingestMentions(options.db, slice, {
        sourceId,
        ...(options.queues ? { queues: options.queues } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      });
      summary.stored += result.stored;
      summary.duplicates += result.duplicates;
      summary.filtered += result.filtered;
      done += slice.length;
      options.onProgress?.(done, total);
    }
  }
  options.onProgress?.(total, total);
}

function emptySummary(): ImportSummary {
  return { files: 0, rows: 0, stored: 0, duplicates: 0, filtered: 0, rejected: [], skipped: [] };
}

/**
 * Imports MediaCrawler output: a `data/` directory (any of `<platform>/{json,jsonl,csv}/*_{contents,comments}_*`)
 * or one file, including its SQLite database (`sqlite_tables.db`). Posts and comments of every platform become
 * mentions of the import source `import://mediacrawler/<platform>`. Throws `IMPORT_UNREADABLE` only when a file
 * cannot be read at all; a bad row is reported in `rejected` with its line and field.
 */
export async function importMediaCrawler(target: string, options: ImportOptions): Promise<ImportSummary> {
  const summary = emptySummary();
  const batches: Batch[] = [];
  const add = (table: RowTable, file: string, platform: MediaCrawlerPlatform, kind: RecordKind) => {
    summary.files++;
    batches.push({
      sourceUrl: `import://mediacrawler/${platform}`,
      sourceName: `MediaCrawler ${PLATFORM_NAMES[platform]}`,
      file,
      mapped: table.rows.map(({ line, row }) =>
        '__unparsable' in row
          ? { rejection: { line, field: 'line', reason: 'not JSON' } }
          : mapMediaCrawlerRow(platform, kind, row, line, { timeZone: options.timeZone }),
      ),
    });
  };
  for (const file of await listFiles(target)) {
    const format = formatOfFile(file);
    if (format === 'sqlite') {
      for (const table of await readRowTables(file, format)) {
        const known = SQLITE_TABLES[table.name];
        if (known) add(table, `${file}:${table.name}`, ...known);
        else summary.skipped.push(`${file}:${table.name}`);
      }
      continue;
    }
    const kind = fileKind(file);
    if (kind === 'skip') {
      summary.skipped.push(file);
      continue;
    }
    const [table] = await readRowTables(file, format);
    const sample = table?.rows.find((r) => !('__unparsable' in r.row))?.row ?? {};
    const platform = filePlatform(file) ?? platformOfRow(sample);
    const rowKind = kind ?? ('comment_id' in sample ? 'comment' : 'content');
    if (!table || !platform) {
      summary.skipped.push(file);
      continue;
    }
    add(table, file, platform, rowKind);
  }
  await store(batches, options, summary);
  log.info({ files: summary.files, stored: summary.stored, rejected: summary.rejected.length }, 'import done');
  return summary;
}

/**
 * Imports a vendor export (CSV or XLSX) with `mapping` naming its columns, as mentions of the import source
 * `import://file/<file name>`. Same errors and summary as {@link importMediaCrawler}.
 */
export async function importColumns(
  file: string,
  format: 'csv' | 'xlsx',
  mapping: ColumnMapping,
  options: ImportOptions,
): Promise<ImportSummary> {
  const summary = emptySummary();
  const [table] = await readRowTables(file, format);
  const name = basename(file);
  const sourceUrl = `import://file/${encodeURIComponent(name)}`;
  const header = new Set(Object.keys(table?.rows[0]?.row ?? {}));
  const missing = Object.entries(mapping).filter(([, column]) => table?.rows.length && !header.has(column!));
  if (missing.length > 0)
    throw new NonRetryableError(
      'USAGE',
      `${file} has no column ${missing.map(([f, c]) => `${JSON.stringify(c)} (for ${f})`).join(', ')}; its columns: ${[...header].join(', ')}`,
    );
  summary.files = 1;
  await store(
    [
      {
        sourceUrl,
        sourceName: `导入 ${name}`,
        file,
        mapped: (table?.rows ?? []).map(({ line, row }) =>
          mapColumnsRow(mapping, row, line, { timeZone: options.timeZone, sourceUrl }),
        ),
      },
    ],
    options,
    summary,
  );
  return summary;
}
