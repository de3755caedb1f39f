import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { XMLParser } from 'fast-xml-parser';
import { ManualClock, YuqingError } from '@yuqing/core';
import { demoSourceDefinitions, startDemoSite, type DemoSite } from './index.ts';
import { DemoContent } from './demo-content.ts';
import { escapeHtml } from './html-pages.ts';

const START = new Date('2026-11-27T01:30:00Z'); // 09:30 in Shanghai
const INTERVAL_MS = 60_000;

interface Fetched {
  status: number;
  contentType: string | null;
  bytes: Buffer;
  text: string;
}

async function get(site: DemoSite, path: string, init?: RequestInit): Promise<Fetched> {
  const response = await fetch(`${site.url}${path}`, { redirect: 'manual', ...init });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    bytes,
    text: bytes.toString('utf8'),
  };
}

/** `[href, title, date]` of each `ul.news-list` entry, in page order. */
function listEntries(html: string): [string, string, string][] {
  const list = /<ul class="news-list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li><a href="([^"]+)">([^<]*)<\/a><span class="date">([^<]+)<\/span><\/li>/g)].map((m) => [
    m[1]!,
    m[2]!,
    m[3]!,
  ]);
}

const nextHref = (html: string) => /<a class="next" href="([^"]+)">下一页<\/a>/.exec(html)?.[1];
const one = (html: string, pattern: RegExp) => pattern.exec(html)?.[1];

