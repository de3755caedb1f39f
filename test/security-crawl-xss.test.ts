// Stored XSS along the real path: a hostile site → crawler (extraction decodes entities, so `&lt;script&gt;` becomes
// the text "<script>") → ingest → PostgreSQL → dashboard pages in real Chromium. browser-dashboard.test.ts seeds
// hostile rows directly; this one lets the crawler produce them (HTML article, RSS with CDATA and javascript:
// links, a JSON API whose garbage ends up in the source's error message) and watches for any script running.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { getSourceById } from '@yuqing/db';
import { startTestDashboard, type TestDashboard, sqlRows } from '@yuqing/testkit';
import { crawlStoredSource, createDirectSink, upsertSources } from '@yuqing/pipeline';
import { HostThrottle, UrlGuard } from '@yuqing/crawlers';
import { launchBrowser, loginThroughUi, newWatchedPage } from './helpers/browser.ts';

const ARTICLE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>通报</title></head><body>
<h1 class="title">&lt;img src=x onerror="window.__xss=1;alert(1)"&gt;欠薪通报&lt;script&gt;window.__xss=2;alert(2)&lt;/script&gt;</h1>
<span class="pubtime">2026年11月26日 09:30</span><span class="author">来源：&lt;b onmouseover="alert(5)"&gt;人社局&lt;/b&gt;</span>
<div class="article-body"><p>&lt;svg onload="window.__xss=3;alert(3)"&gt;&lt;/svg&gt;工人反映拖欠工资。&lt;a href="javascript:alert(4)"&gt;点我&lt;/a&gt;</p>
<script>window.__xss = 4; alert('script in the page body')</script><p onclick="alert(6)">劳动监察部门已介入。<img src=x onerror="alert(7)"></p></div>
<ul class="news-list"><li><a href="/xss/article.html">x</a></li></ul></body></html>`;

function feed(base: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title><![CDATA[<img src=x onerror=alert(8)>订阅]]></title>
<item><title><![CDATA[<img src=x onerror="window.__xss=5;alert(9)">养老金调整]]></title><link>${base}/xss/feed/1.html?a="><script>alert(10)</script></link>
<description><![CDATA[<iframe src="javascript:alert(11)"></iframe><script>window.__xss=6</script>养老金将于本月发放]]></description><author><![CDATA[<u onmouseover=alert(12)>网友</u>]]></author></item>
<item><title>javascript 链接</title><link>javascript:alert(13)</link><description>不应入库</description></item>
</channel></rss>`;
}

let t: TestDashboard;
let site: Server;
let base = '';
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  t = await startTestDashboard();
  site = createServer((req, res) => {
    const p = new URL(req.url ?? '/', base).pathname;
    if (p === '/robots.txt')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    if (p === '/xss/list.html' || p === '/xss/article.html')
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE);
    if (p === '/xss/feed.xml')
      return void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed(base));
    if (p === '/xss/api')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('<svg/onload=window.__xss=7;alert(14)>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const address = site.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  await t?.close();
});

describe('stored XSS from crawled content', () => {
  it('crawled payloads are stored as text and render inert in the mentions and sources pages', async () => {
    const sources = await upsertSources(t.db, [
      {
        name: '恶意文章站',
        kind: 'html',
        url: `${base}/xss/list.html`,
        config: {
          list: { itemLinks: 'ul.news-list a', maxPages: 1 },
          detail: { title: 'h1.title', time: '.pubtime', body: '.article-body', author: '.author' },
        },
      },
      { name: '恶意订阅', kind: 'rss', url: `${base}/xss/feed.xml` },
      {
        name: '恶意接口',
        kind: 'json',
        url: `${base}/xss/api`,
        config: { itemsPath: 'data.items', fields: { url: 'url', title: 'title', body: 'content' } },
      },
    ]);
    const guard = new UrlGuard({ allowedPrivateHosts: [new URL(base).host] });
    for (const s of sources) {
      await crawlStoredSource({
        db: t.db,
        sourceId: s.id,
        trigger: 'manual',
        config: { timeZone: 'Asia/Shanghai', allowedPrivateHosts: [new URL(base).host] },
        guard,
        throttle: new HostThrottle(),
        sleep: async () => {},
        makeSink: (sourceId, runId) => createDirectSink({ db: t.db, sourceId, runId }),
      });
    }
    // What the crawler stored: the payloads as literal text; the javascript: item dropped.
    const stored = await sqlRows<{ sourceId: number | null; url: string; title: string; body: string }>(
      t.db,
      'SELECT * FROM "Mention" ORDER BY id',
    );
    expect(stored).toHaveLength(2);
    const article = stored.find((m) => m.sourceId === sources[0]!.id)!;
    expect(article.title).toContain('<img src=x onerror="window.__xss=1;alert(1)">欠薪通报<script>');
    expect(article.body).toContain('<svg onload=');
    expect(article.body).not.toContain("alert('script in the page body')");
    const item = stored.find((m) => m.sourceId === sources[1]!.id)!;
    // Feed HTML (CDATA) is reduced to its text by the feed parser: the tags are gone, the words stay.
    expect(item.title).toBe('养老金调整');
    expect(item.body).toContain('养老金将于本月发放');
    expect(item.body).not.toMatch(/<iframe|<script/);
    expect(stored.every((m) => /^http:\/\/127\.0\.0\.1:\d+\//.test(m.url))).toBe(true);
    const api = await getSourceById(t.db, sources[2]!.id);
    expect(api!.lastError).toContain('<svg/onlo');

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    const { page, problems } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, t.users.analyst.username, t.users.analyst.password);

    await page.goto(`${t.url}/mentions`);
    await page.waitForSelector('#mention-list .mention');
    await expect.poll(() => page.locator('#mention-list .mention').count()).toBe(2);
    await expect
      .poll(() =>
        page.locator('#mention-list', { hasText: '<img src=x onerror="window.__xss=1;alert(1)">欠薪通报' }).count(),
      )
      .toBe(1);
    expect(
      await page
        .locator(
          '#mention-list img, #mention-list script, #mention-list svg, #mention-list iframe, #mention-list u, #mention-list b',
        )
        .count(),
    ).toBe(0);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^\s*javascript:/i.test(h))).toEqual([]);
    // Hovering and clicking the hostile text does nothing either.
    await page.locator('#mention-list .mention', { hasText: '欠薪通报' }).first().hover();

    await page.goto(`${t.url}/sources`);
    await page.waitForSelector('text=恶意接口');
    await expect.poll(() => page.locator('body', { hasText: '<svg/onlo' }).count()).toBe(1);
    expect(await page.locator('main svg[onload], body svg[onload]').count()).toBe(0);

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(problems.dialogs).toEqual([]);
    expect(problems.errors).toEqual([]);
  }, 90_000);
});
