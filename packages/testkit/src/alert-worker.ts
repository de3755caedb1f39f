// An alert worker for tests: a fresh PostgreSQL database, a unique Redis prefix, the job queues and a worker
// running the alert queue's handlers (the stage wiring's own, e-mail through the digest mailer included), so each
// alert test states only its receivers and what it sends.
import { randomUUID } from 'node:crypto';
import type { ChannelBreaker } from '@yuqing/alerts';
import { loadConfig, type AppConfig, type Clock } from '@yuqing/core';
import { createStageHandlers } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

type Redis = ReturnType<typeof createRedisConnection>;

/** The Redis every test uses. */
const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Options for {@link startAlertWorker}. */
export interface AlertWorkerOptions {
  /** Settings over `loadConfig({})` (allowed private hosts of the receivers, `publicUrl`, `smtpUrl` …). */
  config?: Partial<AppConfig>;
  /** A manual clock for the handlers. @defaultValue the system clock */
  clock?: Clock;
  /** The channels' circuit breakers, built on the worker's Redis connection and prefix. @defaultValue the default */
  breaker?: (connection: Redis, prefix: string) => ChannelBreaker;
  /** Alert jobs run at once. @defaultValue the worker runner's default */
  concurrency?: number;
  /** YQ_SECRET_KEY of the test database (secrets sealed, alert acknowledgement links signed). @defaultValue none */
  secretKey?: string;
  /** Run on this database (a test dashboard's) instead of a new one; it is left in place on close. */
  database?: { db: TestDatabase['db']; url: string };
}

/** A running alert worker and what it runs on; `close()` removes all of it (database, queues, Redis keys). */
export interface AlertWorker {
  test: TestDatabase;
  queues: JobQueues;
  connection: Redis;
  runner: WorkerRunner;
  prefix: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** Starts a worker on the `alert` queue with a fresh database and Redis prefix. */
export async function startAlertWorker(options: AlertWorkerOptions = {}): Promise<AlertWorker> {
  const test: TestDatabase = options.database
    ? { ...options.database, name: '', drop: async () => undefined }
    : await createTestDatabase(options.secretKey ? { secretKey: options.secretKey } : {});
  const prefix = `yqtest-${randomUUID()}`;
  const connection = createRedisConnection(TEST_REDIS_URL);
  const queues = new JobQueues({ connection, prefix });
  const config: AppConfig = { ...loadConfig({}), ...options.config };
  const closers: (() => Promise<void>)[] = [];
  const handlers = await createStageHandlers(
    {
      db: test.db,
      queues,
      config,
      onClose: (close) => closers.push(close),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.breaker ? { breaker: options.breaker(connection, prefix) } : {}),
    },
    ['alert'],
  );
  const runner = new WorkerRunner({
    redisUrl: TEST_REDIS_URL,
    prefix,
    queues: ['alert'],
    handlers,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    handleSignals: false,
  });
  runner.start();
  await runner.waitUntilReady();
  return {
    test,
    queues,
    connection,
    runner,
    prefix,
    config,
    close: async () => {
      await runner.close();
      for (const close of closers.splice(0)) await close().catch(() => undefined);
      for (const q of queues.all()) await q.obliterate({ force: true });
      // Keys outside the queues (circuit breakers, rate limits, batches) share the prefix.
      const keys = await connection.keys(`${prefix}:*`);
      if (keys.length > 0) await connection.del(...keys);
      await queues.close();
      connection.disconnect();
      await test.drop();
    },
  };
}
