// Fault injection: the crawl worker process is SIGKILLed while it paginates, at seeded random points (a few
// milliseconds after the n-th batch of items it hands to ingest arrives: while it records the batch, checkpoints,
// or fetches the next pages), and started again; the job resumes the run from its checkpoint. Two sources: a JSON API of 4,000 posts paginated by page number, and an HTML list → detail site of 400
// articles. Every item must be stored exactly once, and the run recorded `succeeded` only because the source's
// pagination really ended. Seeds: YQ_FAULT_SEEDS (comma-separated), 11 and 23 by default.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCrawlRuns } from '@yuqing/db';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import { createCrawlHandlers, upsertSources } from '@yuqing/pipeline';
import { canonicaliseUrl, type SourceDefinitionInput } from '@yuqing/domain';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { waitFor } from './helpers/net.ts';
import { startPagedSite, type PagedSite } from './fixtures/crawl/paged-site.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const here = dirname(fileURLToPath(import.meta.url));
const SEEDS = (process.env.YQ_FAULT_SEEDS ?? '11,23')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n));
/** Kills per crawl: each at a later request than the one before. */
const KILLS_PER_CRAWL = 2;
/** After the chosen batch arrives, the kill waits up to this long, so it lands at any stage of the crawl's bookkeeping. */
const MAX_KILL_DELAY_MS = 20;

