// Assembles the system from its packages: one place that knows which handlers serve which queue.
import { createLogger, type AppConfig, type Logger } from '@yuqing/core';
import { openDatabase, type Database } from '@yuqing/db';
import { createRedisConnection, ensureRedis, jobCatalog, JobQueues, QUEUE_NAMES, WorkerRunner, type JobHandlers, type QueueName, type RedisHandle } from '@yuqing/queue';
import type { Redis } from 'ioredis';

/** Everything a long-running process holds; `close()` releases it in reverse order. */
export interface Runtime {
  config: AppConfig;
  log: Logger;
  database: Database;
  redis: RedisHandle;
  connection: Redis;
  queues: JobQueues;
  /** Registers something to release first when the runtime closes (threads, pools built on top of it). */
  defer(close: () => Promise<void>): void;
  close(): Promise<void>;
}

export { loadRuntimeConfig } from './app-config.ts';

/**
 * Connects to Redis (starting a private one when allowed) and the database (migrating it), and creates
 * the queue producers.
 */
export async function openRuntime(config: AppConfig, options: { startPrivateRedis?: boolean } = {}): Promise<Runtime> {
  const log = createLogger('runtime');
  const redis = await ensureRedis({ url: config.redisUrl, explicit: config.redisUrlExplicit || options.startPrivateRedis === false, dataDir: config.dataDir });
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    await redis.stop();
    throw error;
  }
  const connection = createRedisConnection(config.redisUrl);
  const queues = new JobQueues({ connection, prefix: config.queuePrefix });
  const deferred: (() => Promise<void>)[] = [];
  return {
    config,
    log,
    database,
    redis,
    connection,
    queues,
    defer: (close) => deferred.push(close),
    close: async () => {
      for (const close of deferred.splice(0).reverse()) await close().catch((error: unknown) => log.warn({ err: String(error) }, 'close failed'));
      await queues.close().catch(() => {});
      connection.disconnect();
      await database.close();
      await redis.stop();
    },
  };
}

/**
 * Job handlers for the chosen queues. Packages load lazily: a crawl-only worker does not pay for
 * nodejieba and the models (~300 MB).
 */
export async function buildHandlers(runtime: Runtime, queues: readonly QueueName[]): Promise<JobHandlers> {
  const deps = { db: runtime.database.db, queues: runtime.queues, config: runtime.config };
  const wanted = new Set<string>(queues);
  const all: JobHandlers = {};
  if (wanted.has('crawl') || wanted.has('ingest') || wanted.has('maintenance')) {
    Object.assign(all, (await import('@yuqing/crawlers')).createCrawlHandlers(deps));
  }
  if (wanted.has('analyse') || wanted.has('alert') || wanted.has('maintenance')) {
    const analysis = await import('@yuqing/analysis');
    // Classification threads (jieba + models each) only where mentions are analysed.
    const pool = wanted.has('analyse') && runtime.config.analysisThreads > 0 ? new analysis.ClassificationPool(runtime.config.analysisThreads) : undefined;
    if (pool) runtime.defer(() => pool.close());
    Object.assign(all, analysis.createAnalysisHandlers({ ...deps, ...(pool ? { pool } : {}) }));
  }
  if (wanted.has('digest')) {
    Object.assign(all, (await import('@yuqing/digest')).createDigestHandlers(deps));
  }
  return Object.fromEntries(Object.entries(all).filter(([name]) => wanted.has(jobCatalog[name as keyof typeof jobCatalog].queue))) as JobHandlers;
}

/** Starts workers for `queues` in this process. */
export async function startWorkers(runtime: Runtime, queues: readonly QueueName[] = QUEUE_NAMES): Promise<WorkerRunner> {
  const runner = new WorkerRunner({
    redisUrl: runtime.config.redisUrl,
    prefix: runtime.config.queuePrefix,
    queues,
    handlers: await buildHandlers(runtime, queues),
    concurrency: { crawl: 2, ingest: runtime.config.workerConcurrency, analyse: runtime.config.workerConcurrency, alert: 2, digest: 2, maintenance: 1 },
    handleSignals: false,
  });
  runner.start();
  return runner;
}

/** Repeating jobs: crawl schedule check every minute, digest check every 5 minutes, nightly retrain. */
export async function installSchedules(runtime: Runtime): Promise<void> {
  const { queues, config } = runtime;
  await queues.queue('maintenance').upsertJobScheduler('schedule-crawls', { every: 60_000 }, { name: 'schedule-crawls', data: {} });
  await queues.queue('digest').upsertJobScheduler('schedule-digests', { every: 5 * 60_000 }, { name: 'schedule-digests', data: {} });
  await queues.queue('maintenance').upsertJobScheduler('retrain-models', { pattern: '0 30 3 * * *', tz: config.timeZone }, { name: 'retrain-models', data: {} });
}
