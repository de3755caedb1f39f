// Crawl and ingest workers on the real PostgreSQL and Redis: schedule → crawl → ingest (dedupe, schemes) →
// analyse-mentions enqueued; blocked sources; a worker killed mid-crawl resumes on another without loss or duplicates.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import {
  claimCrawlRun,
  createCrawlRun,
  createMonitoringScheme,
  finishCrawlRun,
  getCrawlRun,
  getSourceById,
  listCrawlRuns,
  markUrlsSeen,
  renewCrawlRunLease,
  saveCrawlCheckpoint,
} from '@yuqing/db';
import { urlHash } from '@yuqing/domain';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import {
  crawlStoredSource,
  createCrawlHandlers,
  createDirectSink,
  createQueueSink,
  ingestMentions,
  upsertSources,
  type CrawlJobOutcome,
} from '@yuqing/pipeline';
import { HostThrottle, type CrawlCheckpoint } from '@yuqing/crawlers';
import { createTestDatabase, type TestDatabase, countRows, sqlRows } from '@yuqing/testkit';
import { startFixtureServer, type FixtureServer } from './fixtures/crawl/fixture-server.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const here = dirname(fileURLToPath(import.meta.url));

let database: TestDatabase;
let site: FixtureServer;
let prefix: string;
let connection: ReturnType<typeof createRedisConnection>;
let queues: JobQueues;
let runner: WorkerRunner | undefined;
let child: ChildProcess | undefined;
const allowedHosts: string[] = [];
const config = () => ({ timeZone: 'Asia/Shanghai', allowedPrivateHosts: allowedHosts });

