// Crawler behaviour over real HTTP against the local fixture site (no database): encodings, SSRF, limits,
// robots.txt, block detection, pagination, incremental re-runs, extraction of the real saved pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import {
  crawlSource,
  createMemorySink,
  decodeBody,
  extractUrl,
  fetchPage,
  HostThrottle,
  UrlGuard,
} from '@yuqing/crawlers';
import { parseSourceDefinition, type SourceDefinitionInput } from '@yuqing/domain';
import { hasSharedPages } from '@yuqing/testkit';
import {
  ENCODING_CASES,
  SIMPLIFIED_SAMPLE,
  TRADITIONAL_SAMPLE,
  startFixtureServer,
  type FixtureServer,
} from './fixtures/crawl/fixture-server.ts';

let site: FixtureServer;
let other: FixtureServer;
let guard: UrlGuard;
const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
const noSleep = async () => {};

beforeAll(async () => {
  site = await startFixtureServer();
  other = await startFixtureServer();
  guard = new UrlGuard({ allowedPrivateHosts: [site.host] });
});
afterAll(async () => {
  await site?.close();
  await other?.close();
});

async function crawl(def: SourceDefinitionInput, sink = createMemorySink(() => {}), items: RawMention[] = []) {
  const collecting = createMemorySink((batch) => {
    items.push(...batch);
  }, sink.seen);
  collecting.validatorsByUrl.clear();
  for (const [k, v] of sink.validatorsByUrl) collecting.validatorsByUrl.set(k, v);
  const result = await crawlSource({
    source: parseSourceDefinition(def),
    guard,
    sink: collecting,
    timeZone: 'Asia/Shanghai',
    clock,
    throttle: new HostThrottle(),
    sleep: noSleep,
  });
  for (const [k, v] of collecting.validatorsByUrl) sink.validatorsByUrl.set(k, v);
  return { result, items, sink: collecting };
}

const newsSource = (maxPages = 5): SourceDefinitionInput => ({
  kind: 'html',
  url: `${site.url}/news/`,
  config: {
    list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages },
    detail: { title: 'h1.title', time: '.pubtime', body: '.article-body', author: '.author' },
    limits: { requestsPerSecond: 500, concurrency: 8 },
  },
});

describe('encodings over HTTP', () => {
  it.each(Object.entries(ENCODING_CASES))('%s', async (name, c) => {
    const page = await fetchPage(`${site.url}/enc/${name}`, { guard });
    const decoded = decodeBody(page.body, page.contentType);
    expect(decoded.encoding).toBe(c.expect);
    expect(decoded.text).not.toContain('\uFFFD');
    if (name === 'gbk-feed') expect(decoded.text).toContain('工伤保险待遇调整');
    else expect(decoded.text).toContain(c.expect === 'big5' ? TRADITIONAL_SAMPLE : SIMPLIFIED_SAMPLE);
  });

  it.runIf(hasSharedPages())('crawls the real GB2312 RSS and the charset-lying article as sources', async () => {
    const rss = await crawl({ kind: 'rss', url: `${site.url}/shared/w3cn_rss2_gb2312.xml` });
    expect(rss.result.status).toBe('succeeded');
    expect(rss.items[0]).toMatchObject({
      title: '如何以及何时使用sIFR',
      author: '阿宏',
      rawEncoding: 'gb18030',
      publishedAt: '2005-05-28T16:05:36+08:00',
    });
    const article = await crawl({ kind: 'article', url: `${site.url}/shared/people_article_charset_lie.html` });
    expect(article.items).toHaveLength(1);
    expect(article.items[0]).toMatchObject({
      title: '女儿出嫁，郑板桥画了几笔兰花当嫁妆',
      publishedAt: '2019-06-15T08:18:00+08:00',
      rawEncoding: 'utf-8',
      siteName: '人民网',
    });
    expect(article.items[0]!.body.startsWith('父亲的教诲像一盏灯')).toBe(true);
    expect(article.items[0]!.body).not.toContain('相关新闻');
  });

  it.runIf(hasSharedPages())('yq extract path: the Shanxi government page', async () => {
    const r = await extractUrl(`${site.url}/shared/shanxi_gov_article.html`, {
      allowedPrivateHosts: [site.host],
      timeZone: 'Asia/Shanghai',
      clock,
    });
    expect(r).toMatchObject({
      title: '山西品牌丝路行（南美站）正式启动',
      publishedAt: '2019-09-18T06:23:00+08:00',
      author: '山西日报',
      encoding: 'utf-8',
    });
    expect(r.body).toContain('跨越千山万水');
    expect(r.body).not.toContain('网站标识码');
  });
});

