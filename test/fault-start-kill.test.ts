// Fault injection: the single `yq start` process (dashboard, schedulers and every worker in one) is SIGKILLed while
// it paginates a JSON API source, at a seeded point (as the site is asked for a seeded page), and started again.
// Crawl, ingest and their queues die together; the restarted process takes the stalled crawl job over once its lock
// lapses and resumes the run. Every post must be stored exactly once and the run end complete. One seed and a small
// source (1,000 posts): a restart waits for BullMQ's 30 s lock, so this test is slow. YQ_FAULT_SEEDS picks the seed.
// This test guards the single process's restart path (the crawl in its own child process dies with it);
// fault-crawl-kill.test.ts aims at the loss window of the emit → checkpoint → seen order.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCrawlRuns } from '@yuqing/db';
import { canonicaliseUrl } from '@yuqing/domain';
import { upsertSources } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { countRows, createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { freePort, waitFor } from './helpers/net.ts';
import { spawnYq } from './helpers/yq.ts';
import { startPagedSite, type PagedSite } from './fixtures/crawl/paged-site.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SEED = Number((process.env.YQ_FAULT_SEEDS ?? '11').split(',')[0]);
const POSTS = 1000;
const PAGE_SIZE = 25;

let database: TestDatabase;
let site: PagedSite;
let dataDir: string;
let connection: ReturnType<typeof createRedisConnection>;
let queues: JobQueues;
let system: ReturnType<typeof spawnYq> | undefined;
let env: Record<string, string>;
let base: string;
const prefix = `yqtest-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  site = await startPagedSite({ jsonItems: POSTS, jsonPageSize: PAGE_SIZE });
  dataDir = await mkdtemp(join(tmpdir(), 'yq-start-kill-'));
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    DATABASE_URL: database.url,
    REDIS_URL,
    YQ_QUEUE_PREFIX: prefix,
    YQ_DATA_DIR: dataDir,
    PORT: String(port),
    YQ_ALLOWED_PRIVATE_HOSTS: site.host,
    YQ_ADMIN_PASSWORD: 'start-kill-admin-2026',
    YQ_ANALYSIS_THREADS: '0',
    LOG_LEVEL: 'warn',
  };
});

afterAll(async () => {
  if (system && system.exitCode === null && system.signalCode === null) system.kill('SIGKILL');
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true }).catch(() => {});
  await queues?.close();
  connection?.disconnect();
  await site?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function startSystem(): Promise<ReturnType<typeof spawnYq>> {
  const s = spawnYq(['start'], env);
  await waitFor(
    'yq start to answer /api/health',
    async () => {
      if (s.exitCode !== null) throw new Error(`yq start exited early:\n${s.output().slice(-2000)}`);
      const res = await fetch(`${base}/api/health`).catch(() => undefined);
      return res?.status === 200;
    },
    180_000,
    250,
  );
  return s;
}

describe('the single yq start process killed with SIGKILL while it paginates', () => {
  it(`seed ${SEED}: the restarted process resumes the run; every post is stored exactly once`, async () => {
    const started = Date.now();
    // mulberry32's first draw, as in fault-crawl-kill: where between 10 % and 70 % of the posts the kill lands.
    let a = (SEED * 31 + 3) >>> 0;
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const killAfter = Math.floor(POSTS * (0.1 + 0.6 * (((t ^ (t >>> 14)) >>> 0) / 4294967296)));
    const ns = `start-s${SEED}`;
    const [source] = await upsertSources(database.db, [
      {
        name: `分页接口 ${ns}`,
        kind: 'json',
        url: `${site.url}/${ns}/api/posts`,
        // Never due while the test runs: the only crawl is the one queued below.
        schedule: '0 0 1 1 *',
        config: {
          itemsPath: 'data.items',
          fields: { url: 'url', title: 'title', body: 'content', publishedAt: 'time' },
          pagination: { type: 'page', param: 'page', start: 1, maxPages: 200, totalPagesPath: 'data.pageCount' },
          limits: { requestsPerSecond: 1000, concurrency: 4 },
        },
      },
    ]);
    const expected = site.jsonItemUrls(ns).map((u) => canonicaliseUrl(u));
    const stored = () => countRows(database, 'Mention', '"sourceId" = $1', [source!.id]);

    system = await startSystem();
    const victim = system;
    // Killed as the site is asked for the page holding post `killAfter`: the crawl runs in its own child process
    // ahead of ingest, so a count of stored posts no longer says where pagination stands.
    const killPage = Math.floor(killAfter / PAGE_SIZE) + 1;
    let pagesServed = 0;
    const killed = new Promise<void>((resolve) => {
      site.onRequest = (path) => {
        if (!path.startsWith(`/${ns}/api/posts`)) return;
        if (++pagesServed === killPage) {
          victim.kill('SIGKILL');
          resolve();
        }
      };
    });
    await queues.add('crawl-source', { sourceId: source!.id, trigger: 'manual' });
    await Promise.race([
      killed,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`page ${killPage} never requested`)), 180_000)),
    ]);
    site.onRequest = undefined;
    await new Promise((r) =>
      victim.exitCode !== null || victim.signalCode !== null ? r(null) : victim.once('exit', r),
    );
    const atKill = { stored: await stored(), run: (await listCrawlRuns(database.db, source!.id))[0]?.status };
    expect(atKill.stored).toBeLessThan(POSTS);
    expect(atKill.run).toBe('running');

    const restartedAt = Date.now();
    system = await startSystem();
    const run = await waitFor(
      'the resumed run to finish and every batch to be ingested',
      async () => {
        const latest = (await listCrawlRuns(database.db, source!.id, { withCheckpoint: true })).at(-1);
        if (!latest || latest.status === 'queued' || latest.status === 'running') return undefined;
        const c = await queues.queue('ingest').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(c).every((n) => n === 0) ? latest : undefined;
      },
      240_000,
      500,
    );
    system.kill('SIGTERM');
    await new Promise((r) => system!.once('exit', r));

    const rows = await sqlRows<{ canonicalUrl: string; n: string }>(
      database,
      'SELECT "canonicalUrl", count(*) AS n FROM "Mention" WHERE "sourceId" = $1 GROUP BY "canonicalUrl"',
      [source!.id],
    );
    const have = new Set(rows.map((r) => r.canonicalUrl));
    const lost = expected.filter((u) => !have.has(u)).length;
    console.info(
      `fault-start-kill seed ${SEED}: killed at ${atKill.stored}/${POSTS} stored; lost ${lost}; run #${run.id} ${run.status}; recovered in ${((Date.now() - restartedAt) / 1000).toFixed(1)} s; whole test ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(lost).toBe(0);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    expect(run).toMatchObject({ status: 'succeeded', errorCode: null });
    expect(run.checkpoint).toMatchObject({ version: 2, complete: true, pending: [] });
  }, 600_000);
});
