// Fault injection: the Redis behind the queues dies (SIGKILL) while a `yq worker` is ingesting and analysing, and
// comes back on the same port and data folder a few seconds later. The worker process survives, reconnects and
// finishes every job; producers reconnect too. Uses a PRIVATE redis-server, never the shared one on 6379.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, countRows, sqlRows } from '@yuqing/testkit';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import type { Redis } from 'ioredis';
import { freePort, waitFor } from './helpers/net.ts';
import {
  batches,
  generateMentions,
  pendingWork,
  startPrivateRedis,
  startWorker,
  tempDir,
  type PrivateRedis,
  type WorkerProcess,
} from './fixtures/hostile/fault-kit.ts';

const BEFORE = 1000;
const AFTER = 250;
const OUTAGE_MS = 5000;

let database: TestDatabase;
let redis: PrivateRedis;
let connection: Redis;
let queues: JobQueues;
let dir: Awaited<ReturnType<typeof tempDir>>;
let worker: WorkerProcess | undefined;
const prefix = `yqtest-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await tempDir('yq-fault-redis-');
  redis = await startPrivateRedis(await freePort(), dir.path);
  connection = createRedisConnection(redis.url);
  queues = new JobQueues({ connection, prefix });
});

afterAll(async () => {
  await worker?.killHard().catch(() => {});
  await queues?.close().catch(() => {});
  connection?.disconnect();
  await redis?.close();
  await database?.drop();
  await dir?.cleanup();
});

describe('Redis restarted mid-run', () => {
  it('the worker reconnects and finishes; jobs enqueued after the restart are processed too', async () => {
    worker = await startWorker(['ingest', 'analyse'], {
      databaseUrl: database.url,
      redisUrl: redis.url,
      prefix,
      dataDir: dir.path,
    });
    for (const [i, batch] of batches(generateMentions(BEFORE, 'before'), 25).entries()) {
      await queues.add('ingest-mentions', { items: batch }, { jobId: `before-${i}` });
    }
    await waitFor(
      'work under way',
      async () => ((await countRows(database, 'Mention')) >= 100 ? true : undefined),
      60_000,
      100,
    );

    await redis.kill('SIGKILL');
    const storedAtKill = await countRows(database, 'Mention');
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // The worker must ride out the outage, not exit.
    expect(worker.child.exitCode).toBeNull();
    await redis.start();

    for (const [i, batch] of batches(generateMentions(AFTER, 'after'), 25).entries()) {
      await queues.add('ingest-mentions', { items: batch }, { jobId: `after-${i}` });
    }
    const total = BEFORE + AFTER;
    let last = '';
    await waitFor(
      'all mentions stored and analysed',
      async () => {
        const analysed = Number(
          (await sqlRows<{ n: string }>(database, `SELECT count(DISTINCT "mentionId") AS n FROM "Analysis"`))[0]!.n,
        );
        const stored = await countRows(database, 'Mention');
        const pending = await pendingWork(queues);
        last = JSON.stringify({ stored, analysed, pending });
        return analysed === total && pending === 0 ? true : undefined;
      },
      90_000,
      500,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; last ${last}; stored at kill ${storedAtKill}; worker: ${worker!.output().slice(-1500)}`,
      );
    });
    expect(storedAtKill).toBeLessThan(total);
    expect(await countRows(database, 'Mention')).toBe(total);
    const dupes = await sqlRows<{ n: string }>(
      database,
      `SELECT count(*) AS n FROM (SELECT "mentionId" FROM "Analysis" GROUP BY "mentionId" HAVING count(*) > 1) t`,
    );
    expect(Number(dupes[0]!.n)).toBe(0);
    expect((await queues.queue('ingest').getJobCounts('failed')).failed).toBe(0);
    expect((await queues.queue('analyse').getJobCounts('failed')).failed).toBe(0);
    expect(worker.child.exitCode).toBeNull();
    expect(await worker.stop()).toBe(0);
    worker = undefined;
  }, 150_000);
});
