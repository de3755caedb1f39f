// The reply library: importing the bureau's archive of past official replies (CSV or XLSX) and finding the past
// replies most similar to a new message or issue. Reading files and tokenising happen here; packages/db stores,
// packages/nlp ranks.
import { NonRetryableError, createLogger } from '@yuqing/core';
import { replyContentHash } from '@yuqing/domain';
import {
  insertReplyRecords,
  listReplyRecords,
  replyLibraryVersion,
  saveReplyTokens,
  type Db,
  type ReplyRecordInsert,
  type StoredReplyRecord,
} from '@yuqing/db';
import { ReplyIndex, parseSourceTime, tokenise, type ReplyIndexDoc } from '@yuqing/nlp';
import { formatOfFile, readRowTables, type SourceRow } from './import-readers.ts';

const log = createLogger('reply-library');

/** Fields an archive row maps to; question and answer are required. */
export const REPLY_IMPORT_FIELDS = ['question', 'answer', 'title', 'department', 'time'] as const;
/** One of {@link REPLY_IMPORT_FIELDS}. */
export type ReplyImportField = (typeof REPLY_IMPORT_FIELDS)[number];
/** Which archive column (by header name) holds each field. */
export type ReplyColumnMap = Partial<Record<ReplyImportField, string>> & { question: string; answer: string };

/** Rows stored per insert. */
const IMPORT_BATCH_ROWS = 500;
/** Longest question or answer accepted, in characters (a whole document pasted into one cell is not a reply). */
export const MAX_REPLY_CHARS = 50_000;
/** Characters of an answer shown as the excerpt of a similar reply. */
const EXCERPT_CHARS = 120;

/** What an import did. */
export interface ReplyImportSummary {
  /** Data rows read (header and blank lines not counted). */
  rows: number;
  stored: number;
  /** Rows whose reply is already in the library (or earlier in the same file), with their line numbers. */
  duplicates: { line: number }[];
  /** Rows not stored, with their line numbers and why. */
  rejected: { line: number; reason: string }[];
}

/**
 * Parses `--columns question=留言详情,answer=答复意见,…` into a column map. Question and answer are required;
 * unknown field names are refused.
 */
export function parseReplyColumns(spec: string): ReplyColumnMap {
  const map: Partial<Record<ReplyImportField, string>> = {};
  for (const part of spec.split(/[,，]/)) {
    if (!part.trim()) continue;
    const [field, column] = part.split('=').map((s) => s.trim());
    if (!field || !column || !(REPLY_IMPORT_FIELDS as readonly string[]).includes(field))
      throw new NonRetryableError(
        'USAGE',
        `--columns: expected field=column with field one of ${REPLY_IMPORT_FIELDS.join(', ')} (got "${part}")`,
      );
    map[field as ReplyImportField] = column;
  }
  if (!map.question || !map.answer)
    throw new NonRetryableError('USAGE', '--columns: question=… and answer=… are required');
  return map as ReplyColumnMap;
}

/** A cell as text (the readers give strings; JSON-like values are not expected in an archive). */
function cell(row: SourceRow, column: string | undefined): string {
  const value = column ? row.row[column] : undefined;
  return value === null || value === undefined ? '' : String(value).trim();
}

function toInsert(row: SourceRow, columns: ReplyColumnMap): ReplyRecordInsert | string {
  if (row.fieldCount !== undefined) return `字段数不符（${row.fieldCount} 列）`;
  const question = cell(row, columns.question);
  const answer = cell(row, columns.answer);
  const title = cell(row, columns.title);
  if (!question && !title) return '留言内容为空';
  if (!answer) return '答复内容为空';
  if (question.length > MAX_REPLY_CHARS || answer.length > MAX_REPLY_CHARS) return `内容超过 ${MAX_REPLY_CHARS} 字`;
  let repliedAt: Date | null = null;
  const time = cell(row, columns.time);
  if (time) {
    try {
      repliedAt = new Date(parseSourceTime(time));
    } catch {
      return `答复时间无法识别：${time.slice(0, 30)}`;
    }
  }
  const department = cell(row, columns.department) || null;
  return {
    source: 'import',
    title: title || null,
    question: question || title,
    answer,
    department,
    repliedAt,
    questionTokens: tokenise(`${title}\n${question}`).join(' '),
    answerTokens: tokenise(answer).join(' '),
  };
}

/**
 * Imports an archive of past replies (XLSX by the file's extension, else CSV) into the reply library, read by the
 * same readers as `yq import` (line numbers as a person finds them: CSV lines, sheet rows). Idempotent: a reply
 * already stored (same content hash) is counted as a duplicate, never stored twice. Rows that cannot be used are
 * rejected with their line numbers; the others are stored.
 * @throws NonRetryableError `NOT_FOUND`, `IMPORT_UNREADABLE` (not CSV / not a workbook) or `REPLY_IMPORT_COLUMNS`.
 */
