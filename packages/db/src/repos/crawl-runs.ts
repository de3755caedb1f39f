import type { DbTx } from '../client.ts';
import { Prisma, type CrawlRunStatus } from '../generated/prisma/client.ts';

/** Opens a run for a source. */
export async function createCrawlRun(db: DbTx, input: { sourceId: number; trigger: string; workerId: string; status?: CrawlRunStatus }) {
  return db.crawlRun.create({ data: { sourceId: input.sourceId, trigger: input.trigger, workerId: input.workerId, status: input.status ?? 'running' } });
}

export async function getCrawlRun(db: DbTx, id: number) {
  return db.crawlRun.findUnique({ where: { id } });
}

/** The newest unfinished run of a source: a crawl whose worker died resumes it from its checkpoint. */
export async function findUnfinishedCrawlRun(db: DbTx, sourceId: number) {
  return db.crawlRun.findFirst({ where: { sourceId, status: { in: ['queued', 'running'] } }, orderBy: { id: 'desc' } });
}

/** Claims a run for this worker (resume) without touching its counters. */
export async function claimCrawlRun(db: DbTx, id: number, workerId: string): Promise<void> {
  await db.crawlRun.update({ where: { id }, data: { workerId, status: 'running' } });
}

/** Saves resumable state and progress counters. */
export async function saveCrawlCheckpoint(db: DbTx, id: number, input: { checkpoint: unknown; pagesFetched: number; itemsFound: number }): Promise<void> {
  await db.crawlRun.update({ where: { id }, data: { checkpoint: input.checkpoint as Prisma.InputJsonValue, pagesFetched: input.pagesFetched, itemsFound: input.itemsFound } });
}

/** Closes a run; its checkpoint is cleared so nothing resumes it. */
export async function finishCrawlRun(db: DbTx, id: number, outcome: { status: CrawlRunStatus; finishedAt: Date; pagesFetched: number; itemsFound: number; errorCode?: string | null; errorMessage?: string | null; blockedReason?: string | null }): Promise<void> {
  await db.crawlRun.update({
    where: { id },
    data: {
      status: outcome.status,
      finishedAt: outcome.finishedAt,
      pagesFetched: outcome.pagesFetched,
      itemsFound: outcome.itemsFound,
      errorCode: outcome.errorCode ?? null,
      errorMessage: outcome.errorMessage ?? null,
      blockedReason: outcome.blockedReason ?? null,
      checkpoint: Prisma.DbNull,
    },
  });
}

/** Ingest counts what it stored for a run. */
export async function addCrawlRunMentions(db: DbTx, id: number, count: number): Promise<void> {
  if (count <= 0) return;
  await db.crawlRun.updateMany({ where: { id }, data: { mentionsNew: { increment: count } } });
}

/** Most runs one call lists. */
const MAX_CRAWL_RUNS = 200;

/**
 * Recent runs of a source, newest first. The resumable checkpoint (a crawl's whole frontier) is left out unless
 * asked for: lists and the dashboard only show the counters.
 */
export async function listCrawlRuns(db: DbTx, sourceId: number, options: { limit?: number; withCheckpoint?: boolean } = {}) {
  return db.crawlRun.findMany({ where: { sourceId }, orderBy: { id: 'desc' }, take: Math.min(options.limit ?? 20, MAX_CRAWL_RUNS), omit: { checkpoint: !options.withCheckpoint } });
}

/** The subset of `urlHashes` already seen for a source. */
export async function findSeenUrlHashes(db: DbTx, sourceId: number, urlHashes: readonly string[]): Promise<Set<string>> {
  if (urlHashes.length === 0) return new Set();
  const rows = await db.seenUrl.findMany({ where: { sourceId, urlHash: { in: [...urlHashes] } }, select: { urlHash: true } });
  return new Set(rows.map((r) => r.urlHash));
}

/** Validators stored for a page (conditional requests). */
export async function getSeenUrl(db: DbTx, sourceId: number, urlHash: string) {
  return db.seenUrl.findUnique({ where: { sourceId_urlHash: { sourceId, urlHash } } });
}

/** Records URLs as seen (and page validators); idempotent. */
export async function markUrlsSeen(db: DbTx, sourceId: number, entries: ReadonlyArray<{ urlHash: string; url: string; etag?: string | null; lastModified?: string | null }>, at: Date): Promise<void> {
  if (entries.length === 0) return;
  const plain = entries.filter((e) => e.etag === undefined && e.lastModified === undefined);
  if (plain.length > 0) {
    await db.seenUrl.createMany({ data: plain.map((e) => ({ sourceId, urlHash: e.urlHash, url: e.url, firstSeenAt: at, lastSeenAt: at })), skipDuplicates: true });
  }
  for (const e of entries.filter((x) => x.etag !== undefined || x.lastModified !== undefined)) {
    await db.seenUrl.upsert({
      where: { sourceId_urlHash: { sourceId, urlHash: e.urlHash } },
      create: { sourceId, urlHash: e.urlHash, url: e.url, etag: e.etag ?? null, lastModified: e.lastModified ?? null, firstSeenAt: at, lastSeenAt: at },
      update: { etag: e.etag ?? null, lastModified: e.lastModified ?? null, lastSeenAt: at },
    });
  }
}
