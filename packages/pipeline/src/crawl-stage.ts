import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  createLogger,
  errorMessage,
  NonRetryableError,
  RetryableError,
  systemClock,
  type AppConfig,
  type Clock,
} from '@yuqing/core';
import {
  claimCrawlRun,
  createCrawlRun,
  findLastFinishedCrawlRun,
  findUnfinishedCrawlRun,
  finishCrawlRun,
  getCrawlRun,
  getSourceById,
  listEnabledSources,
  markSourceRunFinished,
  markSourceRunStarted,
  releaseCrawlRunLease,
  renewCrawlRunLease,
  type CrawlRunLease,
  type Db,
} from '@yuqing/db';
import type {
  CrawlCheckpoint,
  CrawlCheckpointV1,
  CrawlMode,
  CrawlResult,
  CrawlSink,
  HostThrottle,
  UrlGuard,
} from '@yuqing/crawlers';
import { definitionFromRow, isDue, parseCron } from '@yuqing/domain';
import type { JobHandlers, JobQueues } from '@yuqing/queue';
import { createIngestCoalescer } from './ingest.ts';
import { createQueueSink } from './crawl-sinks.ts';
import type { RunLease } from './run-lease.ts';

const log = createLogger('crawl-worker');

/**
 * The crawlers (Crawlee, cheerio: ~90 MB) load on the first crawl, so analysis-only workers never pay for them.
 */
const loadCrawlers = () => import('@yuqing/crawlers');

/**
 * How long a worker's claim on a crawl run lasts without renewal. A worker that dies mid-crawl holds its run this
 * long at most; BullMQ notices the dead job after its own lock (30 s) and the re-run then finds the lease lapsed.
 */
export const CRAWL_LEASE_MS = 30_000;
/** Leases are renewed this many times per lease period, so one slow database round trip does not lose one. */
const LEASE_RENEWALS_PER_PERIOD = 3;

/** Options for {@link createCrawlHandlers}. */
export interface CrawlHandlersOptions {
  db: Db;
  queues: JobQueues;
  config: Pick<AppConfig, 'timeZone' | 'allowedPrivateHosts'>;
  clock?: Clock;
  /** Identifies this worker on CrawlRun rows. @defaultValue hostname:pid */
  workerId?: string;
  throttle?: HostThrottle;
  /** Backoff sleep for fetch retries (tests). */
  sleep?: (ms: number) => Promise<void>;
  /** @defaultValue {@link CRAWL_LEASE_MS} */
  leaseMs?: number;
}

/**
 * Enqueues a 'crawl-source' job for every enabled source whose schedule is due at `now` (the schedule's job,
 * keyed by source and fire time: two schedulers, a tick repeated, or a start that asks for every source at the
 * same moment as the first tick all enqueue it once) and, unless `dueOnly`, a manual crawl for every other
 * enabled source. Returns the ids of the sources enqueued.
 */
export async function enqueueCrawls(options: {
  db: Db;
  queues: JobQueues;
  timeZone: string;
  now: Date;
  dueOnly: boolean;
  /** Only sources that never ran (a restart must not crawl every source again at once). */
  neverRunOnly?: boolean;
}): Promise<number[]> {
  const { queues } = options;
  const enqueued: number[] = [];
  for (const s of await listEnabledSources(options.db)) {
    if (options.neverRunOnly && s.lastRunAt !== null) continue;
    let schedule;
    try {
      schedule = parseCron(s.schedule);
    } catch (error) {
      log.warn({ sourceId: s.id, err: errorMessage(error) }, 'source has an invalid schedule; skipped');
      continue;
    }
    const { due, fireTime } = isDue(schedule, s.lastRunAt, options.now, options.timeZone);
    if (due && fireTime) {
      await queues.add(
        'crawl-source',
        { sourceId: s.id, trigger: 'schedule' },
        { jobId: `crawl-${s.id}-${fireTime.getTime()}` },
      );
    } else if (!options.dueOnly) {
      await queues.add('crawl-source', { sourceId: s.id, trigger: 'manual' });
    } else continue;
    enqueued.push(s.id);
  }
  return enqueued;
}

/** Outcome of a 'crawl-source' job. */
export interface CrawlJobOutcome {
  runId: number;
  resumed: boolean;
  result?: CrawlResult;
  skipped?: string;
}

/**
 * Job handlers for the collect stage: 'schedule-crawls' (one 'crawl-source' per due source, per-source cron in
 * config.timeZone), 'crawl-source' (crawl, batches to 'ingest-mentions', resumable from CrawlRun.checkpoint) and
 * 'ingest-mentions' (normalise, schemes, dedupe, store, then 'analyse-mentions').
 */
