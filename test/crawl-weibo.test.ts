// The 微博 source kind over real HTTP against a local stand-in for m.weibo.cn that serves real recorded responses
// (test/fixtures/platforms/weibo): a user timeline page, a long text finished on a resumed crawl, and the ways 微博
// refuses a client (ok: -100 login redirect, HTTP 418), each ending the run `blocked` after one request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { buildSourceFromPreset, type RawMention, type SourceDefinition } from '@yuqing/domain';
import { crawlSource, createMemorySink, HostThrottle, UrlGuard, type CrawlCheckpoint } from '@yuqing/crawlers';
import { platformFixture, startPlatformServer, type PlatformServer } from './fixtures/platforms/platform-server.ts';

let api: PlatformServer;
let guard: UrlGuard;
const clock = new ManualClock(new Date('2019-06-15T04:00:00Z'));
const USER_PAGE_1 = '/api/container/getIndex?type=uid&value=1669879400&containerid=1076031669879400&page=1';

beforeAll(async () => {
  api = await startPlatformServer();
  guard = new UrlGuard({ allowedPrivateHosts: [api.host] });
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  api.routes.clear();
  api.requests.length = 0;
});

/** The preset's source pointed at the local stand-in, one page per crawl, no rate limit to wait on. */
function userSource(params: Record<string, string> = {}, maxPages = 1): SourceDefinition {
  const def = buildSourceFromPreset('weibo-user', { uid: '1669879400', ...params });
  if (def.kind !== 'weibo') throw new Error('the weibo-user preset builds a weibo source');
  return { ...def, url: api.url, config: { ...def.config, maxPages, limits: { requestsPerSecond: 500 } } };
}

async function crawl(source: SourceDefinition, checkpoint?: CrawlCheckpoint) {
  const items: RawMention[] = [];
  const sink = createMemorySink((batch) => {
    items.push(...batch);
  });
  const result = await crawlSource({
    source,
    guard,
    sink,
    timeZone: 'Asia/Shanghai',
    clock,
    throttle: new HostThrottle(),
    sleep: async () => {},
    mode: 'full',
    ...(checkpoint ? { checkpoint } : {}),
  });
  return { result, items };
}

describe('weibo source kind', () => {
  it('crawls a recorded user timeline page: 10 posts and the original of the repost, with the headers 微博 expects', async () => {
    api.routes.set(USER_PAGE_1, { body: platformFixture('weibo/getindex-user-1669879400.json') });
    const { result, items } = await crawl(userSource({ cookie: 'SUB=test-cookie' }));
    expect(result.status).toBe('succeeded');
    expect(items).toHaveLength(11);
    const repost = items.find((i) => i.url === 'https://m.weibo.cn/detail/4383180406740606')!;
    expect(repost.parentUrl).toBe('https://m.weibo.cn/detail/4383031864995274');
    expect(items.some((i) => i.url === repost.parentUrl)).toBe(true);
    expect(items.every((i) => i.siteName === '微博' && i.publishedAt?.startsWith('2019-06'))).toBe(true);
    const call = api.requests.find((r) => r.path === USER_PAGE_1)!;
    expect(call.headers.cookie).toBe('SUB=test-cookie');
    expect(call.headers.referer).toBe(`${api.url}/`);
    expect(call.headers['user-agent']).toMatch(/Yuqing/i);
  });

  it('finishes a long post on a resumed crawl from the extend endpoint', async () => {
    const extend = '/statuses/extend?id=4383487819465288';
    api.routes.set(extend, { body: platformFixture('weibo/statuses-extend-4383487819465288.json') });
    const item: RawMention = { url: 'https://m.weibo.cn/detail/4383487819465288', title: '', body: '😄😆…全文' };
    const { result, items } = await crawl(userSource(), {
      version: 2,
      mode: 'full',
      pending: [
        {
          url: `${api.url}${extend}`,
          label: 'detail',
          pageIndex: 0,
          item,
          seenUrl: 'https://m.weibo.cn/detail/4383487819465288',
        },
      ],
      pagesFetched: 1,
      itemsFound: 1,
    });
    expect(result.status).toBe('succeeded');
    expect(items).toHaveLength(1);
    expect(items[0]!.body).toContain('\nNature\n');
    expect(items[0]!.body.length).toBeGreaterThan(500);
  });

  it('ends blocked with the reason on ok: -100 (login redirect), after one request', async () => {
    api.routes.set(USER_PAGE_1, { body: '{"ok":-100,"url":"https://passport.weibo.com/sso/signin"}' });
    const { result, items } = await crawl(userSource({}, 3));
    expect(result.status).toBe('blocked');
    expect(result.blockedCode).toBe('CRAWL_BLOCKED');
    expect(result.blockedReason).toMatch(/ok: -100/);
    expect(items).toEqual([]);
    expect(api.requests.filter((r) => r.path.startsWith('/api/'))).toHaveLength(1);
  });

  it.each([
    [418, 'HTTP_418'],
    [403, 'HTTP_403'],
    [432, 'HTTP_432'],
  ])('ends blocked on HTTP %i without retrying', async (status, code) => {
    api.routes.set(USER_PAGE_1, { status, body: '' });
    const { result } = await crawl(userSource());
    expect(result.status).toBe('blocked');
    expect(result.blockedCode).toBe(code);
    expect(api.requests.filter((r) => r.path.startsWith('/api/'))).toHaveLength(1);
  });
});