describe('SSRF guard', () => {
  it('refuses loopback unless listed, [::1], metadata and 10.x', async () => {
    const strict = new UrlGuard();
    await expect(fetchPage(`${site.url}/news/`, { guard: strict })).rejects.toMatchObject({ code: 'SSRF_REFUSED' });
    await expect(
      fetchPage(`http://localhost:${site.url.split(':')[2]}/news/`, { guard: strict }),
    ).rejects.toMatchObject({ code: 'SSRF_REFUSED' });
    for (const url of ['http://[::1]/', 'http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/']) {
      await expect(fetchPage(url, { guard })).rejects.toMatchObject({ code: 'SSRF_REFUSED', retryable: false });
    }
    expect(site.state.hits.get('/news/')).toBeUndefined();
  });

  it('refuses a redirect into a private address that is not listed', async () => {
    const before = other.state.hits.get('/news/') ?? 0;
    await expect(
      fetchPage(`${site.url}/redirect?to=${encodeURIComponent(`${other.url}/news/`)}`, { guard }),
    ).rejects.toMatchObject({ code: 'SSRF_REFUSED' });
    await expect(
      fetchPage(`${site.url}/redirect?to=${encodeURIComponent('http://169.254.169.254/')}`, { guard }),
    ).rejects.toMatchObject({ code: 'SSRF_REFUSED' });
    expect(other.state.hits.get('/news/') ?? 0).toBe(before);
    const followed = await fetchPage(`${site.url}/redirect?to=/news/1.html`, { guard });
    expect(followed.url).toBe(`${site.url}/news/1.html`);
  });

  it('a source pointing at a private address fails the run with the reason', async () => {
    const r = await crawlSource({
      source: parseSourceDefinition({ kind: 'rss', url: `${other.url}/feed.xml`, respectRobots: false }),
      guard,
      sink: createMemorySink(() => {}),
      timeZone: 'Asia/Shanghai',
      clock,
    });
    expect(r.status).toBe('failed');
    expect(r.errorCode).toBe('SSRF_REFUSED');
  });
});

describe('limits and retries', () => {
  it('skips bodies over the size limit, non-text content, redirect loops; times out', async () => {
    await expect(fetchPage(`${site.url}/big`, { guard })).rejects.toMatchObject({ code: 'CONTENT_TOO_LARGE' });
    await expect(fetchPage(`${site.url}/big-chunked`, { guard })).rejects.toMatchObject({ code: 'CONTENT_TOO_LARGE' });
    await expect(fetchPage(`${site.url}/image.png`, { guard })).rejects.toMatchObject({ code: 'CONTENT_NOT_TEXT' });
    await expect(fetchPage(`${site.url}/redirect-loop`, { guard, limits: { maxRedirects: 3 } })).rejects.toMatchObject({
      code: 'TOO_MANY_REDIRECTS',
    });
    await expect(
      fetchPage(`${site.url}/slow`, { guard, limits: { timeoutMs: 500, attempts: 1 } }),
    ).rejects.toMatchObject({ code: 'FETCH_TIMEOUT', retryable: true });
    const small = await fetchPage(`${site.url}/big`, { guard, limits: { maxBytes: 7 * 1024 * 1024 } });
    expect(small.body.length).toBe(6 * 1024 * 1024);
  });

  it('a redirect chain shares one time budget: hops that each fit the limit fail together when their sum does not', async () => {
    // 3 hops + the final page, each answered after 400 ms: every exchange fits a 1,000 ms limit, the chain does not.
    const chain = `${site.url}/slow-redirect?hops=3&ms=400`;
    await expect(fetchPage(chain, { guard, limits: { timeoutMs: 1000, attempts: 1 } })).rejects.toMatchObject({
      code: 'FETCH_TIMEOUT',
      retryable: true,
    });
    const whole = await fetchPage(chain, { guard, limits: { timeoutMs: 10_000, attempts: 1 } });
    expect(whole).toMatchObject({
      status: 200,
      redirects: [
        `${site.url}/slow-redirect?hops=2&ms=400`,
        `${site.url}/slow-redirect?hops=1&ms=400`,
        `${site.url}/slow-redirect?hops=0&ms=400`,
      ],
    });
    // As a source: the run fails with the timeout code, nothing stored.
    const { result, items } = await crawl({ kind: 'article', url: chain, config: { limits: { timeoutMs: 1000 } } });
    expect(result).toMatchObject({ status: 'failed', errorCode: 'FETCH_TIMEOUT' });
    expect(items).toHaveLength(0);
  });

  it('retries 5xx with backoff', async () => {
    const delays: number[] = [];
    const page = await fetchPage(`${site.url}/flaky`, { guard, sleep: async (ms) => void delays.push(ms) });
    expect(page.status).toBe(200);
    expect(page.attempts).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[1]!).toBeGreaterThan(delays[0]! * 1.1);
  });
});

