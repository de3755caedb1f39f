// Source kind `html`: list pages (item links, a next-page link) → detail pages; each unseen detail page is a
// mention. Detail selectors are optional: automatic extraction fills in whatever they leave empty.
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { Clock } from '@yuqing/core';
import { extractArticle, type ExtractedArticle } from '../article-extract.ts';
import { canonicaliseUrl } from '@yuqing/domain';
import { resolveLink } from '../resolve-link.ts';
import { parseDateText } from '../date-parse.ts';
import type { HtmlConfig, SourceDefinition } from '@yuqing/domain';
import { articleMention, loadHtml } from './html-page.ts';
import type { CrawlTask, SourceKindCrawler } from './source-kind.ts';

type HtmlSource = Extract<SourceDefinition, { kind: 'html' }>;

/**
 * List pages queue their unseen item links as detail pages and, while maxPages allows, the next list page: in a
 * full crawl while list pages list items, in an incremental crawl while they hold something new (so it stops at
 * the first page with nothing new).
 */
export const htmlKind: SourceKindCrawler<HtmlSource> = {
  initialTasks: (source) => [{ url: source.url, label: 'list', pageIndex: 0 }],
  pages: {
    list: async (ctx) => {
      const { page, task, source } = ctx;
      const $ = loadHtml(ctx);
      const links = extractListLinks($, source.config.list.itemLinks, page.url);
      ctx.found(links.length);
      const canon = links.map((l) => canonicaliseUrl(l));
      const unseen = await ctx.unseen(canon);
      const details: CrawlTask[] = [];
      links.forEach((l, i) => {
        if (unseen.has(canon[i]!)) details.push({ url: l, label: 'detail', pageIndex: 0 });
      });
      const more = ctx.mode === 'full' ? links.length > 0 : details.length > 0;
      const nextUrl =
        more && task.pageIndex + 1 < source.config.list.maxPages
          ? extractNextPage($, source.config.list.nextPage, page.url)
          : undefined;
      await ctx.enqueue([
        ...details,
        ...(nextUrl ? [{ url: nextUrl, label: 'list' as const, pageIndex: task.pageIndex + 1 }] : []),
      ]);
    },
    detail: async (ctx) => {
      const extracted = extractDetail(loadHtml(ctx), ctx.source.config.detail, { url: ctx.page.url, ...ctx.dates });
      const { item, seenUrl } = articleMention(ctx, extracted);
      ctx.emit(item, seenUrl);
    },
  },
};

/** Item links of a list page, resolved and de-duplicated, in page order. */
export function extractListLinks($: CheerioAPI, selector: string, baseUrl: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  $(selector).each((_, el) => {
    const node = $(el);
    const href =
      (el as Element).tagName === 'a'
        ? node.attr('href')
        : (node.find('a[href]').first().attr('href') ?? node.attr('href'));
    const url = resolveLink(href, baseUrl);
    if (url && !seen.has(url)) {
      seen.add(url);
      out.push(url);
    }
  });
  return out;
}

/** The next list page, if the selector finds a link that is not the current page. */
export function extractNextPage($: CheerioAPI, selector: string | undefined, baseUrl: string): string | undefined {
  if (!selector) return undefined;
  const url = resolveLink($(selector).first().attr('href'), baseUrl);
  return url && url !== baseUrl ? url : undefined;
}

/** Text of the first element `selector` finds: one line per block (p, div, li, headings, rows, br), scripts left out. */
export function blockText($: CheerioAPI, selector: string): string {
  const node = $(selector).first();
  if (node.length === 0) return '';
  node.find('script, style, noscript').remove();
  node.find('br').replaceWith('\n');
  node.find('p, div, li, h1, h2, h3, h4, h5, h6, tr').each((_, el) => {
    $(el).prepend('\n').append('\n');
  });
  return node
    .text()
    .split('\n')
    .map((l) => l.replace(/[\s\u00a0\u3000]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * A detail page: configured selectors first, automatic extraction for whatever they leave empty. The author
 * selector's text loses a leading 来源：/作者： label.
 */
export function extractDetail(
  $: CheerioAPI,
  detail: HtmlConfig['detail'],
  options: { url: string; timeZone: string; clock?: Clock },
): ExtractedArticle {
  const picked = {
    title: detail?.title ? $(detail.title).first().text().replace(/\s+/g, ' ').trim() : '',
    time: detail?.time ? $(detail.time).first().text().trim() : '',
    author: detail?.author
      ? $(detail.author)
          .first()
          .text()
          .replace(/\s+/g, ' ')
          .trim()
          .replace(/^(来源|作者|稿源|发布者)\s*[:：]\s*/, '')
      : '',
    body: detail?.body ? blockText($, detail.body) : '',
  };
  const dateOptions = { timeZone: options.timeZone, ...(options.clock ? { clock: options.clock } : {}) };
  const publishedFromSelector = picked.time ? parseDateText(picked.time, dateOptions) : undefined;
  if (picked.title && picked.body && (publishedFromSelector || !detail?.time)) {
    const siteName = $('meta[property="og:site_name"]').attr('content') ?? $('meta[name="SiteName"]').attr('content');
    return {
      title: picked.title,
      body: picked.body,
      ...(publishedFromSelector ? { publishedAt: publishedFromSelector } : {}),
      ...(picked.author ? { author: picked.author } : {}),
      ...(siteName ? { siteName } : {}),
    };
  }
  const auto = extractArticle($, options);
  return {
    ...auto,
    title: picked.title || auto.title,
    body: picked.body || auto.body,
    ...(publishedFromSelector ? { publishedAt: publishedFromSelector } : {}),
    ...(picked.author ? { author: picked.author } : {}),
  };
}
