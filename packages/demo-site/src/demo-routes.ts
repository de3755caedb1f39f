// Request → response for every demo URL (layout fixed in CONTRACTS.md, "Demo site"). No I/O here: the server
// passes the current instant and the origin, so routing is testable and the same clock gives the same bytes.
import type { BoardMessageView, NewsArticle } from './content-items.ts';
import { DemoContent } from './demo-content.ts';
import { boardApiPage, renderRss } from './feeds.ts';
import { encodeGbkHtml } from './gbk.ts';
import {
  renderBoardList,
  renderBoardMessage,
  renderForumList,
  renderForumPost,
  renderHome,
  renderNewsArticle,
  renderNewsList,
  renderNotFound,
  renderPrivate,
} from './html-pages.ts';

/** Articles per page on /news/ (contract). */
export const NEWS_PAGE_SIZE = 10;
/** Posts per page on /gbk/. */
export const FORUM_PAGE_SIZE = 10;
/** Messages per page on /board/ and the JSON API (contract). */
export const BOARD_PAGE_SIZE = 20;
/** Items in /rss.xml (contract). */
export const RSS_ITEM_COUNT = 30;
const RELATED_ARTICLE_COUNT = 5;
const SIDEBAR_ARTICLE_COUNT = 5;
const HOME_ITEM_COUNT = 6;
/** Largest page number accepted; anything longer is a malformed request, not a page. */
const MAX_PAGE_DIGITS = 6;

export const ROBOTS_TXT = 'User-agent: *\nDisallow: /private/\n';

export interface DemoResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const HTML_UTF8 = 'text/html; charset=utf-8';