beforeAll(async () => {
  database = await createTestDatabase();
  site = await startFixtureServer({ articleCount: 25 });
  allowedHosts.push(site.host);
  prefix = `yqtest-${randomUUID()}`;
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
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

function startRunner(names: Array<'crawl' | 'ingest' | 'maintenance'>, clock?: ManualClock): WorkerRunner {
  const r = new WorkerRunner({
    redisUrl: REDIS_URL,
    prefix,
    queues: names,
    handleSignals: false,
    concurrency: 2,
    stalledIntervalMs: 1000,
    lockDurationMs: 5000,
    handlers: createCrawlHandlers({
      db: database.db,
      queues,
      config: config(),
      ...(clock ? { clock } : {}),
      workerId: 'test-worker',
    }),
  });
  r.start();
  return r;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function idle(): Promise<boolean> {
  return (await queues.pendingCount()) === (await queues.queue('analyse').getJobCounts('waiting')).waiting;
}

const newsDefinition = (url: string, maxPages = 5) => ({
  name: '测试新闻',
  kind: 'html',
  url,
  schedule: '*/5 * * * *',
  region: '测试市',
  config: {
    list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages },
    detail: { title: 'h1.title', time: '.pubtime', body: '.article-body', author: '.author' },
    limits: { requestsPerSecond: 200, concurrency: 4 },
  },
});

describe('sources', () => {
  it('upsertSources validates with clear errors and is idempotent by kind + url', async () => {
    await expect(
      upsertSources(database.db, [{ kind: 'html', url: `${site.url}/news/`, config: { list: {} } }]),
    ).rejects.toThrow(/source\[0\]\.config\.list\.itemLinks/);
    await expect(upsertSources(database.db, [{ kind: 'rss', url: 'ftp://x' }])).rejects.toThrow(
      /source\[0\]\.url: expected an http\(s\) URL/,
    );
    const first = await upsertSources(database.db, [{ kind: 'rss', url: `${site.url}/feed.xml` }]);
    const second = await upsertSources(database.db, [{ kind: 'rss', url: `${site.url}/feed.xml`, name: '改名' }]);
    expect(first[0]!.created).toBe(true);
    expect(second[0]).toMatchObject({ id: first[0]!.id, created: false });
    expect((await getSourceById(database.db, first[0]!.id))?.name).toBe('改名');
    await sqlRows(database, 'UPDATE "Source" SET enabled = false WHERE id = $1', [first[0]!.id]);
  });
});

describe('schedule → crawl → ingest', () => {
  it('crawls a due source through the queues, stores mentions once, and announces them for analysis', async () => {
    const clock = new ManualClock(new Date('2026-11-27T02:07:00Z'));
    const [src] = await upsertSources(database.db, [newsDefinition(`${site.url}/news/`)]);
    runner = startRunner(['crawl', 'ingest', 'maintenance'], clock);
    await runner.waitUntilReady();
    await queues.add('schedule-crawls', {});
    await waitFor(
      '25 mentions',
      async () => (await countRows(database, 'Mention', '"sourceId" = $1', [src!.id])) === 25 && (await idle()),
    );
    const runs = await listCrawlRuns(database.db, src!.id, { withCheckpoint: true });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'succeeded',
      pagesFetched: 28,
      itemsFound: 25,
      mentionsNew: 25,
      trigger: 'schedule',
      // The closing checkpoint: nothing pending, pagination ended at the source's end (the next crawl is incremental).
      checkpoint: { version: 2, mode: 'full', complete: true, pending: [], pagesFetched: 28, itemsFound: 25 },
    });
    const [m] = await sqlRows<{ publishedAt: Date | null; searchTokens: string }>(
      database,
      'SELECT * FROM "Mention" WHERE "sourceId" = $1 AND url LIKE $2',
      [src!.id, '%/news/7.html%'],
    );
    expect(m).toMatchObject({
      canonicalUrl: `${site.url}/news/7.html`,
      title: '第7号通知：社保卡办理指南',
      author: '测试市人社局',
      region: '测试市',
      rawEncoding: 'utf-8',
      relevant: true,
    });
    expect(m!.publishedAt?.toISOString()).toBe('2026-11-08T01:30:00.000Z');
    expect(m!.searchTokens).toContain('社保');
    const announced = (await queues.queue('analyse').getJobs(['waiting'])).flatMap(
      (j) => j.data.mentionIds as number[],
    );
    expect(new Set(announced).size).toBe(25);
    const source = await getSourceById(database.db, src!.id);
    expect(source).toMatchObject({ lastStatus: 'succeeded', blockedReason: null });

    // Same fire time: the scheduler does not enqueue it again.
    await queues.add('schedule-crawls', {}, { jobId: 'tick-2' });
    // A manual re-run finds nothing new (list answers 304) and stores nothing twice.
    await queues.add('crawl-source', { sourceId: src!.id, trigger: 'manual' });
    await waitFor(
      'second run',
      async () =>
        (await listCrawlRuns(database.db, src!.id)).length === 2 &&
        (await listCrawlRuns(database.db, src!.id))[0]!.status === 'succeeded' &&
        (await idle()),
    );
    const second = (await listCrawlRuns(database.db, src!.id, { withCheckpoint: true }))[0]!;
    expect(second).toMatchObject({
      pagesFetched: 1,
      mentionsNew: 0,
      checkpoint: { mode: 'incremental', complete: true },
    });
    expect(await countRows(database, 'Mention', '"sourceId" = $1', [src!.id])).toBe(25);
  });

  it('a blocked source shows the reason and stores nothing', async () => {
    const [src] = await upsertSources(database.db, [
      { kind: 'article', url: `${site.url}/blocked/captcha`, name: '验证码站' },
    ]);
    await queues.add('crawl-source', { sourceId: src!.id, trigger: 'manual' });
    const source = await waitFor('blocked', async () => {
      const s = await getSourceById(database.db, src!.id);
      return s?.lastStatus === 'blocked' ? s : undefined;
    });
    expect(source.blockedReason).toContain('验证码');
    expect((await listCrawlRuns(database.db, src!.id))[0]).toMatchObject({ status: 'blocked', errorCode: 'CAPTCHA' });
    expect(await countRows(database, 'Mention', '"sourceId" = $1', [src!.id])).toBe(0);
  });
});

