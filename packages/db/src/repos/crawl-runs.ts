import { prismaOf, type DbTx } from '../handle.ts';
import { Prisma, type CrawlRunStatus } from '../generated/prisma/client.ts';

/** A worker's claim on a run: its token and when the claim lapses unless renewed. */
export interface CrawlRunLease {
  token: string;
  expiresAt: Date;
}

/** Opens a run for a source, leased to its creator when `lease` is given. */
export async function createCrawlRun(
  handle: DbTx,
  input: { sourceId: number; trigger: string; workerId: string; status?: CrawlRunStatus; lease?: CrawlRunLease },
) {
  const db = prismaOf(handle);
  return db.crawlRun.create({
    data: {
      sourceId: input.sourceId,
      trigger: input.trigger,
      workerId: input.workerId,
      status: input.status ?? 'running',
      ...(input.lease ? { leaseToken: input.lease.token, leaseExpiresAt: input.lease.expiresAt } : {}),
    },
  });
}

export async function getCrawlRun(handle: DbTx, id: number) {
  const db = prismaOf(handle);
  return db.crawlRun.findUnique({ where: { id } });
}

/** The newest unfinished run of a source: a crawl whose worker died resumes it from its checkpoint. */
export async function findUnfinishedCrawlRun(handle: DbTx, sourceId: number) {
  const db = prismaOf(handle);
  return db.crawlRun.findFirst({ where: { sourceId, status: { in: ['queued', 'running'] } }, orderBy: { id: 'desc' } });
}

/**
 * The newest finished run of a source (any final status), with its closing checkpoint: whether its pagination
 * ended by the source's own end condition decides how the next crawl paginates.
 */
export async function findLastFinishedCrawlRun(handle: DbTx, sourceId: number) {
  const db = prismaOf(handle);
  return db.crawlRun.findFirst({
    where: { sourceId, status: { notIn: ['queued', 'running'] } },
    orderBy: { id: 'desc' },
  });
}

/** A timestamp parameter for the `timestamp(3)` columns Prisma keeps in UTC. */
function utc(at: Date): string {
  return at.toISOString();
}

/**
 * Claims an unfinished run for this worker (resume) without touching its counters. One conditional UPDATE, so of
 * two workers claiming at once exactly one wins (the other's UPDATE waits for the row and re-checks the lease):
 * the run must be queued or running and its lease free, lapsed (expiresAt ≤ now) or already this token's. Returns
 * whether this worker got it. `now` is the caller's clock; leases last far longer than the skew between workers.
 */
export async function claimCrawlRun(
  handle: DbTx,
  id: number,
  claim: { workerId: string; lease: CrawlRunLease; now: Date },
): Promise<boolean> {
  const db = prismaOf(handle);
  const updated = await db.$executeRaw`
    UPDATE "CrawlRun"
       SET "workerId" = ${claim.workerId}, "status" = 'running',
           "leaseToken" = ${claim.lease.token}, "leaseExpiresAt" = (${utc(claim.lease.expiresAt)}::timestamptz AT TIME ZONE 'UTC')
     WHERE "id" = ${id} AND "status" IN ('queued', 'running')
       AND ("leaseToken" IS NULL OR "leaseExpiresAt" IS NULL OR "leaseToken" = ${claim.lease.token}
            OR "leaseExpiresAt" <= (${utc(claim.now)}::timestamptz AT TIME ZONE 'UTC'))`;
  return updated === 1;
}

/** Extends this worker's lease on a run; false when the lease was lost (it lapsed and another worker took the run, or the run finished). */
export async function renewCrawlRunLease(handle: DbTx, id: number, lease: CrawlRunLease): Promise<boolean> {
  const db = prismaOf(handle);
  const updated = await db.$executeRaw`
    UPDATE "CrawlRun" SET "leaseExpiresAt" = (${utc(lease.expiresAt)}::timestamptz AT TIME ZONE 'UTC')
     WHERE "id" = ${id} AND "leaseToken" = ${lease.token} AND "status" IN ('queued', 'running')`;
  return updated === 1;
}

/** Gives up this worker's lease (its crawl failed and the job will retry), so the retry can claim the run at once. */
export async function releaseCrawlRunLease(handle: DbTx, id: number, leaseToken: string): Promise<void> {
  const db = prismaOf(handle);
  await db.crawlRun.updateMany({ where: { id, leaseToken }, data: { leaseToken: null, leaseExpiresAt: null } });
}

/**
 * Saves resumable state and progress counters. With `lease`, only while that lease holds (and renews it): returns
 * false, saving nothing, when another worker has taken the run over.
 */
export async function saveCrawlCheckpoint(
  handle: DbTx,
  id: number,
  input: { checkpoint: unknown; pagesFetched: number; itemsFound: number },
  lease?: CrawlRunLease,
): Promise<boolean> {
  const db = prismaOf(handle);
  if (!lease) {
    await db.crawlRun.update({
      where: { id },
      data: {
        checkpoint: input.checkpoint as Prisma.InputJsonValue,
        pagesFetched: input.pagesFetched,
        itemsFound: input.itemsFound,
      },
    });
    return true;
  }
  const updated = await db.$executeRaw`
    UPDATE "CrawlRun"
       SET "checkpoint" = ${JSON.stringify(input.checkpoint)}::jsonb, "pagesFetched" = ${input.pagesFetched}, "itemsFound" = ${input.itemsFound},
           "leaseExpiresAt" = (${utc(lease.expiresAt)}::timestamptz AT TIME ZONE 'UTC')
     WHERE "id" = ${id} AND "leaseToken" = ${lease.token}`;
  return updated === 1;
}

