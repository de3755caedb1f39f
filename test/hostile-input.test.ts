// Hostile input for the crawlers and extraction, served over real HTTP by a local misbehaving site
// (fixtures/hostile/hostile-server.ts). Each case ends with a clear, coded per-source error or a bounded, sane
// result, never a crash or a hang. What crawl-fetch.test.ts already covers (6 MB body limit, non-text
// Content-Type, a one-URL redirect loop, SSRF) is not repeated; the 50 MB page checks what it adds: the body is
// not buffered whole. The last block runs sources through the stored-source path so the error lands on
// CrawlRun and Source, and one bad source does not disturb the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSourceById, listCrawlRuns } from '@yuqing/db';
import type { RawMention } from '@yuqing/domain';
import { crawlSource, createMemorySink, HostThrottle, UrlGuard } from '@yuqing/crawlers';
import { crawlStoredSource, createDirectSink, upsertSources } from '@yuqing/pipeline';
import { parseSourceDefinition, type SourceDefinitionInput } from '@yuqing/domain';
import { createTestDatabase, type TestDatabase, countRows } from '@yuqing/testkit';
import {
  HUGE_FEED_ITEMS,
  HUGE_PAGE_BYTES,
  startHostileServer,
  type HostileServer,
} from './fixtures/hostile/hostile-server.ts';

let site: HostileServer;
let guard: UrlGuard;
/** Fast but bounded: the throttle is not under test here. */
const FAST = { requestsPerSecond: 500, concurrency: 4 };

beforeAll(async () => {
  site = await startHostileServer();
  guard = new UrlGuard({ allowedPrivateHosts: [site.host] });
});
afterAll(async () => {
  await site?.close();
});

async function crawl(def: SourceDefinitionInput) {
  const items: RawMention[] = [];
  const result = await crawlSource({
    source: parseSourceDefinition(def),
    guard,
    sink: createMemorySink((batch) => void items.push(...batch)),
    timeZone: 'Asia/Shanghai',
    throttle: new HostThrottle(),
    sleep: async () => {},
  });
  return { result, items };
}

const article = (path: string, limits: Record<string, number> = FAST): SourceDefinitionInput => ({
  kind: 'article',
  url: `${site.url}${path}`,
  config: { limits },
});
const json = (path: string, pagination?: Record<string, unknown>): SourceDefinitionInput =>
  ({
    kind: 'json',
    url: `${site.url}${path}`,
    config: {
      itemsPath: 'data.items',
      fields: { url: 'url', title: 'title', body: 'content' },
      ...(pagination ? { pagination } : {}),
      limits: FAST,
    },
  }) as SourceDefinitionInput;

describe('pages that break parsers', () => {
  it('malformed HTML (stray closers, broken attributes, unterminated comment) still yields the article', async () => {
    const { result, items } = await crawl(article('/malformed.html'));
    expect(result.status).toBe('succeeded');
    expect(items).toHaveLength(1);
    expect(items[0]!.title).toBe('格式错误的页面');
    expect(items[0]!.body).toContain('拖欠农民工工资');
  });

  it('100,000 nested divs are refused up front with HTML_TOO_DEEP (the parser would take minutes, extraction overflow the stack)', async () => {
    const { result, items } = await crawl(article('/nested.html'));
    expect(result).toMatchObject({ status: 'failed', errorCode: 'HTML_TOO_DEEP' });
    expect(result.errorMessage).toMatch(/nested more than \d+ deep/);
    expect(items).toHaveLength(0);
  });

  it('binary bytes served as text/html (random, and a PNG) fail with CONTENT_BINARY, not a parser crash', async () => {
    for (const path of ['/binary.html', '/binary-png-as-html.html']) {
      const { result, items } = await crawl(article(path));
      expect(result, path).toMatchObject({ status: 'failed', errorCode: 'CONTENT_BINARY' });
      expect(result.errorMessage).toContain('binary data');
      expect(items).toHaveLength(0);
    }
  });

  it('invalid byte sequences: a UTF-8 page with broken bytes stays UTF-8; a GBK page with broken pairs stays GBK', async () => {
    const utf8 = await crawl(article('/invalid-utf8.html'));
    expect(utf8.result.status).toBe('succeeded');
    expect(utf8.items[0]).toMatchObject({ title: '无效字节序列的页面', rawEncoding: 'utf-8' });
    expect(utf8.items[0]!.body).toContain('后面的正文仍应保留');
    const gbk = await crawl({ kind: 'article', url: `${site.url}/invalid-gbk.html`, config: { limits: FAST } });
    expect(gbk.result.status).toBe('succeeded');
    expect(gbk.items[0]).toMatchObject({ title: '欠薪通知', rawEncoding: 'gb18030' });
    expect(gbk.items[0]!.body).toContain('人力资源和社会保障局关于调整养老金的通知');
  });

  it('NUL and control characters in a page do not reach PostgreSQL text columns unchanged', async () => {
    const { result, items } = await crawl(article('/nul.html'));
    expect(result.status).toBe('succeeded');
    expect(items[0]!.title).not.toContain('\u0000');
    expect(items[0]!.body).not.toContain('\u0000');
  });
});

