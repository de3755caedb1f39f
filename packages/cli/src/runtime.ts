// Assembles the system from its packages: one place that knows which handlers serve which queue.
import { createLogger, type AppConfig, type Logger } from '@yuqing/core';
import { openDatabase, type Database } from '@yuqing/db';
import {
  createRedisConnection,
  ensureRedis,
  JobQueues,
  QUEUE_NAMES,
  WorkerRunner,
  type QueueName,
  type RedisHandle,
} from '@yuqing/queue';
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
  const redis = await ensureRedis({
    url: config.redisUrl,
    explicit: config.redisUrlExplicit || options.startPrivateRedis === false,
    dataDir: config.dataDir,
  });
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      secretKey: config.secretKey,
    });
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
      for (const close of deferred.splice(0).reverse())
        await close().catch((error: unknown) => log.warn({ err: String(error) }, 'close failed'));
      await queues.close().catch(() => {});
      connection.disconnect();
      await database.close();
      await redis.stop();
    },
  };
}

/** Starts workers for `queues` in this process; @yuqing/pipeline decides which handler serves which job. */
export async function startWorkers(
  runtime: Runtime,
  queues: readonly QueueName[] = QUEUE_NAMES,
): Promise<WorkerRunner> {
  const { createStageHandlers } = await import('@yuqing/pipeline');
  const runner = new WorkerRunner({
    redisUrl: runtime.config.redisUrl,
    prefix: runtime.config.queuePrefix,
    queues,
    handlers: await createStageHandlers(
      { db: runtime.database.db, queues: runtime.queues, config: runtime.config, onClose: runtime.defer },
      queues,
    ),
    concurrency: {
      crawl: 2,
      ingest: runtime.config.workerConcurrency,
      analyse: runtime.config.workerConcurrency,
      alert: 2,
      digest: 2,
      maintenance: 1,
    },
    handleSignals: false,
  });
  runner.start();
  return runner;
}

/** Repeating jobs (crawl schedule check, digest check, nightly retrain). */
export async function installSchedules(runtime: Runtime): Promise<void> {
  const { installSchedules: install } = await import('@yuqing/pipeline');
  await install(runtime.queues, runtime.config);
}