let database: TestDatabase;
let site: PagedSite;
let connection: ReturnType<typeof createRedisConnection>;
let queues: JobQueues;
let runner: WorkerRunner | undefined;
let child: ChildProcess | undefined;
/** Sees every 'ingest-mentions' job (the crawl worker's batches) before it is ingested. */
let onBatch: ((sourceId: number | undefined) => void) | undefined;
const prefix = `yqtest-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  site = await startPagedSite();
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
  // Ingest runs here; only the crawl worker is killed.
  const handlers = createCrawlHandlers({
    db: database.db,
    queues,
    config: { timeZone: 'Asia/Shanghai', allowedPrivateHosts: [site.host] },
    workerId: 'test-ingest',
  });
  const ingest = handlers['ingest-mentions']!;
  handlers['ingest-mentions'] = (payload, job) => {
    onBatch?.(payload.sourceId);
    return ingest(payload, job);
  };
  runner = new WorkerRunner({
    redisUrl: REDIS_URL,
    prefix,
    queues: ['ingest'],
    handleSignals: false,
    concurrency: 4,
    handlers,
  });
  runner.start();
  await runner.waitUntilReady();
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await runner?.close();
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true }).catch(() => {});
  await queues?.close();
  connection?.disconnect();
  await site?.close();
  await database?.drop();
});

/** mulberry32: a small seeded PRNG, so a failing seed replays the same kill points. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function startCrawlWorker(): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures/crawl/crawl-worker-child.ts')], {
    cwd: here,
    env: {
      ...process.env,
      LOG_LEVEL: 'error',
      YQ_CHILD_CONFIG: JSON.stringify({
        databaseUrl: database.url,
        redisUrl: REDIS_URL,
        prefix,
        allowedPrivateHosts: [site.host],
      }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    c.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    c.once('exit', (code) => reject(new Error(`crawl worker exited ${code}`)));
  });
  return c;
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r));

async function ingestIdle(): Promise<boolean> {
  const c = await queues.queue('ingest').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(c).every((n) => n === 0);
}

interface Case {
  name: 'json' | 'html';
  /** Batches a whole crawl hands to ingest, to spread the kill points over. */
  batches: number;
  definition(ns: string): SourceDefinitionInput;
  itemUrls(ns: string): string[];
}

const CASES: Case[] = [
  {
    name: 'json',
    batches: 160,
    definition: (ns) => ({
      name: `分页接口 ${ns}`,
      kind: 'json',
      url: `${site.url}/${ns}/api/posts`,
      config: {
        itemsPath: 'data.items',
        fields: { url: 'url', title: 'title', body: 'content', publishedAt: 'time' },
        pagination: { type: 'page', param: 'page', start: 1, maxPages: 200, totalPagesPath: 'data.pageCount' },
        limits: { requestsPerSecond: 1000, concurrency: 4 },
      },
    }),
    itemUrls: (ns) => site.jsonItemUrls(ns),
  },
  {
    name: 'html',
    batches: 16,
    definition: (ns) => ({
      name: `留言列表 ${ns}`,
      kind: 'html',
      url: `${site.url}/${ns}/board/`,
      config: {
        list: { itemLinks: 'ul.list a', nextPage: 'a.next', maxPages: 50 },
        detail: { title: 'h1.title', time: '.pubtime', body: '.article-body' },
        limits: { requestsPerSecond: 1000, concurrency: 4 },
      },
    }),
    itemUrls: (ns) => site.htmlItemUrls(ns),
  },
];

describe('a crawl worker killed with SIGKILL while it paginates', () => {
  for (const seed of SEEDS) {
    for (const kase of CASES) {
      it(`${kase.name}, seed ${seed}: every item is stored exactly once and the run succeeds only at the source's end`, async () => {
        const random = prng(seed * 31 + (kase.name === 'json' ? 1 : 2));
        // Kill points spread over the first 80 % of the crawl's batches, increasing.
        const killAt = Array.from({ length: KILLS_PER_CRAWL }, () => 1 + Math.floor(random() * kase.batches * 0.8))
          .sort((a, b) => a - b)
          .map((n, i) => n + i);
        const killDelays = killAt.map(() => Math.floor(random() * MAX_KILL_DELAY_MS));
        const ns = `s${seed}-${kase.name}`;
        const [source] = await upsertSources(database.db, [kase.definition(ns)]);
        const expected = kase.itemUrls(ns).map((u) => canonicaliseUrl(u));

        let batches = 0;
        let kills = 0;
        // The kill under way: its victim, and when the signal has been sent.
        let pending: { victim: ChildProcess; sent: Promise<void> } | undefined;
        onBatch = (sourceId) => {
          if (sourceId !== source!.id) return;
          batches++;
          // One kill at a time, aimed at the worker running now. Batches the killed worker handed over before it died
          // are ingested after the kill; had one of them aimed the next kill, it would hit the dead worker (or none)
          // while the loop below waited for its live successor to exit, for ever. A kill point passed meanwhile fires
          // at the next batch of the new worker.
          if (pending || !child || kills >= killAt.length || batches < killAt[kills]!) return;
          const victim = child;
          const delay = killDelays[kills]!;
          kills++;
          pending = {
            victim,
            sent: new Promise<void>((resolve) =>
              setTimeout(() => {
                victim.kill('SIGKILL');
                resolve();
              }, delay),
            ),
          };
        };
        child = await startCrawlWorker();
        await queues.add('crawl-source', { sourceId: source!.id, trigger: 'manual' });

        const started = Date.now();
        let restarts = 0;
        // Restart the worker after each kill, until the run is closed and every batch is ingested.
        const run = await waitFor(
          'the crawl run to finish',
          async () => {
            if (pending) {
              await pending.sent;
              await exited(pending.victim);
              restarts++;
              child = await startCrawlWorker();
              // Only now may the next kill be aimed: at the worker just started.
              pending = undefined;
            }
            const latest = (await listCrawlRuns(database.db, source!.id))[0];
            if (!latest || latest.status === 'queued' || latest.status === 'running') return undefined;
            return (await ingestIdle()) ? latest : undefined;
          },
          240_000,
          200,
        );
        onBatch = undefined;
        child.kill('SIGKILL');
        await exited(child);
        child = undefined;

        const rows = await sqlRows<{ canonicalUrl: string; n: string }>(
          database,
          'SELECT "canonicalUrl", count(*) AS n FROM "Mention" WHERE "sourceId" = $1 GROUP BY "canonicalUrl"',
          [source!.id],
        );
        const stored = new Set(rows.map((r) => r.canonicalUrl));
        const lost = expected.filter((u) => !stored.has(u)).length;
        const runs = await listCrawlRuns(database.db, source!.id, { withCheckpoint: true });
        console.info(
          `fault-crawl-kill ${kase.name} seed ${seed}: kills at batches ${killAt.join(', ')} (+${killDelays.join(', ')} ms), ${restarts} restart(s); ${batches} batches; stored ${stored.size}/${expected.length}, lost ${lost}; run #${run.id} ${run.status}${run.errorCode ? ` (${run.errorCode})` : ''}; ${runs.length} run(s): ${runs.map((r) => `#${r.id} ${r.status} +${r.mentionsNew}`).join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        expect(restarts).toBeGreaterThanOrEqual(1);
        expect(lost).toBe(0);
        expect(stored.size).toBe(expected.length);
        expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
        // The killed run, resumed, ends complete. A crawl job BullMQ delivers once more (its lock lapsed while the
        // loaded machine was busy) opens a further, incremental run after it, which finds nothing new to store.
        const first = runs.at(-1)!;
        expect(first).toMatchObject({ status: 'succeeded', errorCode: null });
        expect(first.checkpoint).toMatchObject({ version: 2, mode: 'full', complete: true, pending: [] });
        expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
        expect(runs.reduce((n, r) => n + r.mentionsNew, 0)).toBe(expected.length);
      }, 300_000);
    }
  }
});