describe('size limits', () => {
  it('a 50 MB page is cut off at the size limit with CONTENT_TOO_LARGE, without downloading it whole', async () => {
    for (const path of ['/huge.html', '/huge-declared.html']) {
      const { result } = await crawl(article(path));
      expect(result, path).toMatchObject({ status: 'failed', errorCode: 'CONTENT_TOO_LARGE' });
      expect(result.errorMessage).toMatch(/5242880-byte limit/);
    }
    // The server stops writing once the client hangs up: far less than 50 MB left it (socket buffers aside).
    await new Promise((r) => setTimeout(r, 200));
    expect(site.bytesSent.get('/huge.html')!).toBeLessThan(16 * 1024 * 1024);
    expect(site.bytesSent.get('/huge-declared.html') ?? 0).toBeLessThan(16 * 1024 * 1024);
    expect(HUGE_PAGE_BYTES).toBe(50 * 1024 * 1024);
  });

  it(`a ${HUGE_FEED_ITEMS}-item RSS feed: refused clearly at the default limit, crawled whole with a raised one`, async () => {
    const refused = await crawl({ kind: 'rss', url: `${site.url}/huge-feed.xml`, config: { limits: FAST } });
    expect(refused.result).toMatchObject({ status: 'failed', errorCode: 'CONTENT_TOO_LARGE' });
    const { result, items } = await crawl({
      kind: 'rss',
      url: `${site.url}/huge-feed.xml`,
      config: { limits: { ...FAST, maxBytes: 16 * 1024 * 1024 } },
    });
    expect(result).toMatchObject({ status: 'succeeded', itemsFound: HUGE_FEED_ITEMS, itemsEmitted: HUGE_FEED_ITEMS });
    expect(new Set(items.map((i) => i.url)).size).toBe(HUGE_FEED_ITEMS);
    expect(items[HUGE_FEED_ITEMS - 1]!.title).toBe(`养老金发放通知第${HUGE_FEED_ITEMS - 1}号`);
  }, 90_000);

  it('a feed that is not a feed fails with FEED_INVALID; one cut off mid-document with FEED_TRUNCATED', async () => {
    const { result } = await crawl({ kind: 'rss', url: `${site.url}/not-a-feed.xml`, config: { limits: FAST } });
    expect(result).toMatchObject({ status: 'failed', errorCode: 'FEED_INVALID' });
    const broken = await crawl({ kind: 'rss', url: `${site.url}/broken-feed.xml`, config: { limits: FAST } });
    expect(broken.result).toMatchObject({ status: 'failed', errorCode: 'FEED_TRUNCATED' });
    expect(broken.items).toHaveLength(0);
  });
});

describe('loops', () => {
  it('endless pagination (every page has a next page with new items) stops at maxPages', async () => {
    const { result, items } = await crawl({
      kind: 'html',
      url: `${site.url}/endless/1`,
      config: { list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 12 }, limits: FAST },
    });
    expect(result.status).toBe('succeeded');
    const lists = [...site.hits.keys()].filter((k) => /^\/endless\/\d+$/.test(k));
    expect(lists).toHaveLength(12);
    expect(items).toHaveLength(60);
  });

  it('pagination that goes round in a circle, or links to itself, visits each page once', async () => {
    const circle = await crawl({
      kind: 'html',
      url: `${site.url}/circle/1`,
      config: { list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 50 }, limits: FAST },
    });
    expect(circle.result.status).toBe('succeeded');
    expect(circle.items).toHaveLength(15);
    expect([1, 2, 3].map((n) => site.hits.get(`/circle/${n}`))).toEqual([1, 1, 1]);
    const self = await crawl({
      kind: 'html',
      url: `${site.url}/self`,
      config: { list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 50 }, limits: FAST },
    });
    expect(self.items).toHaveLength(5);
    expect(site.hits.get('/self')).toBe(1);
  });

  it('a JSON API claiming a billion pages stops at maxPages; a cursor cycling a → b → a stops when it repeats', async () => {
    const endless = await crawl(
      json('/api/endless', { type: 'page', param: 'page', start: 1, maxPages: 15, totalPagesPath: 'data.pageCount' }),
    );
    expect(endless.result).toMatchObject({ status: 'succeeded', pagesFetched: 15 });
    expect(endless.items).toHaveLength(15);
    const cycle = await crawl(
      json('/api/cursor-cycle', { type: 'cursor', param: 'cursor', nextCursorPath: 'data.next', maxPages: 100 }),
    );
    expect(cycle.result.status).toBe('succeeded');
    expect(cycle.result.pagesFetched).toBeLessThanOrEqual(3);
  });

  it('a two-URL redirect loop and an unparsable Location fail with their codes', async () => {
    expect((await crawl(article('/redirect-loop'))).result).toMatchObject({
      status: 'failed',
      errorCode: 'TOO_MANY_REDIRECTS',
    });
    expect((await crawl(article('/redirect-bad'))).result).toMatchObject({
      status: 'failed',
      errorCode: 'REDIRECT_INVALID',
    });
  });
});