/** Follows `a.next` from `start`; returns every page's entries. */
async function walkList(site: DemoSite, start: string, decode: (f: Fetched) => string = (f) => f.text) {
  const pages: [string, string, string][][] = [];
  let path: string | undefined = start;
  while (path) {
    const page = await get(site, path);
    expect(page.status, path).toBe(200);
    const html = decode(page);
    pages.push(listEntries(html));
    path = nextHref(html);
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

describe('demo site over HTTP', () => {
  let clock: ManualClock;
  let site: DemoSite;

  beforeAll(async () => {
    clock = new ManualClock(START);
    site = await startDemoSite({ port: 0, clock, postIntervalMs: INTERVAL_MS });
  });
  afterAll(async () => {
    await site.close();
  });

  it('listens on a free loopback port', () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves robots.txt that disallows only /private/', async () => {
    const robots = await get(site, '/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.contentType).toBe('text/plain; charset=utf-8');
    expect(robots.text).toBe('User-agent: *\nDisallow: /private/\n');
  });

  it('paginates /news/ newest first, 10 per page, with consistent next links', async () => {
    const first = await get(site, '/news/');
    expect(first.contentType).toBe('text/html; charset=utf-8');
    expect(first.text).toContain('<meta charset="utf-8">');
    const pages = await walkList(site, '/news/');
    expect(pages.map((p) => p.length)).toEqual([10, 10, 10, 10]);
    const entries = pages.flat();
    const ids = entries.map(([href]) => Number(/^\/news\/(\d+)\.html$/.exec(href)?.[1]));
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => 1040 - i));
    const dates = entries.map(([, , date]) => date);
    for (const date of dates) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect([...dates].sort().reverse()).toEqual(dates);
    // ?page=1 is the same page as /news/, page 4 has no next link, past the end is a 404, garbage a 400.
    expect(listEntries((await get(site, '/news/?page=1')).text)).toEqual(pages[0]);
    expect(nextHref((await get(site, '/news/?page=4')).text)).toBeUndefined();
    expect((await get(site, '/news/?page=5')).status).toBe(404);
    expect((await get(site, '/news/?page=abc')).status).toBe(400);
    expect((await get(site, '/news')).status).toBe(301);
  });

  it('serves article pages with the contract markup and furniture around the body', async () => {
    const [href, title] = listEntries((await get(site, '/news/?page=2')).text)[3]!;
    const page = await get(site, href);
    expect(page.status).toBe(200);
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(one(page.text, /<h1 class="title">([^<]+)<\/h1>/)).toBe(title);
    expect(one(page.text, /<span class="pubtime">([^<]+)<\/span>/)).toMatch(/^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}$/);
    expect(one(page.text, /<span class="author">([^<]+)<\/span>/)).toMatch(/^来源：\S+/);
    const body = one(page.text, /<div class="article-body">([\s\S]*?)<\/div>/) ?? '';
    const paragraphs = [...body.matchAll(/<p>([^<]+)<\/p>/g)].map((m) => m[1]!);
    expect(paragraphs.length).toBeGreaterThanOrEqual(2);
    expect(paragraphs.join('').length).toBeGreaterThan(80);
    for (const furniture of [
      '<nav class="site-nav">',
      '<footer class="site-footer">',
      '<div class="share-bar">',
      '<ul class="related-list">',
      '<div class="breadcrumb">',
    ]) {
      expect(page.text).toContain(furniture);
    }
    expect([...(one(page.text, /<ul class="related-list">([\s\S]*?)<\/ul>/) ?? '').matchAll(/<li>/g)].length).toBe(5);
    expect((await get(site, '/news/999.html')).status).toBe(404);
    expect((await get(site, '/news/1041.html')).status).toBe(404); // not published yet
  });

  it('serves an RSS 2.0 feed of the newest 30 articles with RFC 822 dates', async () => {
    const feed = await get(site, '/rss.xml');
    expect(feed.status).toBe(200);
    expect(feed.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(feed.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(feed.text) as {
      rss: {
        '@_version': string;
        channel: { item: { title: string; link: string; description: string; pubDate: string; author: string }[] };
      };
    };
    expect(parsed.rss['@_version']).toBe('2.0');
    const items = parsed.rss.channel.item;
    expect(items).toHaveLength(30);
    const newsIds = listEntries((await get(site, '/news/')).text).map(([href]) => `${site.url}${href}`);
    expect(items.slice(0, 10).map((i) => i.link)).toEqual(newsIds);
    let previous = Infinity;
    for (const item of items) {
      expect(item.title).toMatch(/[\u4e00-\u9fff]/);
      expect(item.description.length).toBeGreaterThan(20);
      expect(item.author).toBeTruthy();
      expect(item.pubDate).toMatch(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0800$/,
      );
      const time = Date.parse(item.pubDate);
      expect(time).toBeLessThan(previous);
      expect(time).toBeLessThanOrEqual(START.getTime());
      previous = time;
    }
    // The feed's date and the article page's 发布时间 are the same instant.
    const article = await get(site, new URL(items[0]!.link).pathname);
    const [, y, mo, d, hm] = /<span class="pubtime">(\d{4})年(\d{2})月(\d{2})日 (\d{2}:\d{2})<\/span>/.exec(
      article.text,
    )!;
    expect(Date.parse(`${y}-${mo}-${d}T${hm}:00+08:00`)).toBe(
      Math.floor(Date.parse(items[0]!.pubDate) / 60_000) * 60_000,
    );
  });

  it('serves the GBK forum without a charset header, GBK bytes, meta charset and list → detail markup', async () => {
    const list = await get(site, '/gbk/');
    expect(list.status).toBe(200);
    expect(list.contentType).toBe('text/html');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(list.bytes)).toThrow();
    const html = iconv.decode(list.bytes, 'gbk');
    expect(html).toContain('<meta charset="gbk">');
    expect(html).toContain('民生杂谈');

    const pages = await walkList(site, '/gbk/', (f) => iconv.decode(f.bytes, 'gbk'));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 10]);
    // The decoded titles are exactly the generated ones: no character was lost to '?' on the way.
    const content = new DemoContent({ anchorMs: START.getTime(), intervalMs: INTERVAL_MS, seed: 20_261_127 });
    expect(pages.flat().map(([, title]) => title)).toEqual(
      Array.from({ length: 30 }, (_, i) => escapeHtml(content.forum(30 - i).title)),
    );

    const [href, title] = pages[1]![2]!;
    expect(href).toMatch(/^\/gbk\/\d+\.html$/);
    const detail = await get(site, href);
    expect(detail.contentType).toBe('text/html');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(detail.bytes)).toThrow();
    const detailHtml = iconv.decode(detail.bytes, 'gbk');
    expect(one(detailHtml, /<h1 class="title">([^<]+)<\/h1>/)).toBe(title);
    expect(one(detailHtml, /<span class="pubtime">([^<]+)<\/span>/)).toMatch(/^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}$/);
    const body = one(detailHtml, /<div class="article-body">([\s\S]*?)<\/div>/) ?? '';
    expect(body).toMatch(/<p>[^<]*[\u4e00-\u9fff]{10,}/);
    expect((await get(site, '/gbk/9999.html')).status).toBe(404);
  });

  it('serves the board JSON API in the contract shape, 20 per page, newest first', async () => {
    const response = await get(site, '/api/board/messages?page=1');
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/json; charset=utf-8');
    const all: Record<string, unknown>[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const body = JSON.parse((await get(site, `/api/board/messages?page=${page}`)).text);
      expect(body.code).toBe(0);
      expect(body.data.page).toBe(page);
      expect(body.data.pageCount).toBe(3);
      expect(body.data.items).toHaveLength(20);
      all.push(...body.data.items);
    }
    const dateTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    for (const item of all) {
      expect(Object.keys(item).sort()).toEqual(
        ['comments', 'content', 'id', 'likes', 'postedAt', 'reply', 'title', 'url', 'user'].sort(),
      );
      expect(item.id).toMatch(/^m\d+$/);
      expect(item.url).toBe(`${site.url}/board/${item.id as string}`);
      expect(item.title).toMatch(/[\u4e00-\u9fff]/);
      expect((item.content as string).length).toBeGreaterThan(15);
      expect(item.user).toMatch(/^网友.*\*\*\*$/);
      expect(item.postedAt).toMatch(dateTime);
      expect(Number.isInteger(item.likes) && (item.likes as number) >= 0).toBe(true);
      expect(Number.isInteger(item.comments) && (item.comments as number) >= 0).toBe(true);
      const reply = item.reply as { department: string; content: string; repliedAt: string } | null;
      if (reply) {
        expect(Object.keys(reply).sort()).toEqual(['content', 'department', 'repliedAt']);
        expect(reply.department).toMatch(/局|政府/);
        expect(reply.repliedAt).toMatch(dateTime);
        expect(reply.repliedAt > (item.postedAt as string)).toBe(true);
        expect(reply.repliedAt <= '2026-11-27 09:30:00').toBe(true);
      }
    }
    expect(new Set(all.map((i) => i.id)).size).toBe(60);
    const posted = all.map((i) => i.postedAt as string);
    expect([...posted].sort().reverse()).toEqual(posted);
    const answered = all.filter((i) => i.reply).length;
    expect(answered).toBeGreaterThanOrEqual(20);
    expect(answered).toBeLessThanOrEqual(40);

    const past = JSON.parse((await get(site, '/api/board/messages?page=4')).text);
    expect(past).toEqual({ code: 0, data: { page: 4, pageCount: 3, items: [] } });
    const bad = await get(site, '/api/board/messages?page=0');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).code).toBe(400);
  });

  it('serves /board/ and each message page in agreement with the API', async () => {
    const list = await get(site, '/board/');
    expect(list.status).toBe(200);
    expect(list.contentType).toBe('text/html; charset=utf-8');
    const api = JSON.parse((await get(site, '/api/board/messages?page=1')).text).data.items as {
      id: string;
      title: string;
      content: string;
      reply: { content: string } | null;
    }[];
    const linked = [...list.text.matchAll(/<li><a href="\/board\/(m\d+)">/g)].map((m) => m[1]);
    expect(linked).toEqual(api.map((i) => i.id));
    expect(nextHref(list.text)).toBe('/board/?page=2');
    for (const item of [api.find((i) => i.reply), api.find((i) => !i.reply)]) {
      expect(item).toBeDefined();
      const page = await get(site, `/board/${item!.id}`);
      expect(page.status).toBe(200);
      expect(one(page.text, /<h1 class="title">([^<]+)<\/h1>/)).toBe(escapeHtml(item!.title));
      expect(page.text).toContain(escapeHtml(item!.content));
      if (item!.reply) expect(page.text).toContain(escapeHtml(item!.reply.content));
      else expect(page.text).toContain('正在办理中');
    }
    expect((await get(site, '/board/m9999')).status).toBe(404);
  });

  it('answers unknown paths with 404, other methods with 405, HEAD without a body', async () => {
    expect((await get(site, '/nope')).status).toBe(404);
    expect((await get(site, '/news/', { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${site.url}/news/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('publishes new articles and board messages as the injected clock advances', async () => {
    const beforeApi = JSON.parse((await get(site, '/api/board/messages?page=1')).text).data;
    expect(beforeApi.items[0].id).toBe('m1060');

    clock.advance(INTERVAL_MS - 1);
    expect(listEntries((await get(site, '/news/')).text)[0]![0]).toBe('/news/1040.html');

    clock.advance(1);
    const news = listEntries((await get(site, '/news/')).text);
    expect(news[0]![0]).toBe('/news/1041.html');
    expect((await get(site, '/news/1041.html')).status).toBe(200);
    const feed = new XMLParser().parse((await get(site, '/rss.xml')).text) as {
      rss: { channel: { item: { link: string; pubDate: string }[] } };
    };
    expect(feed.rss.channel.item[0]!.link).toBe(`${site.url}/news/1041.html`);
    expect(feed.rss.channel.item[0]!.pubDate).toBe('Fri, 27 Nov 2026 09:31:00 +0800');
    expect(feed.rss.channel.item).toHaveLength(30);
    const api = JSON.parse((await get(site, '/api/board/messages?page=1')).text).data;
    expect(api.items[0].id).toBe('m1061');
    expect(api.items[0].postedAt).toBe('2026-11-27 09:31:00');
    expect(api.pageCount).toBe(4); // 61 messages

    // Half an hour later: 30 more of each, the hot cluster has grown and its first posts gained likes.
    const hotBefore = JSON.parse((await get(site, '/api/board/messages?page=1')).text).data.items.filter(
      (i: { title: string }) => i.title.includes('青禾速运'),
    );
    clock.advance(30 * INTERVAL_MS);
    expect(listEntries((await get(site, '/news/')).text)[0]![0]).toBe('/news/1071.html');
    const items: { id: string; title: string; content: string; likes: number }[] = [];
    for (let page = 1; page <= 5; page += 1)
      items.push(...JSON.parse((await get(site, `/api/board/messages?page=${page}`)).text).data.items);
    expect(items).toHaveLength(91);
    const hot = items.filter((i) => `${i.title}${i.content}`.includes('青禾速运'));
    expect(hot.length).toBeGreaterThan(hotBefore.length + 5);
    for (const earlier of hotBefore as { id: string; likes: number }[]) {
      expect(items.find((i) => i.id === earlier.id)!.likes).toBeGreaterThan(earlier.likes);
    }
  });

  it('gives every demo source a URL that answers', async () => {
    const definitions = demoSourceDefinitions(`${site.url}/`);
    expect(definitions.map((d) => d.kind)).toEqual(['html', 'rss', 'html', 'json', 'article']);
    for (const definition of definitions) {
      expect(definition.url.startsWith(`${site.url}/`)).toBe(true);
      expect(definition.url).not.toContain('//news');
      const response = await get(site, new URL(definition.url).pathname);
      expect(response.status, definition.url).toBe(200);
    }
    const article = await get(site, new URL(definitions[4]!.url).pathname);
    expect(article.text).toContain('<div class="article-body">');
    expect(definitions[0]!.config).toEqual({
      list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 5 },
      detail: { title: 'h1.title', time: '.pubtime', body: '.article-body', author: '.author' },
    });
    expect(definitions[3]!.config).toMatchObject({
      itemsPath: 'data.items',
      pagination: { type: 'page', param: 'page', start: 1, totalPagesPath: 'data.pageCount' },
    });
  });
});

describe('demo site determinism and lifecycle', () => {
  it('serves the same bytes for the same clock, different ones for another seed', async () => {
    const a = await startDemoSite({ port: 0, clock: new ManualClock(START) });
    const b = await startDemoSite({ port: 0, clock: new ManualClock(START) });
    const c = await startDemoSite({ port: 0, clock: new ManualClock(START), seed: 99 });
    try {
      for (const path of [
        '/',
        '/news/',
        '/news/?page=3',
        '/news/1012.html',
        '/rss.xml',
        '/gbk/',
        '/gbk/5005.html',
        '/board/',
        '/board/m1030',
        '/api/board/messages?page=2',
      ]) {
        const [x, y, z] = await Promise.all([get(a, path), get(b, path), get(c, path)]);
        // Absolute links carry each server's own port; everything else must match byte for byte.
        expect(y.bytes.toString('latin1').replaceAll(b.url, 'ORIGIN'), path).toBe(
          x.bytes.toString('latin1').replaceAll(a.url, 'ORIGIN'),
        );
        expect(z.bytes.toString('latin1').replaceAll(c.url, 'ORIGIN'), path).not.toBe(
          x.bytes.toString('latin1').replaceAll(a.url, 'ORIGIN'),
        );
      }
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('refuses a port in use with a clear error and stops serving after close()', async () => {
    const site = await startDemoSite({ port: 0, clock: new ManualClock(START) });
    const port = Number(new URL(site.url).port);
    const error = await startDemoSite({ port, clock: new ManualClock(START) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YuqingError);
    expect((error as YuqingError).code).toBe('DEMO_SITE_LISTEN');
    expect((error as YuqingError).message).toContain('EADDRINUSE');
    await site.close();
    await site.close(); // idempotent
    await expect(fetch(`${site.url}/news/`)).rejects.toThrow();
  });
});