describe('robots.txt', () => {
  it('skips disallowed detail pages and refuses a disallowed source URL', async () => {
    const list = await crawl({
      kind: 'html',
      url: `${site.url}/news/`,
      config: { list: { itemLinks: 'a.none', maxPages: 1 } },
    });
    expect(list.result.status).toBe('succeeded');
    const blocked = await crawl({ kind: 'article', url: `${site.url}/no-yuqing/a.html` });
    expect(blocked.result).toMatchObject({ status: 'failed', errorCode: 'ROBOTS_DISALLOWED', pagesFetched: 0 });
    expect(site.state.hits.get('/no-yuqing/a.html')).toBeUndefined();
    const ignored = await crawl({ kind: 'article', url: `${site.url}/no-yuqing/a.html`, respectRobots: false });
    expect(ignored.result.status).toBe('succeeded');
  });
});

describe('block detection', () => {
  it.each([
    ['/blocked/403', 'HTTP_403'],
    ['/blocked/429', 'HTTP_429'],
    ['/blocked/captcha', 'CAPTCHA'],
    ['/blocked/challenge', 'JS_CHALLENGE'],
    ['/blocked/login', 'LOGIN_WALL'],
    ['/blocked/redirect-login', 'LOGIN_WALL'],
  ])('%s marks the run blocked and stores nothing', async (path, code) => {
    const { result, items } = await crawl({ kind: 'article', url: `${site.url}${path}` });
    expect(result).toMatchObject({ status: 'blocked', blockedCode: code, itemsEmitted: 0 });
    expect(result.blockedReason).toContain(path.split('/')[1]!);
    expect(items).toHaveLength(0);
  });

  it('a captcha detail page stops the crawl; nothing from it is stored', async () => {
    const { result, items } = await crawl({
      kind: 'html',
      url: `${site.url}/list-with-captcha-details/`,
      config: { list: { itemLinks: 'ul.news-list a', maxPages: 1 }, limits: { concurrency: 1 } },
    });
    expect(result.status).toBe('blocked');
    expect(items.every((i) => !i.url.includes('captcha'))).toBe(true);
  });
});

