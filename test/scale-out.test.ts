// Scale-out: two `yq worker` processes (separate PostgreSQL and Redis connections, nothing shared but the
// database and the queues) crawl six sites, ingest and analyse together. Both do crawl work (CrawlRun.workerId
// names the process) and the end result is exactly once: every article stored once, analysed once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, countRows, sqlRows } from '@yuqing/testkit';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { upsertSources } from '@yuqing/pipeline';
import type { Redis } from 'ioredis';
import { waitFor } from './helpers/net.ts';
import { startFixtureServer, type FixtureServer } from './fixtures/crawl/fixture-server.ts';
import { startWorker, tempDir, type WorkerProcess } from './fixtures/hostile/fault-kit.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SITES = 6;
const ARTICLES_PER_SITE = 30;

let database: TestDatabase;
let connection: Redis;
let queues: JobQueues;
let dir: Awaited<ReturnType<typeof tempDir>>;
const sites: FixtureServer[] = [];
const workers: WorkerProcess[] = [];
const prefix = `yqtest-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await tempDir('yq-scale-out-');
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
  // Each detail page answers after 40 ms, so a crawl takes a couple of seconds and the jobs overlap.
  for (let i = 0; i < SITES; i++)
    sites.push(await startFixtureServer({ articleCount: ARTICLES_PER_SITE, detailDelayMs: 40 }));
});

afterAll(async () => {
  for (const w of workers) await w.killHard().catch(() => {});
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true }).catch(() => {});
  await queues?.close();
  connection?.disconnect();
  for (const s of sites) await s.close();
  await database?.drop();
  await dir?.cleanup();
});

describe('two worker processes', () => {
  it('share the queues, both crawl, and every article is stored and analysed exactly once', async () => {
    const env = {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      prefix,
      dataDir: dir.path,
      allowedPrivateHosts: sites.map((s) => s.host),
    };
    workers.push(
      ...(await Promise.all([
        startWorker(['crawl', 'ingest', 'analyse'], env),
        startWorker(['crawl', 'ingest', 'analyse'], env),
      ])),
    );
    const created = await upsertSources(
      database.db,
      sites.map((s, i) => ({
        name: `站点${i}`,
        kind: 'html',
        url: `${s.url}/news/`,
        config: {
          list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 5 },
          detail: { title: 'h1.title', time: '.pubtime', body: '.article-body', author: '.author' },
          limits: { requestsPerSecond: 50, concurrency: 2 },
        },
      })),
    );
    for (const s of created)
      await queues.add('crawl-source', { sourceId: s.id, trigger: 'manual' }, { jobId: `scale-${s.id}` });

    const total = SITES * ARTICLES_PER_SITE;
    let last = '';
    await waitFor(
      'all crawled, stored and analysed',
      async () => {
        const runs = await sqlRows<{ status: string }>(database, 'SELECT status FROM "CrawlRun"');
        const analysed = Number(
          (await sqlRows<{ n: string }>(database, `SELECT count(DISTINCT "mentionId") AS n FROM "Analysis"`))[0]!.n,
        );
        let pending = 0;
        for (const name of ['crawl', 'ingest', 'analyse'] as const) {
          pending += Object.values(
            await queues.queue(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
          ).reduce((a, b) => a + b, 0);
        }
        last = JSON.stringify({ runs: runs.map((r) => r.status), analysed, pending });
        return runs.length === SITES &&
          runs.every((r) => r.status === 'succeeded') &&
          analysed === total &&
          pending === 0
          ? true
          : undefined;
      },
      100_000,
      500,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; last ${last}; worker 1: ${workers[0]!.output().slice(-800)}; worker 2: ${workers[1]!.output().slice(-800)}`,
      );
    });

    // Both processes crawled: CrawlRun.workerId is host:pid of the worker that ran it.
    const runs = await sqlRows<{ workerId: string | null; mentionsNew: number }>(
      database,
      'SELECT "workerId", "mentionsNew" FROM "CrawlRun"',
    );
    const pids = new Set(runs.map((r) => Number(r.workerId!.split(':').pop())));
    expect(pids).toEqual(new Set(workers.map((w) => w.pid)));
    expect(runs.reduce((sum, r) => sum + r.mentionsNew, 0)).toBe(total);
    // Exactly once.
    expect(await countRows(database, 'Mention')).toBe(total);
    const urls = await sqlRows<{ canonicalUrl: string }>(database, 'SELECT "canonicalUrl" FROM "Mention"');
    expect(new Set(urls.map((u) => u.canonicalUrl)).size).toBe(total);
    const dupes = await sqlRows<{ n: string }>(
      database,
      `SELECT count(*) AS n FROM (SELECT "mentionId" FROM "Analysis" GROUP BY "mentionId" HAVING count(*) > 1) t`,
    );
    expect(Number(dupes[0]!.n)).toBe(0);
    expect(await countRows(database, 'Mention', 'relevant AND "issueId" IS NULL')).toBe(0);
    for (const w of workers) expect(await w.stop()).toBe(0);
  }, 150_000);
});
