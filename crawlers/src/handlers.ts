import { hostname } from 'node:os';
import { createLogger, errorMessage, NonRetryableError, systemClock, type AppConfig, type Clock } from '@yuqing/core';
import {
  claimCrawlRun, createCrawlRun, findUnfinishedCrawlRun, finishCrawlRun, getCrawlRun, getSourceById, listEnabledSources, markSourceRunFinished, markSourceRunStarted,
  type Db,
} from '@yuqing/db';
import type { JobHandlers, JobQueues } from '@yuqing/queue';
import { crawlSource, type CrawlCheckpoint, type CrawlResult, type CrawlSink } from './crawl-engine.ts';
import { isDue, parseCron } from './cron.ts';
import type { HostThrottle } from './host-throttle.ts';
import { createIngestCoalescer } from './ingest.ts';
import { createQueueSink } from './sinks.ts';
import { definitionFromRow } from './source-config.ts';
import { UrlGuard } from './url-guard.ts';

const log = createLogger('crawl-worker');

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
  const guard = new UrlGuard({ allowedPrivateHosts: config.allowedPrivateHosts });

  const ingest = createIngestCoalescer(db, { queues, clock });
  return {
    'schedule-crawls': async () => {
      const now = clock.now();
      const sources = await listEnabledSources(db);
      const enqueued: number[] = [];
      for (const s of sources) {
        let schedule;
        try {
          schedule = parseCron(s.schedule);
        } catch (error) {
          log.warn({ sourceId: s.id, err: errorMessage(error) }, 'source has an invalid schedule; skipped');
          continue;
        }
        const { due, fireTime } = isDue(schedule, s.lastRunAt, now, config.timeZone);
        if (!due || !fireTime) continue;
        // One job per source and fire time: two schedulers, or a tick repeated, enqueue it once.
        await queues.add('crawl-source', { sourceId: s.id, trigger: 'schedule' }, { jobId: `crawl-${s.id}-${fireTime.getTime()}` });
        enqueued.push(s.id);
      }
      return { enqueued };
    },

    'crawl-source': async (payload) =>
      crawlStoredSource({
        db, sourceId: payload.sourceId, trigger: payload.trigger, ...(payload.runId ? { runId: payload.runId } : {}), config, clock, workerId, guard,
        makeSink: (sourceId, runId) => createQueueSink({ db, queues, sourceId, runId, clock }),
        ...(options.throttle ? { throttle: options.throttle } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
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
  makeSink: (sourceId: number, runId: number) => CrawlSink;
  clock?: Clock;
  workerId?: string;
  guard?: UrlGuard;
  throttle?: HostThrottle;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Crawls a stored source with run bookkeeping: resumes the source's unfinished run from its checkpoint (a worker
 * died) or opens a new one, records the outcome on the run and the source (status, error, block reason).
 */
export async function crawlStoredSource(options: CrawlStoredSourceOptions): Promise<CrawlJobOutcome> {
  const { db, config } = options;
  const clock = options.clock ?? systemClock;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  const row = await getSourceById(db, options.sourceId);
  if (!row) throw new NonRetryableError('SOURCE_NOT_FOUND', `source #${options.sourceId} does not exist`);
  if (!row.enabled && options.trigger === 'schedule') return { runId: 0, resumed: false, skipped: 'source disabled' };
  // Resume the run a dead worker left behind (its checkpoint says what is still pending), else open one.
  let run = options.runId ? await getCrawlRun(db, options.runId) : await findUnfinishedCrawlRun(db, row.id);
  if (run && (run.sourceId !== row.id || (run.status !== 'queued' && run.status !== 'running'))) run = null;
  const resumed = Boolean(run?.checkpoint);
  if (run) await claimCrawlRun(db, run.id, workerId);
  else run = await createCrawlRun(db, { sourceId: row.id, trigger: options.trigger, workerId });
  await markSourceRunStarted(db, row.id, clock.now());
  let definition;
  try {
    definition = definitionFromRow(row);
  } catch (error) {
    await finishCrawlRun(db, run.id, { status: 'failed', finishedAt: clock.now(), pagesFetched: 0, itemsFound: 0, errorCode: 'SOURCE_INVALID', errorMessage: errorMessage(error) });
    await markSourceRunFinished(db, row.id, { status: 'failed', error: errorMessage(error) });
    throw error;
  }
  const result = await crawlSource({
    source: definition,
    guard: options.guard ?? new UrlGuard({ allowedPrivateHosts: config.allowedPrivateHosts }),
    sink: options.makeSink(row.id, run.id),
    timeZone: config.timeZone,
    clock,
    checkpoint: (run.checkpoint as CrawlCheckpoint | null) ?? null,
    ...(options.throttle ? { throttle: options.throttle } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  await finishCrawlRun(db, run.id, {
    status: result.status,
    finishedAt: clock.now(),
    pagesFetched: result.pagesFetched,
    itemsFound: result.itemsFound,
    errorCode: result.status === 'blocked' ? (result.blockedCode ?? 'BLOCKED') : (result.errorCode ?? null),
    errorMessage: result.errorMessage ?? null,
    blockedReason: result.blockedReason ?? null,
  });
  await markSourceRunFinished(db, row.id, { status: result.status, error: result.errorMessage ?? null, blockedReason: result.blockedReason ?? null });
  log.info({ sourceId: row.id, runId: run.id, status: result.status, pages: result.pagesFetched, items: result.itemsEmitted, resumed }, 'crawl finished');
  return { runId: run.id, resumed, result };
}
