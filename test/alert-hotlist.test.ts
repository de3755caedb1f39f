// The `hotlist.entry` alert trigger end to end on real PostgreSQL and Redis: the local stand-in for 知乎 serves two
// real recorded hot lists an hour apart (test/fixtures/platforms/hotlist), the crawl stores every entry's rank and
// keeps the one relevant entry as a mention, the analysis worker files it under an issue, and the every-minute
// `evaluate-alert-triggers` job alerts a loopback webhook with platform, rank and heat — once when the entry is first
// seen and once when it climbs into a better band, never again on further ticks; a channel that does not take the
// kind gets nothing, and a channel in its quiet hours gets it only when they end. Only the clock is fixed.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock } from '@yuqing/core';
import { buildSourceFromPreset, type SourceDefinition } from '@yuqing/domain';
import { crawlSource, HostThrottle, UrlGuard } from '@yuqing/crawlers';
import { createCrawlRun, createSource } from '@yuqing/db';
import { createAnalysisHandlers, createDirectSink } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { platformFixture, startPlatformServer, type PlatformServer } from './fixtures/platforms/platform-server.ts';
import { addWebhookChannel, runAlertJob, startWebhookReceiver, type WebhookReceiver } from './helpers/alert-system.ts';
import { waitUntil } from './helpers/net.ts';

const until = <T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean) =>
  waitUntil(what, read, done, 120_000);

const REDIS_URL = 'redis://127.0.0.1:6379';
const ZHIHU_PATH = '/api/v3/feed/topstory/hot-lists/total?limit=50';
/** The one 知乎 entry the shipped relevance model finds relevant (行政 asked to clean for a 500-yuan raise). */
const ZHIHU_HR_TITLE = '我是行政，老板说不招保洁了，让我一个月打扫一次厕所和会议室，给我涨工资 500 元，我怎么回？';
/**
 * Bands for this run: 知乎's relevant entry climbs from 22 to 14 between the two recordings, so a top-20 band
 * shows the climb on real data (the default bands, top 10 and top 3, are the domain tests' subject).
 */
const BANDS = [20, 10, 3];

/** What this file's body template sends. */
type Body = Record<string, string>;

let test: TestDatabase;
let platforms: PlatformServer;
let receiver: WebhookReceiver<Body>;
let queues: JobQueues;
let connection: ReturnType<typeof createRedisConnection>;
let runner: WorkerRunner;
const prefix = `yqtest-${randomUUID()}`;
// The first recording's time: Tuesday 2025-05-06 18:12 in Beijing (after office hours, a working day).
const clock = new ManualClock(new Date('2025-05-06T10:12:51Z'));

beforeAll(async () => {
  test = await createTestDatabase();
  platforms = await startPlatformServer();
  receiver = await startWebhookReceiver<Body>();
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
  const config = { ...loadConfig({}), allowedPrivateHosts: [receiver.host], publicUrl: 'https://yq.example.gov.cn' };
  const handlers = createAnalysisHandlers({ db: test.db, queues, config, clock, hotListBands: BANDS });
  runner = new WorkerRunner({
    redisUrl: REDIS_URL,
    prefix,
    queues: ['analyse', 'alert'],
    handlers,
    concurrency: 2,
    handleSignals: false,
  });
  runner.start();
  await runner.waitUntilReady();
}, 60_000);

// Every body sent was JSON: a refused one would show only as an alert that never came.
afterEach(() => expect(receiver.refused).toEqual([]));

afterAll(async () => {
  await runner?.close();
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true });
  await queues?.close();
  connection?.disconnect();
  await receiver?.close();
  await platforms?.close();
  await test?.drop();
});

const BODY =
  '{"issueId":"{{issue.id}}","reason":"{{issue.reason}}","text":"{{alert.text}}","platform":"{{hotList.platform}}",' +
  '"platformName":"{{hotList.platformName}}","rank":"{{hotList.rank}}","heat":"{{hotList.heat}}","entry":"{{hotList.title}}","band":"{{hotList.band}}"}';

const addChannel = (name: string, path: string, filter: Record<string, unknown>) =>
  addWebhookChannel(test.db, receiver, { name, path, bodyTemplate: BODY, filter });

/** Runs one evaluation tick through the alert queue, as the every-minute scheduler does, and waits for it. */
async function tick(): Promise<void> {
  await runAlertJob(queues, 'evaluate-alert-triggers', 120_000);
}

/** One poll of the stand-in's recorded list at `at`; new mentions go to the analysis worker. */
async function poll(source: { def: SourceDefinition; id: number }, fixture: string, at: string) {
  clock.set(new Date(at));
  platforms.routes.clear();
  platforms.routes.set(ZHIHU_PATH, { body: platformFixture(fixture) });
  const run = await createCrawlRun(test.db, { sourceId: source.id, trigger: 'test', workerId: 'test' });
  const result = await crawlSource({
    source: source.def,
    guard: new UrlGuard({ allowedPrivateHosts: [platforms.host] }),
    sink: createDirectSink({ db: test.db, sourceId: source.id, runId: run.id, clock, queues }),
    timeZone: 'Asia/Shanghai',
    clock,
    throttle: new HostThrottle(),
    sleep: async () => {},
    mode: 'full',
  });
  expect(result.status).toBe('succeeded');
  return result;
}