describe('ingest', () => {
  it('dedupes by URL and by content within a source, applies schemes and tags', async () => {
    const [src] = await upsertSources(database.db, [
      { kind: 'rss', url: `${site.url}/ingest-test.xml`, name: '入库测试' },
    ]);
    await createMonitoringScheme(database.db, {
      name: '欠薪监测',
      rule: { all: [['云溪', '白鹭'], '欠薪|拖欠工资'], not: ['招聘'] },
      tags: ['欠薪'],
    });
    const base = { title: '云溪区某公司欠薪三个月', body: '白鹭街道工人反映拖欠工资。' };
    const result = await ingestMentions(
      database.db,
      [
        { url: `${site.url}/i/1.html`, ...base },
        { url: `${site.url}/i/1.html?utm_source=x`, ...base },
        { url: `${site.url}/i/2.html`, title: '云溪区某公司欠薪三个月！', body: '白鹭街道 工人反映拖欠工资' },
        { url: `${site.url}/i/3.html`, title: '云溪区招聘会', body: '欠薪企业不得参加' },
        { url: `${site.url}/i/4.html`, title: '天气', body: '明天下雨' },
      ],
      { sourceId: src!.id, queues },
    );
    expect(result).toMatchObject({ received: 5, stored: 1, duplicates: 2, filtered: 2 });
    const stored = await sqlRows<{ tags: string[] }>(database, 'SELECT * FROM "Mention" WHERE "sourceId" = $1', [
      src!.id,
    ]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tags).toEqual(['欠薪']);
    const again = await ingestMentions(database.db, [{ url: `${site.url}/i/1.html`, ...base }], { sourceId: src!.id });
    expect(again.stored).toBe(0);
    await sqlRows(database, 'DELETE FROM "MonitoringScheme"');
  });
});

describe('resume after a killed worker', () => {
  it('continues the same run on another worker without losing or duplicating mentions', async () => {
    await runner?.close();
    runner = startRunner(['ingest']);
    await runner.waitUntilReady();
    const bigSite = await startFixtureServer({ articleCount: 60, detailDelayMs: 120 });
    allowedHosts.push(bigSite.host);
    try {
      const [src] = await upsertSources(database.db, [
        {
          ...newsDefinition(`${bigSite.url}/news/`, 10),
          config: { ...newsDefinition('', 10).config, limits: { requestsPerSecond: 10, concurrency: 2 } },
        },
      ]);
      child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures/crawl/crawl-worker-child.ts')], {
        cwd: here,
        env: {
          ...process.env,
          YQ_CHILD_CONFIG: JSON.stringify({
            databaseUrl: database.url,
            redisUrl: REDIS_URL,
            prefix,
            allowedPrivateHosts: [site.host, bigSite.host],
          }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child!.once('exit', (code) => reject(new Error(`child exited ${code}`)));
      });
      await queues.add('crawl-source', { sourceId: src!.id, trigger: 'manual' });
      // Kill it after the first batch is handed over, well before the 60 details are done.
      await waitFor(
        'first batch',
        async () => (await countRows(database, 'SeenUrl', '"sourceId" = $1 AND etag IS NULL', [src!.id])) >= 25,
      );
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      child = undefined;
      const interrupted = (await listCrawlRuns(database.db, src!.id, { withCheckpoint: true }))[0]!;
      expect(interrupted.status).toBe('running');
      expect(interrupted.workerId).toBe('child-worker');
      expect(interrupted.checkpoint).not.toBeNull();
      const fetchedBefore = [...bigSite.state.hits.keys()].filter((k) => /^\/news\/\d+\.html/.test(k)).length;
      expect(fetchedBefore).toBeLessThan(60);

      await runner.close();
      runner = startRunner(['crawl', 'ingest']);
      await runner.waitUntilReady();
      await waitFor(
        '60 mentions',
        async () =>
          (await countRows(database, 'Mention', '"sourceId" = $1', [src!.id])) === 60 &&
          (await listCrawlRuns(database.db, src!.id))[0]!.status === 'succeeded' &&
          (await idle()),
        60_000,
      );
      const runs = await listCrawlRuns(database.db, src!.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'succeeded', workerId: 'test-worker', mentionsNew: 60 });
      const urls = await sqlRows<{ canonicalUrl: string }>(
        database,
        'SELECT "canonicalUrl" FROM "Mention" WHERE "sourceId" = $1',
        [src!.id],
      );
      expect(new Set(urls.map((u) => u.canonicalUrl)).size).toBe(60);
      // Pages emitted before the kill were not fetched again.
      const refetched = [...bigSite.state.hits.entries()].filter(
        ([k, n]) => /^\/news\/\d+\.html/.test(k) && n > 1,
      ).length;
      expect(refetched).toBeLessThan(10);
    } finally {
      await bigSite.close();
    }
  }, 120_000);
});

