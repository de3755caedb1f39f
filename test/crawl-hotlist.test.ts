// The hotlist source kind end to end: a local stand-in for the platforms serves real recorded hot lists
// (test/fixtures/platforms/hotlist, two polls an hour apart per platform), crawls store through the CLI's direct
// sink into a real PostgreSQL, and the dashboard API shows a mention's rank history. Only the clock is fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { buildSourceFromPreset, type SourceDefinition } from '@yuqing/domain';
import { crawlSource, HostThrottle, UrlGuard } from '@yuqing/crawlers';
import { createCrawlRun, createMonitoringScheme, createSource, loadUnanalysedMentions } from '@yuqing/db';
import { createDirectSink } from '@yuqing/pipeline';
import { ApiClient, sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { platformFixture, startPlatformServer, type PlatformServer } from './fixtures/platforms/platform-server.ts';

const WEIBO_PATH =
  '/api/container/getIndex?containerid=106003type%3D25%26t%3D3%26disable_hot%3D1%26filter_type%3Drealtimehot';
const ZHIHU_PATH = '/api/v3/feed/topstory/hot-lists/total?limit=50';
const BAIDU_PATH = '/api/board?platform=web&tab=realtime';
const DOUYIN_PATH = '/aweme/v1/hot/search/list/?version_name=13.2.0&device_platform=android';
const TOUTIAO_PATH = '/hot-event/hot-board/?origin=toutiao_pc';
/** The one 知乎 entry the shipped relevance model finds relevant (行政 asked to clean for a 500-yuan raise). */
const ZHIHU_HR_TITLE = '我是行政，老板说不招保洁了，让我一个月打扫一次厕所和会议室，给我涨工资 500 元，我怎么回？';

let api: PlatformServer;
let guard: UrlGuard;
let t: TestDashboard;
let analyst: ApiClient;

beforeAll(async () => {
  api = await startPlatformServer();
  guard = new UrlGuard({ allowedPrivateHosts: [api.host] });
  t = await startTestDashboard();
  analyst = await ApiClient.login(t.url, t.users.analyst);
}, 120_000);
afterAll(async () => {
  await api?.close();
  await t?.close();
});

/** The preset's source for `platform`, pointed at the stand-in and stored, without a rate limit to wait on. */
async function hotListSource(platform: string) {
  const preset = buildSourceFromPreset('hotlist', { platform });
  if (preset.kind !== 'hotlist') throw new Error('the hotlist preset builds a hotlist source');
  const def: SourceDefinition = {
    ...preset,
    url: api.url,
    config: { ...preset.config, limits: { requestsPerSecond: 500 } },
  };
  const row = await createSource(t.db, {
    name: def.name ?? platform,
    kind: def.kind,
    url: def.url,
    config: def.config as Record<string, unknown>,
    schedule: def.schedule,
  });
  return { def, id: row.id };
}

/** One poll at `at` with the stand-in answering `answer` at `path`. */
async function poll(
  source: { def: SourceDefinition; id: number },
  path: string,
  answer: { body: string; status?: number; contentType?: string },
  at: string,
) {
  api.routes.clear();
  api.routes.set(path, answer);
  api.requests.length = 0;
  const clock = new ManualClock(new Date(at));
  const run = await createCrawlRun(t.db, { sourceId: source.id, trigger: 'test', workerId: 'test' });
  const result = await crawlSource({
    source: source.def,
    guard,
    sink: createDirectSink({ db: t.db, sourceId: source.id, runId: run.id, clock }),
    timeZone: 'Asia/Shanghai',
    clock,
    throttle: new HostThrottle(),
    sleep: async () => {},
    mode: 'full',
  });
  return { result, requests: api.requests.filter((r) => r.path !== '/robots.txt') };
}

const observations = (sourceId: number) =>
  sqlRows<{ n: number; polls: number }>(
    t.databaseUrl,
    'SELECT count(*)::int AS n, count(DISTINCT "observedAt")::int AS polls FROM "HotListObservation" WHERE "sourceId" = $1',
    [sourceId],
  );
const mentionsOf = (sourceId: number) =>
  sqlRows<{ id: number; title: string; hotListPlatform: string; hotListRank: number; hotListHeat: number }>(
    t.databaseUrl,
    'SELECT id, title, "hotListPlatform", "hotListRank", "hotListHeat" FROM "Mention" WHERE "sourceId" = $1 ORDER BY id',
    [sourceId],
  );

describe('hotlist source kind', () => {
  it('知乎热榜: every entry of two polls keeps its rank, only the relevant entry becomes a mention, with its history', async () => {
    const zhihu = await hotListSource('zhihu');
    const first = await poll(
      zhihu,
      ZHIHU_PATH,
      { body: platformFixture('hotlist/zhihu-hot-lists-total-2025-05-06T1812.json') },
      '2025-05-06T10:12:51Z',
    );
    expect(first.result.status).toBe('succeeded');
    expect(first.result.itemsFound).toBe(30);
    expect(first.requests).toHaveLength(1);
    expect(first.requests[0]!.headers.referer).toBe(`${api.url}/`);
    const second = await poll(
      zhihu,
      ZHIHU_PATH,
      { body: platformFixture('hotlist/zhihu-hot-lists-total-2025-05-06T1910.json') },
      '2025-05-06T11:10:23Z',
    );
    expect(second.result.status).toBe('succeeded');

    // 30 entries per poll, all recorded, relevant or not.
    expect((await observations(zhihu.id))[0]).toEqual({ n: 60, polls: 2 });
    // Hot lists are mostly off-topic: one mention, stored once over both polls, with its best rank and top heat.
    const mentions = await mentionsOf(zhihu.id);
    expect(mentions).toEqual([
      expect.objectContaining({ title: ZHIHU_HR_TITLE, hotListPlatform: 'zhihu', hotListRank: 14 }),
    ]);
    const [mention] = mentions;
    const history = await sqlRows<{ rank: number; heat: number }>(
      t.databaseUrl,
      `SELECT rank, heat FROM "HotListObservation" WHERE "sourceId" = $1 AND title = $2 ORDER BY "observedAt"`,
      [zhihu.id, ZHIHU_HR_TITLE],
    );
    expect(history.map((h) => h.rank)).toEqual([22, 14]);
    expect(mention!.hotListHeat).toBe(Math.max(...history.map((h) => h.heat)));

    // The rank reaches the analysis (hotness).
    const [forAnalysis] = await loadUnanalysedMentions(t.db, [mention!.id]);
    expect(forAnalysis).toMatchObject({ hotListRank: 14, sourceKind: 'hotlist' });

    // The API gives the rank history.
    const res = await analyst.get(`/api/mentions/${mention!.id}`);
    expect(res.status).toBe(200);
    expect(res.body.hotList).toEqual({
      platform: 'zhihu',
      rank: 14,
      heat: mention!.hotListHeat,
      history: [
        { observedAt: '2025-05-06T10:12:51.000Z', rank: 22, heat: history[0]!.heat },
        { observedAt: '2025-05-06T11:10:23.000Z', rank: 14, heat: history[1]!.heat },
      ],
    });
  }, 120_000);

  it('微博热搜: entries a monitoring scheme matches become mentions; the others are only observed', async () => {
    await createMonitoringScheme(t.db, { name: '热搜测试', rule: { any: ['真姐夫|吴宣仪三公'] }, tags: ['热搜'] });
    const weibo = await hotListSource('weibo');
    const first = await poll(
      weibo,
      WEIBO_PATH,
      { body: platformFixture('hotlist/weibo-realtimehot-2025-04-01T2132.json') },
      '2025-04-01T13:32:17Z',
    );
    expect(first.result.status).toBe('succeeded');
    expect(first.requests[0]!.headers['x-requested-with']).toBe('XMLHttpRequest');
    await poll(
      weibo,
      WEIBO_PATH,
      { body: platformFixture('hotlist/weibo-realtimehot-2025-04-01T2222.json') },
      '2025-04-01T14:22:22Z',
    );
    expect((await observations(weibo.id))[0]).toEqual({ n: 100, polls: 2 });
    const mentions = await mentionsOf(weibo.id);
    expect(mentions.map((m) => [m.title, m.hotListRank]).sort()).toEqual([
      ['吴宣仪三公分数', 1],
      ['真姐夫', 1],
    ]);
    const tags = await sqlRows<{ tags: string[] }>(t.databaseUrl, 'SELECT tags FROM "Mention" WHERE "sourceId" = $1', [
      weibo.id,
    ]);
    expect(tags.every((r) => r.tags.includes('热搜'))).toBe(true);
    const sister = mentions.find((m) => m.title === '真姐夫')!;
    const res = await analyst.get(`/api/mentions/${sister.id}`);
    expect(res.body.hotList.history.map((h: { rank: number }) => h.rank)).toEqual([1, 4]);
    expect(res.body.hotList.history[0].heat).toBe(1542565);
    expect(res.body.hotList.heat).toBe(1542565);
  }, 120_000);

  it('百度热搜: a recorded list is read whole and nothing in it is relevant', async () => {
    const baidu = await hotListSource('baidu');
    const { result } = await poll(
      baidu,
      BAIDU_PATH,
      { body: platformFixture('hotlist/baidu-board-realtime-2026-03-16T0632.json') },
      '2026-03-15T22:32:00Z',
    );
    expect(result.status).toBe('succeeded');
    expect((await observations(baidu.id))[0]).toEqual({ n: 50, polls: 1 });
    expect(await mentionsOf(baidu.id)).toEqual([]);
  }, 120_000);

  it('抖音热点: the ranked entries are read without the pinned topic; a scheme keeps one with its rank and heat', async () => {
    const douyin = await hotListSource('douyin');
    const { result, requests } = await poll(
      douyin,
      DOUYIN_PATH,
      { body: platformFixture('hotlist/douyin-hot-search-2021-01-12T0523.json') },
      '2021-01-11T21:23:02Z',
    );
    expect(result.status).toBe('succeeded');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.referer).toBe(`${api.url}/`);
    // The trimmed recording holds the pinned topic and positions 1–10: 10 observed, none relevant to the model.
    expect((await observations(douyin.id))[0]).toEqual({ n: 10, polls: 1 });
    expect(await mentionsOf(douyin.id)).toEqual([]);
    await createMonitoringScheme(t.db, { name: '抖音测试', rule: { any: ['天价水果'] }, tags: ['抖音'] });
    await poll(
      douyin,
      DOUYIN_PATH,
      { body: platformFixture('hotlist/douyin-hot-search-2021-01-12T0523.json') },
      '2021-01-11T21:38:02Z',
    );
    expect(await mentionsOf(douyin.id)).toEqual([
      expect.objectContaining({
        title: '记者走访广州上下九天价水果档',
        hotListPlatform: 'douyin',
        hotListRank: 3,
        hotListHeat: 7002764,
      }),
    ]);
  }, 120_000);

  it('今日头条热榜: data[] is read in order without the pinned entry; a scheme keeps one with its rank and heat', async () => {
    const toutiao = await hotListSource('toutiao');
    const fixture = { body: platformFixture('hotlist/toutiao-hot-board-2026-10-06T0626.json') };
    const { result, requests } = await poll(toutiao, TOUTIAO_PATH, fixture, '2026-10-05T22:26:08Z');
    expect(result.status).toBe('succeeded');
    expect(requests).toHaveLength(1);
    // The trimmed recording holds the first 3 entries and the pinned one: 3 observed, none relevant to the model.
    expect((await observations(toutiao.id))[0]).toEqual({ n: 3, polls: 1 });
    expect(await mentionsOf(toutiao.id)).toEqual([]);
    await createMonitoringScheme(t.db, { name: '头条测试', rule: { any: ['金店'] }, tags: ['头条'] });
    await poll(toutiao, TOUTIAO_PATH, fixture, '2026-10-05T22:41:08Z');
    expect(await mentionsOf(toutiao.id)).toEqual([
      expect.objectContaining({
        title: '金价大跌后国庆上海金店排长队',
        hotListPlatform: 'toutiao',
        hotListRank: 2,
        hotListHeat: 31825287,
      }),
    ]);
  }, 120_000);

  it.each([
    [
      'toutiao',
      'status other than success',
      TOUTIAO_PATH,
      { body: '{"status":"error","message":"fail"}' },
      'CRAWL_BLOCKED',
      /status: error/,
    ],
    [
      'douyin',
      'status_code other than 0',
      DOUYIN_PATH,
      { body: '{"status_code":2154,"status_msg":""}' },
      'CRAWL_BLOCKED',
      /status_code: 2154/,
    ],
    [
      'weibo',
      'login redirect ok: -100',
      WEIBO_PATH,
      { body: '{"ok":-100,"url":"https://passport.weibo.com/sso/signin"}' },
      'CRAWL_BLOCKED',
      /ok: -100/,
    ],
    ['weibo', 'HTTP 418', WEIBO_PATH, { status: 418, body: '' }, 'HTTP_418', /418/],
    [
      'zhihu',
      'HTTP 403 with an error object',
      ZHIHU_PATH,
      { status: 403, body: '{"error":{"code":10003,"message":"请求参数异常，请升级客户端后重试"}}' },
      'HTTP_403',
      /403/,
    ],
    [
      'zhihu',
      'an error object with status 200',
      ZHIHU_PATH,
      { body: '{"error":{"code":40362,"message":"您当前请求存在异常，暂时限制本次访问"}}' },
      'CRAWL_BLOCKED',
      /40362/,
    ],
    [
      'baidu',
      'success: false',
      BAIDU_PATH,
      { body: '{"success":false,"error":{"code":1}}' },
      'CRAWL_BLOCKED',
      /success: false/,
    ],
    [
      'baidu',
      'an empty list',
      BAIDU_PATH,
      { body: '{"success":true,"data":{"cards":[{"content":[]}]}}' },
      'CRAWL_BLOCKED',
      /空榜单/,
    ],
    [
      'weibo',
      'a captcha page',
      WEIBO_PATH,
      { body: '<html><body>请输入验证码</body></html>', contentType: 'text/html; charset=utf-8' },
      'CAPTCHA',
      /./,
    ],
    [
      'zhihu',
      'a page that is not JSON',
      ZHIHU_PATH,
      { body: 'Service Unavailable', contentType: 'text/plain' },
      'CRAWL_BLOCKED',
      /没有返回 JSON/,
    ],
  ] as const)(
    '%s: a refusal (%s) ends the run blocked after one request, nothing stored',
    async (platform, _what, path, answer, code, reason) => {
      const source = await hotListSource(platform);
      const { result, requests } = await poll(source, path, answer, '2025-05-06T12:00:00Z');
      expect(result.status).toBe('blocked');
      expect(result.blockedCode).toBe(code);
      expect(result.blockedReason).toMatch(reason);
      expect(requests).toHaveLength(1);
      expect((await observations(source.id))[0]!.n).toBe(0);
    },
    60_000,
  );
});