export function createCrawlHandlers(options: CrawlHandlersOptions): JobHandlers {
  const { db, queues, config } = options;
  const clock = options.clock ?? systemClock;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  let guard: Promise<UrlGuard> | undefined;
  const sharedGuard = () =>
    (guard ??= loadCrawlers().then(
      ({ UrlGuard }) => new UrlGuard({ allowedPrivateHosts: config.allowedPrivateHosts }),
    ));

  const ingest = createIngestCoalescer(db, { queues, clock });
  return {
    'schedule-crawls': async () => ({
      enqueued: await enqueueCrawls({ db, queues, timeZone: config.timeZone, now: clock.now(), dueOnly: true }),
    }),

    'crawl-source': async (payload) =>
      crawlStoredSource({
        db,
        sourceId: payload.sourceId,
        trigger: payload.trigger,
        ...(payload.runId ? { runId: payload.runId } : {}),
        config,
        clock,
        workerId,
        guard: await sharedGuard(),
        makeSink: (sourceId, runId, lease) => createQueueSink({ db, queues, sourceId, runId, clock, lease }),
        ...(options.throttle ? { throttle: options.throttle } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      }),

    'ingest-mentions': async (payload, job) =>
      ingest.submit({
        items: payload.items,
        ...(payload.sourceId ? { sourceId: payload.sourceId } : {}),
        ...(payload.runId ? { runId: payload.runId } : {}),
        // A job whose worker died (stalled, re-queued) keeps attemptsMade at 0; attemptsStarted still counts it.
        retry: job.attemptsMade > 0 || job.attemptsStarted > 1,
      }),
  };
}

/** Options for {@link crawlStoredSource}. */
export interface CrawlStoredSourceOptions {
  db: Db;
  sourceId: number;
  trigger: 'schedule' | 'manual' | 'test';
  runId?: number;
  config: Pick<AppConfig, 'timeZone' | 'allowedPrivateHosts'>;
  /** Where items go: the ingest queue (workers) or straight into the database (CLI). */
  makeSink: (sourceId: number, runId: number, lease: RunLease) => CrawlSink;
  clock?: Clock;
  workerId?: string;
  guard?: UrlGuard;
  throttle?: HostThrottle;
  sleep?: (ms: number) => Promise<void>;
  /** @defaultValue {@link CRAWL_LEASE_MS} */
  leaseMs?: number;
}

/**
 * Crawls a stored source with run bookkeeping: resumes the source's unfinished run from its checkpoint (a worker
 * died) or opens a new one, records the outcome on the run and the source (status, error, block reason). A new run
 * is incremental only when the source's last finished run was complete (its closing checkpoint says so), else it
 * pages to the source's end; a run closes with a checkpoint saying whether it was complete.
 *
 * A run is leased to one worker at a time ({@link CRAWL_LEASE_MS}, renewed while crawling): a second worker that
 * tries to resume a run whose lease holds gets `CRAWL_RUN_BUSY` (retryable: if the holder died, its lease lapses
 * and the retry resumes). A worker that loses its lease (it stalled past the lease and another took over) stops
 * and leaves the run to the new holder.
 */
export async function crawlStoredSource(options: CrawlStoredSourceOptions): Promise<CrawlJobOutcome> {
  const { db, config } = options;
  const clock = options.clock ?? systemClock;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  const leaseMs = options.leaseMs ?? CRAWL_LEASE_MS;
  const token = randomUUID();
  const nextLease = (): CrawlRunLease => ({ token, expiresAt: new Date(clock.now().getTime() + leaseMs) });
  const row = await getSourceById(db, options.sourceId);
  if (!row) throw new NonRetryableError('SOURCE_NOT_FOUND', `source #${options.sourceId} does not exist`);
  if (!row.enabled && options.trigger === 'schedule') return { runId: 0, resumed: false, skipped: 'source disabled' };
  // Resume the run a dead worker left behind (its checkpoint says what is still pending), else open one.
  let run = options.runId ? await getCrawlRun(db, options.runId) : await findUnfinishedCrawlRun(db, row.id);
  if (run && (run.sourceId !== row.id || (run.status !== 'queued' && run.status !== 'running'))) run = null;
  if (run) {
    if (!(await claimCrawlRun(db, run.id, { workerId, lease: nextLease(), now: clock.now() }))) {
      const current = await getCrawlRun(db, run.id);
      if (current && (current.status === 'queued' || current.status === 'running')) {
        throw new RetryableError(
          'CRAWL_RUN_BUSY',
          `crawl run #${run.id} is being crawled by ${current.workerId ?? 'another worker'} (lease until ${current.leaseExpiresAt?.toISOString() ?? '?'})`,
        );
      }
      return { runId: run.id, resumed: false, skipped: `crawl run #${run.id} was finished by another worker` };
    }
  } else run = await createCrawlRun(db, { sourceId: row.id, trigger: options.trigger, workerId, lease: nextLease() });
  // A run with a checkpoint keeps the checkpoint's mode; a new (or queued, never started) one is incremental only
  // after a complete run. The rule is the crawlers' (crawlModeAfter); finished runs only, so this run is not one.
  const mode: CrawlMode = run.checkpoint
    ? 'full'
    : (await loadCrawlers()).crawlModeAfter((await findLastFinishedCrawlRun(db, row.id))?.checkpoint);
  const runId = run.id;
  const resumed = Boolean(run.checkpoint);
  await markSourceRunStarted(db, row.id, clock.now());
  let definition;
  try {
    definition = definitionFromRow(row);
  } catch (error) {
    await finishCrawlRun(
      db,
      runId,
      {
        status: 'failed',
        finishedAt: clock.now(),
        pagesFetched: 0,
        itemsFound: 0,
        errorCode: 'SOURCE_INVALID',
        errorMessage: errorMessage(error),
        checkpoint: (await loadCrawlers()).closingCheckpoint({ mode, complete: false, pagesFetched: 0, itemsFound: 0 }),
      },
      token,
    );
    await markSourceRunFinished(db, row.id, { status: 'failed', error: errorMessage(error) });
    throw error;
  }

  const stop = new AbortController();
  let leaseLost = false;
  const lease: RunLease = {
    current: nextLease,
    lost: () => {
      if (leaseLost) return;
      leaseLost = true;
      log.warn({ sourceId: row.id, runId, workerId }, 'crawl run taken over by another worker; stopping');
      stop.abort();
    },
  };
  const renew = setInterval(() => {
    renewCrawlRunLease(db, runId, nextLease()).then(
      (held) => held || lease.lost(),
      // The database is unreachable: the sink fails the crawl soon; the lease lapses if this worker never returns.
      (error: unknown) => log.warn({ runId, err: errorMessage(error) }, 'could not renew the crawl lease'),
    );
  }, leaseMs / LEASE_RENEWALS_PER_PERIOD);
  renew.unref();
  let result: CrawlResult;
  try {
    const crawlers = await loadCrawlers();
    result = await crawlers.crawlSource({
      source: definition,
      guard: options.guard ?? new crawlers.UrlGuard({ allowedPrivateHosts: config.allowedPrivateHosts }),
      sink: options.makeSink(row.id, runId, lease),
      timeZone: config.timeZone,
      clock,
      checkpoint: (run.checkpoint as CrawlCheckpoint | CrawlCheckpointV1 | null) ?? null,
      mode,
      signal: stop.signal,
      ...(options.throttle ? { throttle: options.throttle } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  } catch (error) {
    clearInterval(renew);
    // The job retries (infrastructure trouble): let that retry, with its new lease, resume at once.
    if (!leaseLost) await releaseCrawlRunLease(db, runId, token).catch(() => undefined);
    throw error;
  }
  clearInterval(renew);
  const finished =
    !leaseLost &&
    (await finishCrawlRun(
      db,
      runId,
      {
        status: result.status,
        finishedAt: clock.now(),
        pagesFetched: result.pagesFetched,
        itemsFound: result.itemsFound,
        errorCode: result.status === 'blocked' ? (result.blockedCode ?? 'BLOCKED') : (result.errorCode ?? null),
        errorMessage: result.errorMessage ?? null,
        blockedReason: result.blockedReason ?? null,
        checkpoint: (await loadCrawlers()).closingCheckpoint(result),
      },
      token,
    ));
  if (!finished) {
    lease.lost();
    return { runId, resumed, skipped: `crawl run #${runId} was taken over by another worker`, result };
  }
  await markSourceRunFinished(db, row.id, {
    status: result.status,
    error: result.errorMessage ?? null,
    blockedReason: result.blockedReason ?? null,
  });
  log.info(
    {
      sourceId: row.id,
      runId,
      status: result.status,
      mode: result.mode,
      complete: result.complete,
      pages: result.pagesFetched,
      items: result.itemsEmitted,
      resumed,
    },
    'crawl finished',
  );
  return { runId, resumed, result };
}
