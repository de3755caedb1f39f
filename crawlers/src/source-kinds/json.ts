// Source kind `json`: an API answering JSON; configured field paths map its items to mentions, and pagination
// follows a page number or a cursor to the API's end (full crawls) or while pages hold something new (incremental).
import { errorMessage, NonRetryableError, YuqingError, type Clock } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import { canonicaliseUrl } from '@yuqing/domain';
import { resolveLink } from '../resolve-link.ts';
import { parseDateText } from '../date-parse.ts';
import type { JsonConfig, SourceDefinition } from '@yuqing/domain';
import type { SourceKindCrawler } from './source-kind.ts';

type JsonSource = Extract<SourceDefinition, { kind: 'json' }>;

/**
 * API pages: every unseen item is a mention. The next page is queued while the API has one (page count, cursor,
 * maxPages) and this page listed items (a full crawl) or held something new (an incremental crawl). The
 * next page's task carries the pagination state (its page number, or the cursor in its URL), so a checkpoint
 * resumes where the crawl was.
 */
export const jsonKind: SourceKindCrawler<JsonSource> = {
  initialTasks: (source) => {
    const p = source.config.pagination;
    if (p?.type === 'page') {
      const url = new URL(source.url);
      if (!url.searchParams.has(p.param)) url.searchParams.set(p.param, String(p.start));
      return [{ url: url.toString(), label: 'api', pageIndex: 0, page: Number(url.searchParams.get(p.param)) }];
    }
    return [{ url: source.url, label: 'api', pageIndex: 0 }];
  },
  pages: {
    api: async (ctx) => {
      const { page, task, source, decoded } = ctx;
      let json: unknown;
      try {
        json = JSON.parse(decoded.text);
      } catch (error) {
        throw new YuqingError('JSON_INVALID', `${page.url} did not return JSON: ${errorMessage(error)}`, {
          retryable: false,
        });
      }
      const { items } = mapJsonItems(json, source.config, {
        baseUrl: page.url,
        ...ctx.dates,
        ...(source.region ? { region: source.region } : {}),
      });
      ctx.found(items.length);
      const canon = items.map((i) => canonicaliseUrl(i.url));
      const unseen = await ctx.unseen(canon);
      let fresh = 0;
      items.forEach((item, i) => {
        if (!unseen.has(canon[i]!)) return;
        unseen.delete(canon[i]!);
        fresh++;
        ctx.emit({ ...item, rawEncoding: decoded.encoding }, canon[i]!);
      });
      const more = ctx.mode === 'full' ? items.length > 0 : fresh > 0;
      const next = more
        ? nextJsonPage(json, source.config, {
            url: page.requestedUrl,
            pageIndex: task.pageIndex,
            ...(task.page !== undefined ? { page: task.page } : {}),
          })
        : undefined;
      if (next)
        await ctx.enqueue([
          {
            url: next.url,
            label: 'api',
            pageIndex: task.pageIndex + 1,
            ...(next.page !== undefined ? { page: next.page } : {}),
          },
        ]);
    },
  },
};

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
export function mapJsonItems(
  json: unknown,
  config: JsonConfig,
  options: { baseUrl: string; timeZone: string; clock?: Clock; region?: string },
): { items: RawMention[]; skipped: number } {
  const list = getPath(json, config.itemsPath);
  // An error envelope ({"code":500,"data":null}) or a changed API must not pass for "nothing new".
  if (!Array.isArray(list))
    throw new NonRetryableError(
      'JSON_ITEMS_MISSING',
      `${options.baseUrl}: "${config.itemsPath}" is ${list === null ? 'null' : Array.isArray(list) ? 'an array' : typeof list}, not a list of items`,
    );
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
export function nextJsonPage(
  json: unknown,
  config: JsonConfig,
  current: { url: string; pageIndex: number; page?: number },
): { url: string; page?: number } | undefined {
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