const mentionsOf = (sourceId: number) =>
  sqlRows<{ id: number; title: string; issueId: number | null; hotListRank: number }>(
    test.db,
    'SELECT id, title, "issueId", "hotListRank" FROM "Mention" WHERE "sourceId" = $1 ORDER BY id',
    [sourceId],
  );
const deliveries = () =>
  sqlRows<{ channelId: number; trigger: string; status: string }>(
    test.db,
    `SELECT "channelId", trigger, status FROM "AlertDelivery" ORDER BY id`,
  );

describe('hot-list entry alert', () => {
  it('alerts a relevant 知乎 entry when first seen and when it climbs a band, with platform, rank and heat', async () => {
    const hot = await addChannel('热榜群', '/hooks/hot', { triggers: ['hotlist.entry'] });
    const flagsOnly = await addChannel('只收新热点', '/hooks/flags', { triggers: ['new-flag'] });
    const quiet = await addChannel('夜间免打扰', '/hooks/quiet', {
      triggers: ['hotlist.entry'],
      quietHours: { start: '18:00', end: '08:00' },
    });
    const preset = buildSourceFromPreset('hotlist', { platform: 'zhihu' });
    const def: SourceDefinition = {
      ...preset,
      url: platforms.url,
      config: { ...(preset.config as Record<string, unknown>), limits: { requestsPerSecond: 500 } },
    } as SourceDefinition;
    const row = await createSource(test.db, {
      name: '知乎热榜',
      kind: def.kind,
      url: def.url,
      config: def.config as Record<string, unknown>,
      schedule: def.schedule,
    });
    const zhihu = { def, id: row.id };
    const hotHook = () => receiver.requests.filter((r) => r.path === '/hooks/hot');

    // First recording: 30 entries, one relevant (rank 22); the analysis files it under an issue.
    const first = await poll(zhihu, 'hotlist/zhihu-hot-lists-total-2025-05-06T1812.json', '2025-05-06T10:12:51Z');
    expect(first.itemsFound).toBe(30);
    const [mention] = await until(
      'the entry filed under an issue',
      () => mentionsOf(zhihu.id),
      (rows) => rows.length === 1 && rows[0]!.issueId !== null,
    );
    expect(mention).toMatchObject({ title: ZHIHU_HR_TITLE, hotListRank: 22 });
    const heats = () =>
      sqlRows<{ rank: number; heat: number }>(
        test.db,
        'SELECT rank, heat FROM "HotListObservation" WHERE "sourceId" = $1 AND title = $2 ORDER BY "observedAt"',
        [zhihu.id, ZHIHU_HR_TITLE],
      );
    const [seen] = await heats();

    await tick();
    await until('the first-seen alert', hotHook, (r) => r.length === 1);
    expect(hotHook()[0]!.body).toMatchObject({
      issueId: String(mention!.issueId),
      platform: 'zhihu',
      platformName: '知乎热榜',
      rank: '22',
      heat: String(seen!.heat),
      entry: ZHIHU_HR_TITLE,
      band: 'listed',
    });
    expect(hotHook()[0]!.body.reason).toMatch(/^相关热榜条目登上知乎热榜：「我是行政.*」第 22 名，热度 \d+(\.\d)?万$/);
    expect(hotHook()[0]!.body.text).toMatch(/热榜：知乎热榜 第 22 名，热度 /);
    // Ticks a minute apart add nothing.
    clock.advance(60_000);
    await tick();

    // An hour later the entry stands at 14: into the top-20 band, one more alert.
    await poll(zhihu, 'hotlist/zhihu-hot-lists-total-2025-05-06T1910.json', '2025-05-06T11:10:23Z');
    await tick();
    await until('the climb alert', hotHook, (r) => r.length === 2);
    const [, climbed] = await heats();
    expect(climbed!.rank).toBe(14);
    expect(hotHook()[1]!.body).toMatchObject({ rank: '14', heat: String(climbed!.heat), band: 'top20' });
    expect(hotHook()[1]!.body.reason).toMatch(/^相关热榜条目进入知乎热榜前 20：/);
    for (let k = 0; k < 3; k++) {
      clock.advance(60_000);
      await tick();
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(hotHook()).toHaveLength(2);

    // The channel taking only new flags got nothing; the quiet channel's alerts wait for 08:00 (not sent, not lost).
    expect(receiver.requests.filter((r) => r.path === '/hooks/flags')).toEqual([]);
    expect(receiver.requests.filter((r) => r.path === '/hooks/quiet')).toEqual([]);
    const waiting = await queues.queue('alert').getDelayed();
    const quietJobs = waiting.filter((j) => j.data.channelId === quiet.id);
    expect(quietJobs.map((j) => j.data.trigger).sort()).toEqual([
      `hotlist.entry:${mention!.id}:listed`,
      `hotlist.entry:${mention!.id}:top20`,
    ]);
    // 18:12 → 08:00 Beijing: about 13.8 hours.
    expect(Math.max(...quietJobs.map((j) => j.opts.delay ?? 0))).toBeGreaterThan(13 * 3600_000);
    const rows = await deliveries();
    expect(rows.filter((r) => r.channelId === flagsOnly.id)).toEqual([]);
    expect(rows.filter((r) => r.channelId === hot.id).map((r) => [r.trigger, r.status])).toEqual([
      [`hotlist.entry:${mention!.id}:listed`, 'sent'],
      [`hotlist.entry:${mention!.id}:top20`, 'sent'],
    ]);
  }, 300_000);
});