describe('JSON APIs answering garbage', () => {
  it.each([
    ['/api/truncated', 'JSON_INVALID', /did not return JSON: Unterminated string/],
    ['/api/html', 'JSON_INVALID', /did not return JSON: Unexpected token '<'/],
    ['/api/garbage', 'JSON_INVALID', /did not return JSON/],
    ['/api/wrong-shape', 'JSON_ITEMS_MISSING', /"data\.items" is string, not a list/],
    ['/api/error-code', 'JSON_ITEMS_MISSING', /"data\.items" is undefined/],
    ['/api/deep', 'JSON_ITEMS_MISSING', /"data\.items" is undefined/],
  ])('%s fails with %s', async (path, code, message) => {
    const { result, items } = await crawl(json(path));
    expect(result).toMatchObject({ status: 'failed', errorCode: code });
    expect(result.errorMessage).toMatch(message);
    expect(items).toHaveLength(0);
  });

  it('items of the wrong type are skipped; a javascript: URL never becomes a mention', async () => {
    const { result, items } = await crawl(json('/api/null-items'));
    expect(result.status).toBe('succeeded');
    expect(items.some((i) => /^javascript:/i.test(i.url))).toBe(false);
    expect(items.every((i) => /^http:\/\/127\.0\.0\.1:\d+\//.test(i.url))).toBe(true);
    expect(items.find((i) => i.title === '正常留言：社保卡补办')?.body).toContain('拖欠农民工工资');
  });
});

describe('errors recorded per source in the database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('each hostile source gets its coded error on CrawlRun and Source; good sources in between are unaffected', async () => {
    const definitions = [
      { name: '深层嵌套', ...article('/nested.html') },
      { name: '二进制', ...article('/binary.html') },
      { name: '正常文章', ...article('/malformed.html') },
      { name: '超大页面', ...article('/huge.html') },
      { name: '坏接口', ...json('/api/error-code') },
      { name: '空字符', ...article('/nul.html') },
      { name: '截断接口', ...json('/api/truncated') },
      { name: '截断订阅', kind: 'rss', url: `${site.url}/broken-feed.xml`, config: { limits: FAST } },
    ];
    const sources = await upsertSources(database.db, definitions);
    const config = { timeZone: 'Asia/Shanghai', allowedPrivateHosts: [site.host] };
    for (const s of sources) {
      await crawlStoredSource({
        db: database.db,
        sourceId: s.id,
        trigger: 'manual',
        config,
        guard,
        throttle: new HostThrottle(),
        sleep: async () => {},
        makeSink: (sourceId, runId) => createDirectSink({ db: database.db, sourceId, runId }),
      });
    }
    const outcome = async (i: number) => {
      const source = await getSourceById(database.db, sources[i]!.id);
      const [run] = await listCrawlRuns(database.db, sources[i]!.id);
      return {
        source: { lastStatus: source!.lastStatus, lastError: source!.lastError },
        run: { status: run!.status, errorCode: run!.errorCode, mentionsNew: run!.mentionsNew },
      };
    };
    const expectFailed = async (i: number, code: string) => {
      const o = await outcome(i);
      expect(o.run, definitions[i]!.name).toMatchObject({ status: 'failed', errorCode: code, mentionsNew: 0 });
      expect(o.source.lastStatus).toBe('failed');
      expect(o.source.lastError).toEqual(expect.any(String));
    };
    await expectFailed(0, 'HTML_TOO_DEEP');
    await expectFailed(1, 'CONTENT_BINARY');
    await expectFailed(3, 'CONTENT_TOO_LARGE');
    await expectFailed(4, 'JSON_ITEMS_MISSING');
    await expectFailed(6, 'JSON_INVALID');
    // A feed cut off mid-document is an error on the run and the source, not a run that found nothing new.
    await expectFailed(7, 'FEED_TRUNCATED');
    expect((await getSourceById(database.db, sources[7]!.id))!.lastError).toMatch(/broken-feed\.xml is cut off/);
    expect((await outcome(2)).run).toMatchObject({ status: 'succeeded', mentionsNew: 1 });
    // The page with NUL bytes is stored (PostgreSQL refuses \0 in text; it never gets there).
    expect((await outcome(5)).run).toMatchObject({ status: 'succeeded', mentionsNew: 1 });
    expect(await countRows(database, 'Mention')).toBe(2);
  }, 60_000);
});