describe('pagination and incremental crawling', () => {
  it('html list → detail across pages, then a re-run fetches nothing new, then only what is new', async () => {
    site.state.articleCount = 25;
    const sink = createMemorySink(() => {});
    const first = await crawl(newsSource(), sink);
    expect(first.result.status).toBe('succeeded');
    expect(first.items.map((i) => i.title).sort()).toHaveLength(25);
    expect(first.result.pagesFetched).toBe(3 + 25);
    expect(first.items.find((i) => i.url.endsWith('/news/7.html?utm_source=list'))).toMatchObject({
      canonicalUrl: `${site.url}/news/7.html`,
      author: '测试市人社局',
      publishedAt: '2026-11-08T09:30:00+08:00',
    });
    expect(first.items[0]!.body).not.toContain('主办单位');

    const again = await crawl(newsSource(), sink);
    expect(again.items).toHaveLength(0);
    expect(again.result).toMatchObject({ pagesFetched: 1, notModified: 1 });

    site.state.articleCount = 28;
    const third = await crawl(newsSource(), sink);
    expect(third.items.map((i) => i.title).sort()).toEqual([
      '第26号通知：社保卡办理指南',
      '第27号通知：社保卡办理指南',
      '第28号通知：社保卡办理指南',
    ]);
    // Page 1 held something new, so page 2 was checked; it held nothing new, so page 3 was not.
    expect(third.result.pagesFetched).toBe(2 + 3);
  });

  it('an article source fetches its page once; a re-run fetches nothing', async () => {
    const sink = createMemorySink(() => {});
    const url = `${site.url}/news/9.html`;
    const hitsBefore = site.state.hits.get('/news/9.html') ?? 0;
    const first = await crawl({ kind: 'article', url }, sink);
    expect(first.result).toMatchObject({ status: 'succeeded', pagesFetched: 1, itemsEmitted: 1 });
    expect(first.items[0]).toMatchObject({ title: '第9号通知：社保卡办理指南' });
    const again = await crawl({ kind: 'article', url }, sink);
    expect(again.result).toMatchObject({ status: 'succeeded', pagesFetched: 0, itemsEmitted: 0 });
    expect(site.state.hits.get('/news/9.html')).toBe(hitsBefore + 1);
  });

  it('respects maxPages', async () => {
    site.state.articleCount = 25;
    const { items } = await crawl(newsSource(2));
    expect(items).toHaveLength(20);
  });

  it('json: page pagination with totalPages, reply fields; cursor pagination', async () => {
    const fields = {
      url: 'url',
      title: 'title',
      body: 'content',
      author: 'user',
      publishedAt: 'postedAt',
      likes: 'likes',
      comments: 'comments',
      replyText: 'reply.content',
      replyDepartment: 'reply.department',
      replyAt: 'reply.repliedAt',
    };
    const paged = await crawl({
      kind: 'json',
      url: `${site.url}/api/board`,
      config: {
        itemsPath: 'data.items',
        fields,
        pagination: { type: 'page', param: 'page', start: 1, maxPages: 5, totalPagesPath: 'data.pageCount' },
      },
    });
    expect(paged.result).toMatchObject({ status: 'succeeded', pagesFetched: 3 });
    expect(paged.items).toHaveLength(15);
    expect(paged.items[0]).toMatchObject({
      url: `${site.url}/board/m100`,
      author: '网友***',
      publishedAt: '2026-11-27T09:30:00+08:00',
      likes: 2,
      comments: 2,
      replyDepartment: '市人力资源和社会保障局',
      replyAt: '2026-11-27T15:00:00+08:00',
    });
    expect(paged.items[0]!.replyText).toContain('养老金将于25日发放');
    expect(paged.items[1]!.replyText).toBeUndefined();
    const cursor = await crawl({
      kind: 'json',
      url: `${site.url}/api/cursor`,
      config: {
        itemsPath: 'data.items',
        fields,
        pagination: { type: 'cursor', param: 'cursor', nextCursorPath: 'data.nextCursor', maxPages: 5 },
      },
    });
    expect(cursor.items).toHaveLength(15);
  });

  it('a whole feed with no items succeeds with nothing; a truncated, garbage or binary feed fails with its code', async () => {
    const whole = await crawl({ kind: 'rss', url: `${site.url}/feeds/whole.xml` });
    expect(whole.result).toMatchObject({ status: 'succeeded', itemsFound: 3 });
    const empty = await crawl({ kind: 'rss', url: `${site.url}/feeds/empty.xml` });
    expect(empty.result).toMatchObject({ status: 'succeeded', pagesFetched: 1, itemsFound: 0, itemsEmitted: 0 });
    expect(empty.result.errorCode).toBeUndefined();
    for (const [name, code, message] of [
      [
        'truncated.xml',
        'FEED_TRUNCATED',
        /feed .*truncated\.xml is cut off: the document ends inside <title> \(4 element\(s\) never closed\)/,
      ],
      ['garbage.xml', 'FEED_MALFORMED', /not well-formed XML: <rss> after the root element closed/],
      ['binary.xml', 'CONTENT_BINARY', /binary data/],
    ] as const) {
      const { result, items } = await crawl({ kind: 'rss', url: `${site.url}/feeds/${name}` });
      expect(result, name).toMatchObject({ status: 'failed', errorCode: code, itemsEmitted: 0 });
      expect(result.errorMessage, name).toMatch(message);
      // The two whole items before the cut are not passed off as the feed's content either.
      expect(items, name).toHaveLength(0);
    }
  });

  it('rss 2.0, atom and rss 0.9', async () => {
    const rss = await crawl({ kind: 'rss', url: `${site.url}/feed.xml` });
    expect(rss.items.map((i) => i.title)).toEqual([
      'RSS条目3：医保报销新规',
      'RSS条目2：医保报销新规',
      'RSS条目1：医保报销新规',
    ]);
    expect(rss.items[0]).toMatchObject({
      url: `${site.url}/news/3.html`,
      body: '条目3摘要：医保报销比例提高。',
      publishedAt: '2026-11-27T03:30:00+08:00',
      siteName: '测试订阅',
    });
    const atom = await crawl({ kind: 'rss', url: `${site.url}/atom.xml` });
    expect(atom.items[0]).toMatchObject({
      title: '工伤认定流程',
      author: '张三',
      publishedAt: '2026-11-27T09:30:00+08:00',
    });
    const old = await crawl({ kind: 'rss', url: `${site.url}/rss090.xml` });
    expect(old.items[0]).toMatchObject({ title: '失业保险金申领', url: `${site.url}/news/6.html` });
  });
});