export async function importReplyArchive(db: Db, file: string, columns: ReplyColumnMap): Promise<ReplyImportSummary> {
  const [table] = await readRowTables(file, formatOfFile(file) === 'xlsx' ? 'xlsx' : 'csv');
  const parsed = { header: table?.columns ?? [], rows: table?.rows ?? [] };
  const missing = Object.values(columns).filter((c) => !parsed.header.includes(c));
  if (missing.length > 0)
    throw new NonRetryableError(
      'REPLY_IMPORT_COLUMNS',
      `columns not in the file's header: ${missing.join(', ')} (header: ${parsed.header.join(', ')})`,
    );
  const summary: ReplyImportSummary = { rows: parsed.rows.length, stored: 0, duplicates: [], rejected: [] };
  const seen = new Set<string>();
  for (let start = 0; start < parsed.rows.length; start += IMPORT_BATCH_ROWS) {
    const batch: { line: number; insert: ReplyRecordInsert; hash: string }[] = [];
    for (const row of parsed.rows.slice(start, start + IMPORT_BATCH_ROWS)) {
      const insert = toInsert(row, columns);
      if (typeof insert === 'string') {
        summary.rejected.push({ line: row.line, reason: insert });
        continue;
      }
      const hash = replyContentHash(insert);
      if (seen.has(hash)) {
        summary.duplicates.push({ line: row.line });
        continue;
      }
      seen.add(hash);
      batch.push({ line: row.line, insert, hash });
    }
    const stored = await insertReplyRecords(
      db,
      batch.map((b) => b.insert),
    );
    for (const b of batch)
      if (stored.has(b.hash)) summary.stored += 1;
      else summary.duplicates.push({ line: b.line });
  }
  summary.duplicates.sort((a, b) => a.line - b.line);
  log.info(
    {
      rows: summary.rows,
      stored: summary.stored,
      duplicates: summary.duplicates.length,
      rejected: summary.rejected.length,
    },
    'reply archive imported',
  );
  return summary;
}

/** A past reply similar to the query. */
export interface SimilarReply {
  id: number;
  score: number;
  /** Shared key terms: why it matched. */
  why: string[];
  title: string | null;
  excerpt: string;
  /** The whole answer, to start a draft from. */
  answer: string;
  department: string | null;
  time: string | null;
  source: string;
  responseId: number | null;
}

interface LoadedLibrary {
  key: string;
  index: ReplyIndex;
  records: Map<number, StoredReplyRecord>;
}

/**
 * The library's index, rebuilt only when records were added (count and newest id change): the dashboard asks
 * for similar replies on every workspace view, and rebuilding means reading every record.
 */
export class ReplyLibrary {
  private loaded: LoadedLibrary | null = null;

  constructor(private readonly db: Db) {}

  /** The `top` past replies most similar to a text (and its title, which weighs more). */
  async similar(query: { title?: string | null; text: string }, top: number): Promise<SimilarReply[]> {
    const library = await this.load();
    const titleTokens = query.title ? tokenise(query.title) : [];
    const tokens = tokenise(query.text);
    const matches = library.index.search({ titleTokens, tokens, text: `${query.title ?? ''}\n${query.text}` }, top);
    return matches.map((m) => {
      const r = library.records.get(m.id)!;
      return {
        id: r.id,
        score: m.score,
        why: m.sharedTerms,
        title: r.title,
        excerpt: excerpt(r.answer, m.sharedTerms),
        answer: r.answer,
        department: r.department,
        time: r.repliedAt ? r.repliedAt.toISOString() : null,
        source: r.source,
        responseId: r.responseId,
      };
    });
  }

  private async load(): Promise<LoadedLibrary> {
    const version = await replyLibraryVersion(this.db);
    if (version.unindexed > 0) await this.indexMissingTokens();
    const key = `${version.count}:${version.maxId}`;
    if (this.loaded?.key === key) return this.loaded;
    const records = await listReplyRecords(this.db);
    const docs: ReplyIndexDoc[] = [];
    for (const r of records) {
      const questionTokens = (r.questionTokens ?? '').split(' ').filter(Boolean);
      const answerTokens = (r.answerTokens ?? '').split(' ').filter(Boolean);
      const titleTokens = r.title ? tokenise(r.title) : [];
      docs.push({
        id: r.id,
        titleTokens,
        questionTokens,
        answerTokens,
        text: `${r.title ?? ''}\n${r.question}\n${r.answer}`,
      });
    }
    this.loaded = { key, index: new ReplyIndex(docs), records: new Map(records.map((r) => [r.id, r])) };
    return this.loaded;
  }

  /** Published responses join the library without tokens (no tokeniser in their transaction): add them here. */
  private async indexMissingTokens(): Promise<void> {
    const missing = (await listReplyRecords(this.db)).filter((r) => r.questionTokens === null);
    await saveReplyTokens(
      this.db,
      missing.map((r) => ({
        id: r.id,
        questionTokens: tokenise(`${r.title ?? ''}\n${r.question}`).join(' '),
        answerTokens: tokenise(r.answer).join(' '),
      })),
    );
    this.loaded = null;
  }
}

/** A piece of the answer around its first shared term (the greeting every reply opens with says nothing). */
function excerpt(answer: string, terms: string[]): string {
  const text = answer.replace(/\s+/gu, ' ').trim();
  let at = -1;
  for (const t of terms) {
    const i = text.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at - 20);
  const piece = text.slice(start, start + EXCERPT_CHARS);
  return `${start > 0 ? '…' : ''}${piece}${start + EXCERPT_CHARS < text.length ? '…' : ''}`;
}
