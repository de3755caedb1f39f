// The reply library (past official replies): storage only. Tokens are computed by packages/nlp and handed in;
// ranking happens in memory there too.
import { replyContentHash } from '@yuqing/domain';
import { prismaOf, type DbTx } from '../handle.ts';

/** Longest question text kept for a published response (the first mentions of its issue), in characters. */
const MAX_RESPONSE_QUESTION_CHARS = 4000;
/** Mentions of an issue read as its question. */
const RESPONSE_QUESTION_MENTIONS = 5;

/** A reply to store. */
export interface ReplyRecordInsert {
  source: 'import' | 'response';
  title: string | null;
  question: string;
  answer: string;
  department: string | null;
  repliedAt: Date | null;
  responseId?: number | null;
  questionTokens: string | null;
  answerTokens: string | null;
}

/** A stored reply as the similarity index reads it. */
export interface StoredReplyRecord {
  id: number;
  source: string;
  title: string | null;
  question: string;
  answer: string;
  department: string | null;
  repliedAt: Date | null;
  responseId: number | null;
  questionTokens: string | null;
  answerTokens: string | null;
}

/**
 * Stores replies; a reply whose content hash is already stored is skipped (imports are idempotent). Returns the
 * content hashes that were new, so the caller can tell stored from duplicate rows.
 */
export async function insertReplyRecords(handle: DbTx, rows: ReplyRecordInsert[]): Promise<Set<string>> {
  const db = prismaOf(handle);
  if (rows.length === 0) return new Set();
  const created = await db.replyRecord.createManyAndReturn({
    data: rows.map((r) => ({ ...r, responseId: r.responseId ?? null, contentHash: replyContentHash(r) })),
    skipDuplicates: true,
    select: { contentHash: true },
  });
  return new Set(created.map((c) => c.contentHash));
}

/** Every stored reply, oldest first (the library is thousands of rows: the similarity index holds them all). */
export async function listReplyRecords(handle: DbTx): Promise<StoredReplyRecord[]> {
  const db = prismaOf(handle);
  return db.replyRecord.findMany({
    orderBy: { id: 'asc' },
    select: {
      id: true,
      source: true,
      title: true,
      question: true,
      answer: true,
      department: true,
      repliedAt: true,
      responseId: true,
      questionTokens: true,
      answerTokens: true,
    },
  });
}

/** Number of stored replies and the newest id: the similarity index is rebuilt only when these change. */
export async function replyLibraryVersion(handle: DbTx): Promise<{ count: number; maxId: number; unindexed: number }> {
  const db = prismaOf(handle);
  const [agg, unindexed] = await Promise.all([
    db.replyRecord.aggregate({ _count: { _all: true }, _max: { id: true } }),
    db.replyRecord.count({ where: { questionTokens: null } }),
  ]);
  return { count: agg._count._all, maxId: agg._max.id ?? 0, unindexed };
}

/** Saves tokens computed for records stored without them (published responses). */
export async function saveReplyTokens(
  handle: DbTx,
  updates: { id: number; questionTokens: string; answerTokens: string }[],
): Promise<void> {
  const db = prismaOf(handle);
  for (const u of updates)
    await db.replyRecord.update({
      where: { id: u.id },
      data: { questionTokens: u.questionTokens, answerTokens: u.answerTokens },
    });
}

/**
 * The texts an issue's public raised (title and body of its first mentions) with the issue title: the question
 * that a response answers, for similar replies and the draft check.
 */
export async function issueQuestionTexts(
  handle: DbTx,
  issueId: number,
  limit = 20,
): Promise<{ title: string; mentions: { title: string; body: string }[] } | null> {
  const db = prismaOf(handle);
  const issue = await db.issue.findUnique({ where: { id: issueId }, select: { title: true } });
  if (!issue) return null;
  const mentions = await db.mention.findMany({
    where: { issueId, repostOfId: null },
    orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: { title: true, body: true },
  });
  return { title: issue.title, mentions };
}

/**
 * Adds a just-published response to the reply library inside the publish transaction, without tokens (they are
 * computed when the library is next searched). The question is the issue title and its first mentions' text.
 */
export async function addPublishedResponseReply(
  tx: DbTx,
  input: { responseId: number; issueId: number; answer: string; repliedAt: Date },
): Promise<void> {
  const found = await issueQuestionTexts(tx, input.issueId, RESPONSE_QUESTION_MENTIONS);
  const question = (found?.mentions ?? [])
    .map((m) => `${m.title}\n${m.body}`.trim())
    .join('\n')
    .slice(0, MAX_RESPONSE_QUESTION_CHARS);
  await insertReplyRecords(tx, [
    {
      source: 'response',
      title: found?.title ?? null,
      question: question || (found?.title ?? ''),
      answer: input.answer,
      department: null,
      repliedAt: input.repliedAt,
      responseId: input.responseId,
      questionTokens: null,
      answerTokens: null,
    },
  ]);
}
