// Fault injection: a `yq worker --queues ingest,analyse` process is SIGKILLed in the middle of a run (jobs active,
// transactions possibly open). Another worker process then finishes: every mention is stored once and analysed once.
// At a low concurrency (2) and at the default one (32, YQ_WORKER_CONCURRENCY), where the worker holds many jobs and
// stores their mentions together when it dies. Each case has its own database and queue prefix.
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
  startWorker,
  tempDir,
  type WorkerProcess,
} from './fixtures/hostile/fault-kit.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const MENTIONS = 1500;
const BATCH = 25;

/** The README's default YQ_WORKER_CONCURRENCY. */
const DEFAULT_CONCURRENCY = 32;

describe.each([2, DEFAULT_CONCURRENCY])('a worker killed with SIGKILL mid-batch (concurrency %i)', (concurrency) => {
  let database: TestDatabase;
  let connection: Redis;
  let queues: JobQueues;
  let dataDir: Awaited<ReturnType<typeof tempDir>>;
  const prefix = `yqtest-${randomUUID()}`;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await tempDir('yq-fault-kill-');
    connection = createRedisConnection(REDIS_URL);
    queues = new JobQueues({ connection, prefix });
  });

  afterAll(async () => {
    for (const w of workers) await w.killHard().catch(() => {});
    for (const q of queues?.all() ?? []) await q.obliterate({ force: true }).catch(() => {});
    await queues?.close();
    connection?.disconnect();
    await database?.drop();
    await dataDir?.cleanup();
  });

  it('loses nothing and duplicates nothing: another worker finishes every ingest and analysis exactly once', async () => {
    const env = { databaseUrl: database.url, redisUrl: REDIS_URL, prefix, dataDir: dataDir.path, concurrency };
    const first = await startWorker(['ingest', 'analyse'], env);
    workers.push(first);
    const items = generateMentions(MENTIONS, 'kill');
    for (const [i, batch] of batches(items, BATCH).entries()) {
      await queues.add('ingest-mentions', { items: batch }, { jobId: `ingest-kill-${i}` });
    }

    // Kill once analysis is well under way, while ingest and analyse jobs are still queued or active. At the
    // default concurrency the worker stores (and then analyses) the mentions of up to 32 jobs at once, 800 here:
    // by the time 100 are analysed nearly everything is, so it dies as soon as its first group is stored.
    await waitFor(
      concurrency === DEFAULT_CONCURRENCY ? 'first stored mentions' : 'first analyses',
      async () =>
        concurrency === DEFAULT_CONCURRENCY
          ? (await countRows(database, 'Mention')) > 0
          : (await analysedCount(database.db)) >= 100,
      60_000,
      concurrency === DEFAULT_CONCURRENCY ? 25 : 100,
    );
    await first.killHard();
    // Really gone (no orphaned child still working): signal 0 to its pid fails.
    expect(() => process.kill(first.pid, 0)).toThrow();
    const atKill = {
      analysed: await analysedCount(database.db),
      stored: await countRows(database, 'Mention'),
      pending: await pendingWork(queues),
      active:
        ((await queues.queue('analyse').getJobCounts('active')).active ?? 0) +
        ((await queues.queue('ingest').getJobCounts('active')).active ?? 0),
    };
    expect(atKill.analysed).toBeLessThan(MENTIONS);
    expect(atKill.pending).toBeGreaterThan(0);

    // The second worker re-queues the dead one's active jobs once their locks expire (stalled-job check), and
    // drains the rest.
    const second = await startWorker(['ingest', 'analyse'], env);
    workers.push(second);
    const restartedAt = Date.now();
    let progress = '';
    await waitFor(
      `${MENTIONS} mentions analysed (at the kill: ${JSON.stringify(atKill)})`,
      async () => {
        const now = {
          analysed: await analysedCount(database.db),
          stored: await countRows(database, 'Mention'),
          pending: await pendingWork(queues),
        };
        progress = JSON.stringify(now);
        return now.analysed === MENTIONS && now.pending === 0 ? true : undefined;
      },
      100_000,
      500,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last: ${progress}; worker output: ${second.output().slice(-1500)}`);
    });

    console.info(
      `fault-worker-kill (concurrency ${concurrency}): at the kill ${JSON.stringify(atKill)}; recovered in ${((Date.now() - restartedAt) / 1000).toFixed(1)} s`,
    );
    expect(await countRows(database, 'Mention')).toBe(MENTIONS);
    const urls = await sqlRows<{ canonicalUrl: string }>(database, 'SELECT "canonicalUrl" FROM "Mention"');
    expect(new Set(urls.map((u) => u.canonicalUrl)).size).toBe(MENTIONS);
    // Exactly one Analysis row per mention, and every mention carries its verdict.
    const perMention = await sqlRows<{ max: number; min: number; total: string }>(
      database,
      `
      SELECT max(c)::int AS max, min(c)::int AS min, sum(c) AS total FROM (SELECT count(*) AS c FROM "Analysis" GROUP BY "mentionId") t`,
    );
    expect(perMention[0]).toMatchObject({ max: 1, min: 1 });
    expect(Number(perMention[0]!.total)).toBe(MENTIONS);
    expect(await countRows(database, 'Mention', 'relevant IS NULL')).toBe(0);
    // Relevant mentions were clustered into issues; clustering never counted a mention twice.
    const relevant = await countRows(database, 'Mention', 'relevant');
    expect(relevant).toBeGreaterThan(MENTIONS / 2);
    expect(await countRows(database, 'Mention', 'relevant AND "issueId" IS NULL')).toBe(0);
    const issueTotals = await sqlRows<{ bad: string }>(
      database,
      `
      SELECT count(*) AS bad FROM "Issue" i WHERE i."mentionCount" <> (SELECT count(*) FROM "Mention" m WHERE m."issueId" = i.id)`,
    );
    expect(Number(issueTotals[0]!.bad)).toBe(0);
    const failed =
      ((await queues.queue('ingest').getJobCounts('failed')).failed ?? 0) +
      ((await queues.queue('analyse').getJobCounts('failed')).failed ?? 0);
    expect(failed).toBe(0);
    expect(await second.stop()).toBe(0);
  }, 180_000);
});