describe('how the next crawl paginates', () => {
  it('after a run that did not finish its pagination it pages to the source end past seen pages; after a complete run it is incremental', async () => {
    const pagedSite = await startFixtureServer({ articleCount: 25 });
    allowedHosts.push(pagedSite.host);
    try {
      const [src] = await upsertSources(database.db, [
        { ...newsDefinition(`${pagedSite.url}/news/`, 5), name: '续爬模式' },
      ]);
      // What a run recorded before closing checkpoints existed left behind: list page 1's items (25…16) seen, the
      // run closed as succeeded with no checkpoint, pages 2 and 3 never read.
      const earlier = await createCrawlRun(database.db, { sourceId: src!.id, trigger: 'schedule', workerId: 'old' });
      await finishCrawlRun(database.db, earlier.id, {
        status: 'succeeded',
        finishedAt: new Date(),
        pagesFetched: 11,
        itemsFound: 10,
      });
      const page1 = Array.from({ length: 10 }, (_, i) => `${pagedSite.url}/news/${25 - i}.html`);
      await markUrlsSeen(
        database.db,
        src!.id,
        page1.map((u) => ({ urlHash: urlHash(u), url: u })),
        new Date(),
      );
      const crawl = () =>
        crawlStoredSource({
          db: database.db,
          sourceId: src!.id,
          trigger: 'schedule',
          config: config(),
          throttle: new HostThrottle(),
          sleep: async () => {},
          makeSink: (sourceId, runId, lease) => createDirectSink({ db: database.db, sourceId, runId, lease }),
        });
      const full = await crawl();
      expect(full.result).toMatchObject({ status: 'succeeded', mode: 'full', complete: true, itemsEmitted: 15 });
      expect(await countRows(database, 'Mention', '"sourceId" = $1', [src!.id])).toBe(15);
      expect(pagedSite.state.hits.get('/news/?page=3')).toBe(1);

      const next = await crawl();
      expect(next.result).toMatchObject({ status: 'succeeded', mode: 'incremental', complete: true, pagesFetched: 1 });
      expect(pagedSite.state.hits.get('/news/?page=2')).toBe(1);
      const runs = await listCrawlRuns(database.db, src!.id, { withCheckpoint: true });
      expect(runs.map((r) => (r.checkpoint as { mode?: string } | null)?.mode ?? null)).toEqual([
        'incremental',
        'full',
        null,
      ]);
    } finally {
      await pagedSite.close();
    }
  }, 60_000);
});

