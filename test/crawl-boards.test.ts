// The boards source kinds and presets over real HTTP against a local fixture server serving real recorded pages
// (test/fixtures/boards, origins in its README): an RSSHub instance (its robots.txt, its 403 for a wrong access key),
// a WeChat RSS bridge and mp.weixin.qq.com article pages. The government templates' selectors are tested in
// crawlers/src/source-kinds/gov-templates.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { crawlSource, createMemorySink, HostThrottle, UrlGuard } from '@yuqing/crawlers';
import type { RawMention, SourceDefinition } from '@yuqing/domain';
import { buildSourceFromPreset, findSourcePreset, parseSourceDefinition } from '@yuqing/domain';
import { readBoardFixture } from '@yuqing/testkit';

const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
const WEIBO_UID = '1935396210';
const ACCESS_KEY = 'bureau-key';

interface Site {
  url: string;
  host: string;
  hits: string[];
  close(): Promise<void>;
}

/**
 * An RSSHub instance under /rsshub (ACCESS_KEY set, robots.txt disallowing it as RSSHub's does), a WeChat bridge
 * feed under /bridge and mp.weixin.qq.com's article path /s. The bridge feed's mp.weixin.qq.com links are pointed
 * at this server when served.
 */
async function startBoardsSite(): Promise<Site> {
  const hits: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    hits.push(`${url.pathname}${url.search}`);
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/robots.txt') return send(200, 'text/plain', 'User-agent: *\nDisallow: /rsshub/\n');
    if (url.pathname === `/rsshub/weibo/user/${WEIBO_UID}`) {
      if (url.searchParams.get('key') !== ACCESS_KEY)
        return send(403, 'text/plain', 'Authentication failed. Access denied.');
      return send(200, 'application/xml; charset=utf-8', readBoardFixture('rsshub-weibo-user.xml'));
    }
    if (url.pathname === '/bridge/openmmlab.xml') {
      const feed = readBoardFixture('wechat-scholar-openmmlab.xml')
        .toString('utf8')
        .replaceAll('http://mp.weixin.qq.com', origin);
      return send(200, 'application/rss+xml; charset=utf-8', feed);
    }
    if (url.pathname === '/s')
      return send(200, 'text/html; charset=utf-8', readBoardFixture('wechat-article-aifou.html'));
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    host: `127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let site: Site;
let guard: UrlGuard;

beforeAll(async () => {
  site = await startBoardsSite();
  guard = new UrlGuard({ allowedPrivateHosts: [site.host] });
});
afterAll(async () => {
  await site?.close();
});

/** The preset's politeness kept, its rate raised: tests wait on nothing. */
function fast(def: SourceDefinition): SourceDefinition {
  return { ...def, config: { ...def.config, limits: { requestsPerSecond: 500, concurrency: 4 } } } as SourceDefinition;
}

async function crawl(source: SourceDefinition, seen = new Set<string>()) {
  const items: RawMention[] = [];
  const sink = createMemorySink((batch) => {
    items.push(...batch);
  }, seen);
  const result = await crawlSource({
    source,
    guard,
    sink,
    timeZone: 'Asia/Shanghai',
    clock,
    throttle: new HostThrottle(),
    sleep: async () => {},
  });
  return { result, items, seen };
}

describe('rsshub kind', () => {
  it('reads an RSSHub route on the configured instance with its access key, then nothing new', async () => {
    const source = buildSourceFromPreset('rsshub-weibo-user', {
      uid: WEIBO_UID,
      baseUrl: `${site.url}/rsshub`,
      accessKey: ACCESS_KEY,
    });
    expect(source).toMatchObject({ kind: 'rsshub', respectRobots: false });
    const first = await crawl(fast(source));
    expect(first.result.status).toBe('succeeded');
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toMatchObject({
      url: `https://weibo.com/${WEIBO_UID}/PzxMFDdIO`,
      publishedAt: '2025-07-04T15:51:28+08:00',
      siteName: '少年JUMP吧的微博',
    });
    expect(first.items[0]!.title).toContain('『致不灭的你』动画第三季');
    const again = await crawl(fast(source), first.seen);
    expect(again.result.status).toBe('succeeded');
    expect(again.items).toHaveLength(0);
  });

  it('without an instance URL the crawl fails with RSSHUB_URL_MISSING before any request', async () => {
    const source = buildSourceFromPreset('rsshub-weibo-user', { uid: WEIBO_UID });
    const before = site.hits.length;
    const { result, items } = await crawl(source);
    expect(result.status).toBe('failed');
    expect(result.errorCode).toBe('RSSHUB_URL_MISSING');
    expect(result.errorMessage).toContain('config.baseUrl');
    expect(items).toHaveLength(0);
    expect(site.hits.length).toBe(before);
  });

  it('a wrong access key is a block (HTTP 403), reported with its reason', async () => {
    const source = buildSourceFromPreset('rsshub-weibo-user', {
      uid: WEIBO_UID,
      baseUrl: `${site.url}/rsshub`,
      accessKey: 'wrong',
    });
    const { result, items } = await crawl(fast(source));
    expect(result.status).toBe('blocked');
    expect(result.blockedCode).toBe('HTTP_403');
    expect(result.blockedReason).toContain('403');
    expect(items).toHaveLength(0);
  });

  it('RSSHub’s robots.txt would refuse the route: the presets leave robots to the instance’s owner', async () => {
    const source = buildSourceFromPreset('rsshub-route', {
      route: `/weibo/user/${WEIBO_UID}`,
      baseUrl: `${site.url}/rsshub`,
      accessKey: ACCESS_KEY,
    });
    const { result } = await crawl(
      fast({ ...source, url: `${site.url}/rsshub/weibo/user/${WEIBO_UID}`, respectRobots: true }),
    );
    expect(result.errorCode).toBe('ROBOTS_DISALLOWED');
  });
});

