import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { NonRetryableError, type Clock } from '@yuqing/core';
import type { RawMention } from '@yuqing/queue';
import { extractArticle, type ExtractedArticle } from '../article-extract.ts';
import { resolveLink } from '../canonical-url.ts';
import { parseDateText } from '../date-parse.ts';
import type { HtmlConfig, JsonConfig } from '../source-config.ts';

/** Item links of a list page, resolved and de-duplicated, in page order. */
export function extractListLinks($: CheerioAPI, selector: string, baseUrl: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  $(selector).each((_, el) => {
    const node = $(el);
    const href = (el as Element).tagName === 'a' ? node.attr('href') : (node.find('a[href]').first().attr('href') ?? node.attr('href'));
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

function blockText($: CheerioAPI, selector: string): string {
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
export function extractDetail($: CheerioAPI, detail: HtmlConfig['detail'], options: { url: string; timeZone: string; clock?: Clock }): ExtractedArticle {
  const picked = {
    title: detail?.title ? $(detail.title).first().text().replace(/\s+/g, ' ').trim() : '',
    time: detail?.time ? $(detail.time).first().text().trim() : '',
    author: detail?.author ? $(detail.author).first().text().replace(/\s+/g, ' ').trim().replace(/^(来源|作者|稿源|发布者)\s*[:：]\s*/, '') : '',
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

/** Reads `a.b[0].c` from parsed JSON. */
export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (typeof current === 'object') current = (current as Record<string, unknown>)[part];
    else return undefined;
  }
  return current;
}

function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function asCount(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

/** Maps one JSON API page to raw mentions with the configured field paths. Items without a URL are skipped. */
export function mapJsonItems(json: unknown, config: JsonConfig, options: { baseUrl: string; timeZone: string; clock?: Clock; region?: string }): { items: RawMention[]; skipped: number } {
  const list = getPath(json, config.itemsPath);
  // An error envelope ({"code":500,"data":null}) or a changed API must not pass for "nothing new".
  if (!Array.isArray(list)) throw new NonRetryableError('JSON_ITEMS_MISSING', `${options.baseUrl}: "${config.itemsPath}" is ${list === null ? 'null' : Array.isArray(list) ? 'an array' : typeof list}, not a list of items`);
  const dateOptions = { timeZone: options.timeZone, ...(options.clock ? { clock: options.clock } : {}) };
  const f = config.fields;
  const items: RawMention[] = [];
  let skipped = 0;
  for (const raw of list) {
    const url = resolveLink(asText(getPath(raw, f.url)), options.baseUrl);
    if (!url) {
      skipped++;
      continue;
    }
    const get = (path: string | undefined) => (path ? getPath(raw, path) : undefined);
    const title = asText(get(f.title)) ?? '';
    const body = asText(get(f.body)) ?? '';
    const publishedAt = parseDateText(asText(get(f.publishedAt)), dateOptions);
    const replyAt = parseDateText(asText(get(f.replyAt)), dateOptions);
    const item: RawMention = { url, title, body };
    const author = asText(get(f.author));
    if (author) item.author = author;
    if (publishedAt) item.publishedAt = publishedAt;
    for (const key of ['likes', 'comments', 'reposts', 'views'] as const) {
      const n = asCount(get(f[key]));
      if (n !== undefined) item[key] = n;
    }
    const region = asText(get(f.region)) ?? options.region;
    if (region) item.region = region;
    const replyText = asText(get(f.replyText));
    if (replyText) item.replyText = replyText;
    const replyDepartment = asText(get(f.replyDepartment));
    if (replyDepartment) item.replyDepartment = replyDepartment;
    if (replyAt) item.replyAt = replyAt;
    items.push(item);
  }
  return { items, skipped };
}

/** URL of the next API page, or undefined when pagination ends. */
export function nextJsonPage(json: unknown, config: JsonConfig, current: { url: string; pageIndex: number; page?: number }): { url: string; page?: number } | undefined {
  const p = config.pagination;
  if (!p || current.pageIndex + 1 >= p.maxPages) return undefined;
  const url = new URL(current.url);
  if (p.type === 'page') {
    const page = (current.page ?? p.start) + 1;
    const total = p.totalPagesPath ? asCount(getPath(json, p.totalPagesPath)) : undefined;
    if (total !== undefined && page > total - (p.start === 0 ? 1 : 0)) return undefined;
    url.searchParams.set(p.param, String(page));
    return { url: url.toString(), page };
  }
  const cursor = asText(getPath(json, p.nextCursorPath));
  if (!cursor) return undefined;
  url.searchParams.set(p.param, cursor);
  return { url: url.toString() };
}