function respond(
  status: number,
  contentType: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): DemoResponse {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { status, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-cache', ...extra }, body: buffer };
}

function redirect(location: string): DemoResponse {
  return respond(301, 'text/plain; charset=utf-8', `Moved to ${location}\n`, { Location: location });
}

function notFound(path: string): DemoResponse {
  return respond(404, HTML_UTF8, renderNotFound(path));
}

/** `?page=` → page number; absent means 1; anything but a positive whole number is undefined (a 400). */
function parsePage(params: URLSearchParams): number | undefined {
  const raw = params.get('page');
  if (raw === null || raw === '') return 1;
  return new RegExp(`^[1-9]\\d{0,${MAX_PAGE_DIGITS - 1}}$`).test(raw) ? Number(raw) : undefined;
}

function badPage(json: boolean): DemoResponse {
  const message = 'page must be a positive whole number';
  return json
    ? respond(400, 'application/json; charset=utf-8', JSON.stringify({ code: 400, message }))
    : respond(400, 'text/plain; charset=utf-8', `${message}\n`);
}

/** Sequence numbers of page `page` (1-based) of `total` items, newest (highest sequence) first. */
function pageSequences(total: number, page: number, size: number): number[] {
  const start = total - (page - 1) * size;
  const out: number[] = [];
  for (let s = start; s > Math.max(0, start - size); s -= 1) out.push(s);
  return out;
}

// The forum does not change over time, so its encoded pages are built once per site.
const forumPageCache = new WeakMap<DemoContent, Map<string, Buffer>>();

function cachedForumPage(content: DemoContent, key: string, render: () => string): Buffer {
  let pages = forumPageCache.get(content);
  if (!pages) {
    pages = new Map();
    forumPageCache.set(content, pages);
  }
  let page = pages.get(key);
  if (!page) {
    page = encodeGbkHtml(render());
    pages.set(key, page);
  }
  return page;
}

const pageCountOf = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

/**
 * Answers one request.
 * @param content - the site's content model.
 * @param now - the instant the request is served at (from the injected clock).
 * @param origin - `http://host:port` used for absolute links (RSS, JSON API).
 */
export function routeDemoRequest(
  content: DemoContent,
  now: Date,
  method: string,
  rawUrl: string,
  origin: string,
): DemoResponse {
  if (method !== 'GET' && method !== 'HEAD')
    return respond(405, 'text/plain; charset=utf-8', 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://demo.invalid');
  } catch {
    return respond(400, 'text/plain; charset=utf-8', 'Bad Request\n');
  }
  const path = url.pathname;
  const params = url.searchParams;

  if (path === '/') {
    const newsCount = content.newsCountAt(now);
    const boardCount = content.boardCountAt(now);
    return respond(
      200,
      HTML_UTF8,
      renderHome({
        news: pageSequences(newsCount, 1, HOME_ITEM_COUNT).map((s) => content.news(s)),
        board: pageSequences(boardCount, 1, HOME_ITEM_COUNT).map((s) => content.boardView(s, now)),
      }),
    );
  }
  if (path === '/robots.txt') return respond(200, 'text/plain; charset=utf-8', ROBOTS_TXT);
  if (path === '/news' || path === '/gbk' || path === '/board') return redirect(`${path}/${url.search}`);
  if (path === '/private' || path.startsWith('/private/')) return respond(200, HTML_UTF8, renderPrivate());

  if (path === '/news/') {
    const page = parsePage(params);
    if (page === undefined) return badPage(false);
    const total = content.newsCountAt(now);
    const pageCount = pageCountOf(total, NEWS_PAGE_SIZE);
    if (page > pageCount) return notFound(path + url.search);
    const items = pageSequences(total, page, NEWS_PAGE_SIZE).map((s) => content.news(s));
    const hot = pageSequences(total, 1, 20)
      .map((s) => content.news(s))
      .filter((a) => a.onTopic && !a.repostOf)
      .slice(0, SIDEBAR_ARTICLE_COUNT);
    return respond(200, HTML_UTF8, renderNewsList({ items, page, pageCount, hot }));
  }
  const newsMatch = /^\/news\/(\d+)\.html$/.exec(path);
  if (newsMatch) {
    const sequence = content.newsSequence(newsMatch[1] ?? '', now);
    if (sequence === undefined) return notFound(path);
    const total = content.newsCountAt(now);
    const related: NewsArticle[] = content.relatedNews(sequence, RELATED_ARTICLE_COUNT).map((s) => content.news(s));
    return respond(
      200,
      HTML_UTF8,
      renderNewsArticle({
        article: content.news(sequence),
        ...(sequence > 1 ? { previous: content.news(sequence - 1) } : {}),
        ...(sequence < total ? { next: content.news(sequence + 1) } : {}),
        related,
      }),
    );
  }

  if (path === '/rss.xml') {
    const total = content.newsCountAt(now);
    const articles = pageSequences(total, 1, RSS_ITEM_COUNT).map((s) => content.news(s));
    return respond(
      200,
      'application/rss+xml; charset=utf-8',
      renderRss({ origin, articles, builtAt: articles[0]?.publishedAt ?? now }),
    );
  }

  if (path === '/gbk/') {
    const page = parsePage(params);
    if (page === undefined) return badPage(false);
    const total = content.forumCount();
    const pageCount = pageCountOf(total, FORUM_PAGE_SIZE);
    if (page > pageCount) return notFound(path + url.search);
    const items = () => pageSequences(total, page, FORUM_PAGE_SIZE).map((s) => content.forum(s));
    // Deliberately no charset in the header: the page declares GBK only in <meta>, like many local forums.
    return respond(
      200,
      'text/html',
      cachedForumPage(content, `list:${page}`, () => renderForumList({ items: items(), page, pageCount })),
    );
  }
  const forumMatch = /^\/gbk\/(\d+)\.html$/.exec(path);
  if (forumMatch) {
    const sequence = content.forumSequence(forumMatch[1] ?? '');
    if (sequence === undefined) return notFound(path);
    return respond(
      200,
      'text/html',
      cachedForumPage(content, `post:${sequence}`, () => renderForumPost(content.forum(sequence))),
    );
  }

  if (path === '/board/') {
    const page = parsePage(params);
    if (page === undefined) return badPage(false);
    const total = content.boardCountAt(now);
    const pageCount = pageCountOf(total, BOARD_PAGE_SIZE);
    if (page > pageCount) return notFound(path + url.search);
    const items: BoardMessageView[] = pageSequences(total, page, BOARD_PAGE_SIZE).map((s) => content.boardView(s, now));
    return respond(200, HTML_UTF8, renderBoardList({ items, page, pageCount }));
  }
  const boardMatch = /^\/board\/(m\d+)$/.exec(path);
  if (boardMatch) {
    const sequence = content.boardSequence(boardMatch[1] ?? '', now);
    if (sequence === undefined) return notFound(path);
    return respond(200, HTML_UTF8, renderBoardMessage(content.boardView(sequence, now)));
  }
  if (path === '/api/board/messages') {
    const page = parsePage(params);
    if (page === undefined) return badPage(true);
    const total = content.boardCountAt(now);
    const pageCount = pageCountOf(total, BOARD_PAGE_SIZE);
    // Past the last page the API answers an empty list (as such APIs do), not an error.
    const views =
      page > pageCount ? [] : pageSequences(total, page, BOARD_PAGE_SIZE).map((s) => content.boardView(s, now));
    return respond(
      200,
      'application/json; charset=utf-8',
      JSON.stringify(boardApiPage(origin, page, pageCount, views)),
    );
  }

  return notFound(path);
}