describe('wechat_mp kind', () => {
  it('follows the bridge feed to the article and reads it with the WeChat extractor', async () => {
    const source = buildSourceFromPreset('wechat-mp-feed', {
      feedUrl: `${site.url}/bridge/openmmlab.xml`,
      region: '杭州市',
    });
    expect(source).toMatchObject({ kind: 'wechat_mp', config: { fetchArticles: true } });
    const { result, items, seen } = await crawl(fast(source));
    expect(result.status).toBe('succeeded');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      title: '三星 Galaxy S20 系列手机正式发布',
      publishedAt: '2020-02-12T22:17:54+08:00',
      siteName: '爱否科技',
      region: '杭州市',
    });
    expect(items[0]!.url.startsWith(`${site.url}/s?__biz=Mzk0MDg1MjIwNg==`)).toBe(true);
    const again = await crawl(fast(source), seen);
    expect(again.items).toHaveLength(0);
  });

  it('with fetchArticles off keeps the bridge’s own entry (lower-case <pubdate> read)', async () => {
    const built = buildSourceFromPreset('wechat-mp-feed', { feedUrl: `${site.url}/bridge/openmmlab.xml` });
    const source = parseSourceDefinition({ ...built, config: { fetchArticles: false } });
    const before = site.hits.filter((h) => h.startsWith('/s?')).length;
    const { result, items } = await crawl(source);
    expect(result.status).toBe('succeeded');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      title: '关于粉丝迁移至本公众号的说明',
      publishedAt: '2024-12-05T19:10:28+08:00',
      siteName: 'OpenMMLab',
    });
    expect(site.hits.filter((h) => h.startsWith('/s?')).length).toBe(before);
  });
});

describe('presets', () => {
  it('every board preset builds a valid source from its example parameters', () => {
    for (const name of [
      'rsshub-route',
      'rsshub-gov',
      'rsshub-weibo-user',
      'rsshub-zhihu-topic',
      'rsshub-bilibili-user',
      'rsshub-douyin-user',
      'wechat-mp-feed',
      'wechat-mp-rsshub',
      'mohrss',
      'gov-trs',
      'gov-hanweb',
      'gov-jiyue',
    ]) {
      const preset = findSourcePreset(name)!;
      expect(preset, name).toBeDefined();
      const params: Record<string, string> = {};
      for (const p of preset.params)
        if (p.required || p.key === 'baseUrl')
          params[p.key] = p.example ?? p.choices?.[0]?.value ?? 'http://127.0.0.1:1200';
      expect(buildSourceFromPreset(name, params).kind, name).toMatch(/^(rsshub|wechat_mp|html)$/);
    }
  });

  it('route parameters cannot add path parts, and an RSSHub instance needs an http(s) address', () => {
    const source = buildSourceFromPreset('rsshub-weibo-user', {
      uid: '1/../../admin',
      baseUrl: 'http://127.0.0.1:1200',
    });
    expect(source.kind === 'rsshub' && source.config.route).toBe('/weibo/user/1%2F..%2F..%2Fadmin');
    expect(() => buildSourceFromPreset('rsshub-weibo-user', { uid: '1', baseUrl: 'ftp://x' })).toThrow(/http/);
    expect(() => buildSourceFromPreset('wechat-mp-rsshub', { id: 'abc' })).toThrow(/baseUrl/);
    expect(() => buildSourceFromPreset('mohrss', { column: 'nope' })).toThrow(/column must be one of/);
  });
});