describe('one worker per crawl run (lease)', () => {
  const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

  it('of workers claiming one run at once exactly one wins; a lapsed lease is taken over and its old holder can no longer save or finish', async () => {
    const [src] = await upsertSources(database.db, [
      { kind: 'article', url: `${site.url}/news/1.html`, name: '租约测试' },
    ]);
    const now = new Date('2026-11-27T02:00:00Z');
    // Left behind by a worker whose lease lapsed a millisecond ago.
    const run = await createCrawlRun(database.db, {
      sourceId: src!.id,
      trigger: 'test',
      workerId: 'dead-worker',
      lease: { token: 'dead', expiresAt: at(now, -1) },
    });
    const workers = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
    const claims = await Promise.all(
      workers.map((w) =>
        claimCrawlRun(database.db, run.id, { workerId: w, lease: { token: w, expiresAt: at(now, 30_000) }, now }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = workers[claims.indexOf(true)]!;
    expect(await getCrawlRun(database.db, run.id)).toMatchObject({
      status: 'running',
      workerId: winner,
      leaseToken: winner,
      leaseExpiresAt: at(now, 30_000),
    });

    // While the lease holds nobody else gets the run; its holder renews it.
    expect(
      await claimCrawlRun(database.db, run.id, {
        workerId: 'late',
        lease: { token: 'late', expiresAt: at(now, 59_000) },
        now: at(now, 29_000),
      }),
    ).toBe(false);
    expect(await renewCrawlRunLease(database.db, run.id, { token: winner, expiresAt: at(now, 40_000) })).toBe(true);
    expect(
      await claimCrawlRun(database.db, run.id, {
        workerId: 'late',
        lease: { token: 'late', expiresAt: at(now, 65_000) },
        now: at(now, 35_000),
      }),
    ).toBe(false);

    // Lapsed: the next worker takes over; the old holder's renewals, checkpoints and outcome are refused.
    const later = at(now, 41_000);
    expect(
      await claimCrawlRun(database.db, run.id, {
        workerId: 'next',
        lease: { token: 'next', expiresAt: at(later, 30_000) },
        now: later,
      }),
    ).toBe(true);
    const stale = { token: winner, expiresAt: at(later, 30_000) };
    expect(await renewCrawlRunLease(database.db, run.id, stale)).toBe(false);
    const checkpoint: CrawlCheckpoint = { version: 2, mode: 'full', pending: [], pagesFetched: 99, itemsFound: 99 };
    expect(
      await saveCrawlCheckpoint(database.db, run.id, { checkpoint, pagesFetched: 99, itemsFound: 99 }, stale),
    ).toBe(false);
    const outcome = { status: 'succeeded' as const, finishedAt: later, pagesFetched: 99, itemsFound: 99 };
    expect(await finishCrawlRun(database.db, run.id, outcome, winner)).toBe(false);
    expect(await getCrawlRun(database.db, run.id)).toMatchObject({
      status: 'running',
      workerId: 'next',
      leaseToken: 'next',
      pagesFetched: 0,
      checkpoint: null,
    });

    // The holder saves and finishes; a finished run cannot be claimed.
    expect(
      await saveCrawlCheckpoint(
        database.db,
        run.id,
        { checkpoint, pagesFetched: 5, itemsFound: 5 },
        { token: 'next', expiresAt: at(later, 60_000) },
      ),
    ).toBe(true);
    expect(await getCrawlRun(database.db, run.id)).toMatchObject({
      pagesFetched: 5,
      checkpoint,
      leaseExpiresAt: at(later, 60_000),
    });
    expect(await finishCrawlRun(database.db, run.id, { ...outcome, pagesFetched: 6 }, 'next')).toBe(true);
    expect(await getCrawlRun(database.db, run.id)).toMatchObject({
      status: 'succeeded',
      pagesFetched: 6,
      checkpoint: null,
      leaseToken: null,
      leaseExpiresAt: null,
    });
    expect(
      await claimCrawlRun(database.db, run.id, {
        workerId: 'after',
        lease: { token: 'after', expiresAt: at(later, 99_000) },
        now: at(later, 90_000),
      }),
    ).toBe(false);
  });

  it('two workers resuming one run at once: one crawls it, the other is refused with CRAWL_RUN_BUSY; nothing is fetched or stored twice', async () => {
    const slowSite = await startFixtureServer({ articleCount: 12, detailDelayMs: 150 });
    allowedHosts.push(slowSite.host);
    try {
      const [src] = await upsertSources(database.db, [
        { ...newsDefinition(`${slowSite.url}/news/`, 3), name: '并发续爬' },
      ]);
      // What a worker killed mid-run leaves: a running run with a checkpoint and a lapsed lease.
      const dead = new Date(Date.now() - 60_000);
      const run = await createCrawlRun(database.db, {
        sourceId: src!.id,
        trigger: 'schedule',
        workerId: 'dead-worker',
        lease: { token: 'dead', expiresAt: dead },
      });
      const checkpoint: CrawlCheckpoint = {
        version: 2,
        mode: 'full',
        pending: [{ url: `${slowSite.url}/news/`, label: 'list', pageIndex: 0 }],
        pagesFetched: 0,
        itemsFound: 0,
      };
      await saveCrawlCheckpoint(database.db, run.id, { checkpoint, pagesFetched: 0, itemsFound: 0 });
      const resume = (workerId: string) =>
        crawlStoredSource({
          db: database.db,
          sourceId: src!.id,
          trigger: 'schedule',
          config: config(),
          workerId,
          throttle: new HostThrottle(),
          sleep: async () => {},
          makeSink: (sourceId, runId, lease) => createDirectSink({ db: database.db, sourceId, runId, lease }),
        });
      const outcomes = await Promise.allSettled([resume('worker-a'), resume('worker-b')]);
      const done = outcomes.filter((o): o is PromiseFulfilledResult<CrawlJobOutcome> => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(done).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toMatchObject({ code: 'CRAWL_RUN_BUSY', retryable: true });
      expect(done[0]!.value).toMatchObject({
        runId: run.id,
        resumed: true,
        result: { status: 'succeeded', itemsEmitted: 12 },
      });
      const runs = await listCrawlRuns(database.db, src!.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: run.id, status: 'succeeded', mentionsNew: 12, leaseToken: null });
      expect(await countRows(database, 'Mention', '"sourceId" = $1', [src!.id])).toBe(12);
      const details = [...slowSite.state.hits.entries()].filter(([k]) => /^\/news\/\d+\.html/.test(k));
      expect(details).toHaveLength(12);
      expect(details.every(([, n]) => n === 1)).toBe(true);
    } finally {
      await slowSite.close();
    }
  }, 60_000);

  it('a worker that loses its run to another (its lease lapsed) stops without finishing the run', async () => {
    const slowSite = await startFixtureServer({ articleCount: 30, detailDelayMs: 200 });
    allowedHosts.push(slowSite.host);
    try {
      const [src] = await upsertSources(database.db, [
        {
          ...newsDefinition(`${slowSite.url}/news/`, 3),
          name: '租约丢失',
          config: { ...newsDefinition('', 3).config, limits: { requestsPerSecond: 50, concurrency: 1 } },
        },
      ]);
      const clock = new ManualClock(new Date());
      const crawling = crawlStoredSource({
        db: database.db,
        sourceId: src!.id,
        trigger: 'manual',
        config: config(),
        clock,
        workerId: 'stalled-worker',
        leaseMs: 600,
        throttle: new HostThrottle(),
        sleep: async () => {},
        makeSink: (sourceId, runId, lease) =>
          createQueueSink({ db: database.db, queues, sourceId, runId, clock, lease }),
      });
      const run = await waitFor('the run', async () => (await listCrawlRuns(database.db, src!.id))[0]);
      await waitFor('a detail page', async () =>
        [...slowSite.state.hits.keys()].some((k) => /^\/news\/\d+\.html/.test(k)),
      );
      // Another worker whose clock is past the lease takes the run over (the first one looks stalled to it).
      const takeover = at(clock.now(), 10_000);
      expect(
        await claimCrawlRun(database.db, run.id, {
          workerId: 'new-worker',
          lease: { token: 'new', expiresAt: at(takeover, 30_000) },
          now: takeover,
        }),
      ).toBe(true);
      const outcome = await crawling;
      expect(outcome.skipped).toMatch(/taken over by another worker/);
      expect(outcome.result).toMatchObject({ status: 'failed', errorCode: 'CRAWL_STOPPED' });
      const details = [...slowSite.state.hits.keys()].filter((k) => /^\/news\/\d+\.html/.test(k));
      expect(details.length).toBeLessThan(30);
      // The run is the new holder's: still running, not finished by the old one.
      expect(await getCrawlRun(database.db, run.id)).toMatchObject({
        status: 'running',
        workerId: 'new-worker',
        leaseToken: 'new',
        finishedAt: null,
      });
      expect((await getSourceById(database.db, src!.id))!.lastStatus).not.toBe('succeeded');
    } finally {
      await slowSite.close();
    }
  }, 60_000);
});
