// Fault injection: PostgreSQL becomes unreachable for 30 s while a `yq worker` ingests and analyses. The worker
// reaches the shared PostgreSQL through a TCP proxy owned by this test; cutting the proxy drops every open
// connection and refuses new ones (the shared server itself is never touched). Jobs fail, are retried with
// backoff, and once the database is back every mention is stored and analysed exactly once; nothing is lost.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, countRows, sqlRows } from '@yuqing/testkit';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import type { Redis } from 'ioredis';
import { waitFor } from './helpers/net.ts';
import {
  analysedCount,
  batches,
  generateMentions,
  pendingWork,
  startTcpProxy,
  startWorker,
  tempDir,
  type TcpProxy,
  type WorkerProcess,
} from './fixtures/hostile/fault-kit.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const MENTIONS = 1000;
/** The figure: the database is gone for 30 s. */
const OUTAGE_MS = 30_000;

let database: TestDatabase;
let proxy: TcpProxy;
let connection: Redis;
let queues: JobQueues;
let dir: Awaited<ReturnType<typeof tempDir>>;
let worker: WorkerProcess | undefined;
const prefix = `yqtest-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await tempDir('yq-fault-pg-');
  proxy = await startTcpProxy('127.0.0.1', 5432);
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
});

afterAll(async () => {
  await worker?.killHard().catch(() => {});
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true }).catch(() => {});
  await queues?.close();
  connection?.disconnect();
  await proxy?.close();
  await database?.drop();
  await dir?.cleanup();
});

describe('PostgreSQL unreachable for 30 s', () => {
  it('jobs fail while it is away, are retried, and nothing is lost or duplicated', async () => {
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    worker = await startWorker(['ingest', 'analyse'], {
      databaseUrl: viaProxy.toString(),
      redisUrl: REDIS_URL,
      prefix,
      dataDir: dir.path,
    });
    // Half the mentions arrive before the outage, half during it (a worker stores a backlog in seconds, so
    // mentions queued only before the cut could all be stored before it bites).
    const all = batches(generateMentions(MENTIONS, 'pg'), 25);
    const half = Math.floor(all.length / 2);
    for (const [i, batch] of all.slice(0, half).entries())
      await queues.add('ingest-mentions', { items: batch }, { jobId: `pg-${i}` });
    await waitFor(
      'work under way',
      async () => ((await analysedCount(database.db)) >= 50 ? true : undefined),
      60_000,
      100,
    );

    proxy.cut();
    for (const [i, batch] of all.slice(half).entries())
      await queues.add('ingest-mentions', { items: batch }, { jobId: `pg-${half + i}` });
    const atCut = { stored: await countRows(database, 'Mention'), analysed: await analysedCount(database.db) };
    // Let the outage bite: jobs must fail (and be scheduled for retry) while the database is away.
    const failedDuringOutage = await waitFor(
      'a failed attempt',
      async () => {
        const jobs = [
          ...(await queues.queue('ingest').getJobs(['delayed', 'wait', 'active'])),
          ...(await queues.queue('analyse').getJobs(['delayed', 'wait', 'active'])),
        ];
        const retried = jobs.filter((j) => j.attemptsMade > 0);
        return retried.length > 0 ? retried : undefined;
      },
      OUTAGE_MS,
      250,
    );
    const reasons = failedDuringOutage.map((j) => j.failedReason).filter(Boolean);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - 5000)));
    expect(worker.child.exitCode).toBeNull();
    expect(await countRows(database, 'Mention')).toBeLessThan(MENTIONS);
    proxy.restore();

    let last = '';
    await waitFor(
      'every mention stored and analysed after the outage',
      async () => {
        const now = {
          stored: await countRows(database, 'Mention'),
          analysed: await analysedCount(database.db),
          pending: await pendingWork(queues),
        };
        last = JSON.stringify(now);
        return now.analysed === MENTIONS && now.pending === 0 ? true : undefined;
      },
      90_000,
      500,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; last ${last}; at cut ${JSON.stringify(atCut)}; worker: ${worker!.output().slice(-1500)}`,
      );
    });
    expect(reasons.length).toBeGreaterThan(0);
    expect(await countRows(database, 'Mention')).toBe(MENTIONS);
    const dupes = await sqlRows<{ n: string }>(
      database,
      `SELECT count(*) AS n FROM (SELECT "mentionId" FROM "Analysis" GROUP BY "mentionId" HAVING count(*) > 1) t`,
    );
    expect(Number(dupes[0]!.n)).toBe(0);
    expect((await queues.queue('ingest').getJobCounts('failed')).failed).toBe(0);
    expect((await queues.queue('analyse').getJobCounts('failed')).failed).toBe(0);
    expect(await worker.stop()).toBe(0);
    worker = undefined;
  }, 170_000);
});
