import { RetryableError, errorMessage, sha256Hex, type Clock, systemClock } from '@yuqing/core';
import type { CrawlCheckpoint, CrawlSink } from '@yuqing/crawlers';
import { findSeenUrlHashes, getSeenUrl, markUrlsSeen, saveCrawlCheckpoint, type Db } from '@yuqing/db';
import { urlHash } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { ingestMentions } from './ingest.ts';
import type { RunLease } from './run-lease.ts';

async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    // Infrastructure down: the crawl stops, keeps its checkpoint, and the job retries later.
    throw new RetryableError('SINK_FAILED', `${what} failed: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * The worker's sink: items go to the 'ingest-mentions' queue (idempotent job ids), seen URLs and validators to
 * SeenUrl, the checkpoint to CrawlRun. The engine marks URLs seen only after their items are enqueued and a
 * checkpoint without their pages is saved (see crawlSource). With `lease`,
 * checkpoints are saved only while the crawl holds its run (and renew the lease); a refused save tells the crawl
 * it lost the run.
 */
export function createQueueSink(options: {
  db: Db;
  queues: JobQueues;
  sourceId: number;
  runId: number;
  clock?: Clock;
  lease?: RunLease | undefined;
}): CrawlSink {
  const { db, queues, sourceId, runId } = options;
  const clock = options.clock ?? systemClock;
  return {
    unseen: (urls) =>
      guarded('reading seen URLs', async () => {
        const hashes = urls.map((u) => urlHash(u));
        const seen = await findSeenUrlHashes(db, sourceId, hashes);
        return new Set(urls.filter((_, i) => !seen.has(hashes[i]!)));
      }),
    validators: (url) =>
      guarded('reading page validators', async () => {
        const row = await getSeenUrl(db, sourceId, urlHash(url));
        return row ? { etag: row.etag, lastModified: row.lastModified } : undefined;
      }),
    emit: (items) =>
      guarded('handing items to ingest', async () => {
        // A hot list's entries come back at the same URLs every poll: the poll time keeps each poll its own job.
        const batchId = sha256Hex(
          items.map((i) => (i.hotList ? `${i.url} ${i.hotList.observedAt}` : i.url)).join('\n'),
        ).slice(0, 24);
        await queues.add('ingest-mentions', { sourceId, runId, items }, { jobId: `ingest-${sourceId}-${batchId}` });
      }),
    markSeen: (seenUrls) =>
      guarded('recording seen URLs', () =>
        markUrlsSeen(
          db,
          sourceId,
          seenUrls.map((u) => ({ urlHash: urlHash(u), url: u })),
          clock.now(),
        ),
      ),
    rememberPages: (pages) =>
      guarded('storing page validators', () =>
        markUrlsSeen(
          db,
          sourceId,
          pages.map((p) => ({
            urlHash: urlHash(p.canonicalUrl),
            url: p.canonicalUrl,
            etag: p.etag ?? null,
            lastModified: p.lastModified ?? null,
          })),
          clock.now(),
        ),
      ),
    saveCheckpoint: (checkpoint: CrawlCheckpoint) =>
      guarded('saving the checkpoint', async () => {
        const saved = await saveCrawlCheckpoint(
          db,
          runId,
          { checkpoint, pagesFetched: checkpoint.pagesFetched, itemsFound: checkpoint.itemsFound },
          options.lease?.current(),
        );
        if (!saved) options.lease?.lost();
      }),
  };
}

/**
 * The CLI's database sink: items are ingested in-process (no ingest queue needed); new ids go to
 * 'analyse-mentions' when queues are given.
 */
export function createDirectSink(options: {
  db: Db;
  sourceId: number;
  runId: number;
  region?: string | null;
  queues?: JobQueues;
  clock?: Clock;
  onStored?: (stored: number) => void;
  lease?: RunLease;
}): CrawlSink {
  const viaQueue = createQueueSink({ ...options, queues: undefined as unknown as JobQueues });
  const clock = options.clock ?? systemClock;
  return {
    ...viaQueue,
    emit: (items) =>
      guarded('storing mentions', async () => {
        const result = await ingestMentions(options.db, items, {
          sourceId: options.sourceId,
          runId: options.runId,
          region: options.region ?? null,
          clock,
          ...(options.queues ? { queues: options.queues } : {}),
        });
        options.onStored?.(result.stored);
      }),
  };
}