/**
 * Closes a run; its lease is cleared and its checkpoint replaced by the closing one (`outcome.checkpoint`: no
 * pending work, whether the run was complete; none when not given), so nothing resumes it and the next crawl knows
 * how the last one ended. With `leaseToken`, only while that lease holds: returns false, changing nothing, when
 * another worker has taken the run over.
 */
export async function finishCrawlRun(
  handle: DbTx,
  id: number,
  outcome: {
    status: CrawlRunStatus;
    finishedAt: Date;
    pagesFetched: number;
    itemsFound: number;
    errorCode?: string | null;
    errorMessage?: string | null;
    blockedReason?: string | null;
    checkpoint?: unknown;
  },
  leaseToken?: string,
): Promise<boolean> {
  const closing = outcome.checkpoint === undefined || outcome.checkpoint === null ? null : outcome.checkpoint;
  const db = prismaOf(handle);
  const data = {
    status: outcome.status,
    finishedAt: outcome.finishedAt,
    pagesFetched: outcome.pagesFetched,
    itemsFound: outcome.itemsFound,
    errorCode: outcome.errorCode ?? null,
    errorMessage: outcome.errorMessage ?? null,
    blockedReason: outcome.blockedReason ?? null,
    checkpoint: closing === null ? Prisma.DbNull : (closing as Prisma.InputJsonValue),
    leaseToken: null,
    leaseExpiresAt: null,
  };
  if (leaseToken === undefined) {
    await db.crawlRun.update({ where: { id }, data });
    return true;
  }
  // One statement: a takeover racing with it waits for the row lock, then finds the lease gone (or vice versa).
  const updated = await db.$executeRaw`
    UPDATE "CrawlRun"
       SET "status" = ${outcome.status}::"CrawlRunStatus", "finishedAt" = (${utc(outcome.finishedAt)}::timestamptz AT TIME ZONE 'UTC'),
           "pagesFetched" = ${outcome.pagesFetched}, "itemsFound" = ${outcome.itemsFound},
           "errorCode" = ${outcome.errorCode ?? null}, "errorMessage" = ${outcome.errorMessage ?? null}, "blockedReason" = ${outcome.blockedReason ?? null},
           "checkpoint" = ${closing === null ? null : JSON.stringify(closing)}::jsonb, "leaseToken" = NULL, "leaseExpiresAt" = NULL
     WHERE "id" = ${id} AND "leaseToken" = ${leaseToken}`;
  return updated === 1;
}

/** Ingest counts what it stored for a run. */
export async function addCrawlRunMentions(handle: DbTx, id: number, count: number): Promise<void> {
  const db = prismaOf(handle);
  if (count <= 0) return;
  await db.crawlRun.updateMany({ where: { id }, data: { mentionsNew: { increment: count } } });
}

/** Most runs one call lists. */
const MAX_CRAWL_RUNS = 200;

/**
 * Recent runs of a source, newest first. The resumable checkpoint (a crawl's whole frontier) is left out unless
 * asked for: lists and the dashboard only show the counters.
 */
export async function listCrawlRuns(
  handle: DbTx,
  sourceId: number,
  options: { limit?: number; withCheckpoint?: boolean } = {},
) {
  const db = prismaOf(handle);
  return db.crawlRun.findMany({
    where: { sourceId },
    orderBy: { id: 'desc' },
    take: Math.min(options.limit ?? 20, MAX_CRAWL_RUNS),
    omit: { checkpoint: !options.withCheckpoint },
  });
}

/** The subset of `urlHashes` already seen for a source. */
export async function findSeenUrlHashes(
  handle: DbTx,
  sourceId: number,
  urlHashes: readonly string[],
): Promise<Set<string>> {
  const db = prismaOf(handle);
  if (urlHashes.length === 0) return new Set();
  const rows = await db.seenUrl.findMany({
    where: { sourceId, urlHash: { in: [...urlHashes] } },
    select: { urlHash: true },
  });
  return new Set(rows.map((r) => r.urlHash));
}

/** Validators stored for a page (conditional requests). */
export async function getSeenUrl(handle: DbTx, sourceId: number, urlHash: string) {
  const db = prismaOf(handle);
  return db.seenUrl.findUnique({ where: { sourceId_urlHash: { sourceId, urlHash } } });
}

/** Records URLs as seen (and page validators); idempotent. */
export async function markUrlsSeen(
  handle: DbTx,
  sourceId: number,
  entries: ReadonlyArray<{ urlHash: string; url: string; etag?: string | null; lastModified?: string | null }>,
  at: Date,
): Promise<void> {
  const db = prismaOf(handle);
  if (entries.length === 0) return;
  const plain = entries.filter((e) => e.etag === undefined && e.lastModified === undefined);
  if (plain.length > 0) {
    await db.seenUrl.createMany({
      data: plain.map((e) => ({ sourceId, urlHash: e.urlHash, url: e.url, firstSeenAt: at, lastSeenAt: at })),
      skipDuplicates: true,
    });
  }
  for (const e of entries.filter((x) => x.etag !== undefined || x.lastModified !== undefined)) {
    await db.seenUrl.upsert({
      where: { sourceId_urlHash: { sourceId, urlHash: e.urlHash } },
      create: {
        sourceId,
        urlHash: e.urlHash,
        url: e.url,
        etag: e.etag ?? null,
        lastModified: e.lastModified ?? null,
        firstSeenAt: at,
        lastSeenAt: at,
      },
      update: { etag: e.etag ?? null, lastModified: e.lastModified ?? null, lastSeenAt: at },
    });
  }
}
