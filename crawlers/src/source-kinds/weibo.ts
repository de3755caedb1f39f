// Source kind `weibo`: 微博 through its public mobile JSON API. One module for both modes (keyword search, a
// user's timeline): they share the endpoint, the card format, the post format and the ways 微博 refuses a client.
import { load } from 'cheerio';
import { errorMessage, YuqingError, type Clock } from '@yuqing/core';
import { canonicaliseUrl, type RawMention, type SourceDefinition, type WeiboConfig } from '@yuqing/domain';
import { formatInZone, parseDateText } from '../date-parse.ts';
import type { CrawlTask, PageContext, SourceKindCrawler } from './source-kind.ts';

type WeiboSource = Extract<SourceDefinition, { kind: 'weibo' }>;

/** Public address of a post; the same whichever origin the source's API calls went to (a mirror in tests). */
export const WEIBO_POST_URL = 'https://m.weibo.cn/detail/';

/** A post as the mobile API gives it (the fields we read; the API sends many more). */
interface Mblog {
  id?: string | number;
  mid?: string;
  created_at?: string;
  text?: string;
  isLongText?: boolean;
  user?: { screen_name?: string } | null;
  reposts_count?: number | string;
  comments_count?: number | string;
  attitudes_count?: number | string;
  region_name?: string;
  retweeted_status?: Mblog | null;
}

/**
 * The getIndex URL of a source's first (or `page`th) page: `containerid=100103type=1&q=…` for a search,
 * `containerid=107603{uid}` for a user's timeline.
 */
export function weiboIndexUrl(origin: string, config: Pick<WeiboConfig, 'mode' | 'keyword' | 'uid'>, page = 1): string {
  const url = new URL('/api/container/getIndex', origin);
  if (config.mode === 'search') {
    url.searchParams.set('containerid', `100103type=1&q=${config.keyword ?? ''}`);
    url.searchParams.set('page_type', 'searchall');
  } else {
    url.searchParams.set('type', 'uid');
    url.searchParams.set('value', config.uid ?? '');
    url.searchParams.set('containerid', `107603${config.uid ?? ''}`);
  }
  url.searchParams.set('page', String(page));
  return url.toString();
}

/** The long-text endpoint of a post: `m.weibo.cn/statuses/extend?id=…`. */
export function weiboExtendUrl(origin: string, id: string): string {
  const url = new URL('/statuses/extend', origin);
  url.searchParams.set('id', id);
  return url.toString();
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

/**
 * `created_at` in every form the API returns, relative to `clock`: `刚刚`, `5分钟前`, `今天 10:05`, `昨天 10:05`,
 * `12-03` (this year), `2024-12-03`, and the full `Tue Dec 03 10:05:00 +0800 2024`. ISO 8601 with the zone's
 * offset, or undefined.
 */
export function parseWeiboTime(
  text: string | undefined,
  options: { timeZone: string; clock?: Clock },
): string | undefined {
  if (!text) return undefined;
  // The full form is day-of-week first with the year last, which RFC 822 parsing does not take.
  const full = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/.exec(
    text.trim(),
  );
  if (full) {
    const month = MONTHS[full[1]!];
    if (!month) return undefined;
    const offsetMs = (full[6] === '-' ? -1 : 1) * (Number(full[7]) * 60 + Number(full[8])) * 60_000;
    const utc =
      Date.UTC(Number(full[9]), month - 1, Number(full[2]), Number(full[3]), Number(full[4]), Number(full[5])) -
      offsetMs;
    return formatInZone(new Date(utc), options.timeZone);
  }
  return parseDateText(text, { timeZone: options.timeZone, ...(options.clock ? { clock: options.clock } : {}) });
}

/**
 * A count as the API writes it: a number, `"12345"`, `"1.2万"`, or `"100万+"` (a floor the API shows past a
 * million).
 */
export function parseWeiboCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(万|亿)?\+?\s*$/.exec(value);
  if (!m) return undefined;
  const unit = m[2] === '亿' ? 100_000_000 : m[2] === '万' ? 10_000 : 1;
  return Math.round(Number(m[1]) * unit);
}

/** `发布于 湖南` → `湖南`. */
export function weiboRegion(regionName: string | undefined): string | undefined {
  const region = regionName?.replace(/^\s*发布于\s*/, '').trim();
  return region || undefined;
}

/**
 * A post's HTML (links, emoticon images, `<br />`) as plain text: line breaks kept, an emoticon as its alt text
 * (`[doge]`), everything else its text. cheerio, which the crawlers already parse HTML with, decodes entities.
 */
export function weiboHtmlToText(html: string | undefined): string {
  if (!html) return '';
  const $ = load(`<div id="weibo-text">${html}</div>`, null, false);
  $('br').replaceWith('\n');
  $('img').each((_, img) => {
    const alt = $(img).attr('alt');
    $(img).replaceWith(alt ?? '');
  });
  return $('#weibo-text')
    .text()
    .replace(/[ \t\u00a0\u200b]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** The posts of a getIndex page: cards carry a post directly (timelines) or in a card group (searches). */
export function weiboCardPosts(json: unknown): Mblog[] {
  const cards = (json as { data?: { cards?: unknown } } | null)?.data?.cards;
  if (!Array.isArray(cards)) return [];
  const posts: Mblog[] = [];
  const visit = (card: unknown) => {
    if (!card || typeof card !== 'object') return;
    const c = card as { mblog?: Mblog; card_group?: unknown };
    if (c.mblog && typeof c.mblog === 'object') posts.push(c.mblog);
    if (Array.isArray(c.card_group)) c.card_group.forEach(visit);
  };
  cards.forEach(visit);
  return posts;
}

/** One post as a mention, without the parent link (see {@link weiboMentions}). */
export function weiboPostMention(post: Mblog, dates: { timeZone: string; clock?: Clock }): RawMention | undefined {
  const id = post.id ?? post.mid;
  if (id === undefined || id === '') return undefined;
  const mention: RawMention = { url: `${WEIBO_POST_URL}${String(id)}`, title: '', body: weiboHtmlToText(post.text) };
  const author = post.user?.screen_name?.trim();
  if (author) mention.author = author;
  mention.siteName = '微博';
  const publishedAt = parseWeiboTime(post.created_at, dates);
  if (publishedAt) mention.publishedAt = publishedAt;
  const reposts = parseWeiboCount(post.reposts_count);
  if (reposts !== undefined) mention.reposts = reposts;
  const comments = parseWeiboCount(post.comments_count);
  if (comments !== undefined) mention.comments = comments;
  const likes = parseWeiboCount(post.attitudes_count);
  if (likes !== undefined) mention.likes = likes;
  const region = weiboRegion(post.region_name);
  if (region) mention.region = region;
  return mention;
}

/** A mention and, when the API truncated its text, the id whose full text the extend endpoint gives. */
export interface WeiboPostItem {
  mention: RawMention;
  longTextId?: string;
}

/**
 * The mentions of a page's posts: each post, and for a repost its original first (deleted originals, which the
 * API sends without an id, are left out), the repost linked to it by `parentUrl`.
 */
export function weiboMentions(posts: Mblog[], dates: { timeZone: string; clock?: Clock }): WeiboPostItem[] {
  const out: WeiboPostItem[] = [];
  const add = (post: Mblog, parentUrl?: string) => {
    const mention = weiboPostMention(post, dates);
    if (!mention) return undefined;
    if (parentUrl) mention.parentUrl = parentUrl;
    out.push({ mention, ...(post.isLongText === true ? { longTextId: String(post.id ?? post.mid) } : {}) });
    return mention;
  };
  for (const post of posts) {
    const original = post.retweeted_status ? add(post.retweeted_status) : undefined;
    add(post, original?.url);
  }
  return out;
}

/** How 微博 said no in a JSON answer, or undefined when it answered. */
export function weiboRefusal(json: unknown): string | undefined {
  const ok = (json as { ok?: unknown } | null)?.ok;
  if (ok === -100) return '微博要求登录 (ok: -100, 跳转登录页)：请稍后再试或在信源中填写登录 Cookie';
  return undefined;
}

function parseJson(ctx: PageContext): unknown {
  try {
    return JSON.parse(ctx.decoded.text);
  } catch (error) {
    throw new YuqingError('JSON_INVALID', `${ctx.page.url} did not return JSON: ${errorMessage(error)}`, {
      retryable: false,
    });
  }
}

/**
 * 微博 search and user timelines.
 *
 * - Endpoint: `GET {origin}/api/container/getIndex` with `containerid=100103type=1&q={keyword}&page_type=searchall`
 *   (search) or `type=uid&value={uid}&containerid=107603{uid}` (timeline), `page=1…maxPages`; a truncated post's
 *   full text from `GET {origin}/statuses/extend?id={id}`.
 * - Headers: `Referer: {origin}/`, `X-Requested-With: XMLHttpRequest` as the mobile site sends them; the source's
 *   login cookie (`config.cookie`, optional, a secret) as `Cookie`.
 * - Polite default: the presets set 1 request / 3 s and one request at a time to the host (the shared host
 *   throttle), 3 pages per crawl, every 30 minutes.
 * - A block: HTTP 418 or 403 (the engine's block detection), or `{"ok": -100, "url": "https://passport…"}` (login
 *   redirect): the run ends `blocked` with the reason (`CRAWL_BLOCKED`) and nothing more is fetched; the next
 *   scheduled run tries again, so a blocked source is asked at most once per schedule.
 * - `{"ok": 0}` with no cards is the end of the results.
 */
export const weiboKind: SourceKindCrawler<WeiboSource> = {
  requestHeaders: (source) => ({
    referer: `${new URL(source.url).origin}/`,
    'x-requested-with': 'XMLHttpRequest',
    ...(source.config.cookie ? { cookie: source.config.cookie } : {}),
  }),
  initialTasks: (source) => [
    { url: weiboIndexUrl(new URL(source.url).origin, source.config, 1), label: 'api', pageIndex: 0, page: 1 },
  ],
  pages: {
    api: async (ctx) => {
      const json = parseJson(ctx);
      const refusal = weiboRefusal(json);
      if (refusal) return ctx.block(refusal);
      const ok = (json as { ok?: unknown } | null)?.ok;
      const posts = weiboCardPosts(json);
      if (ok !== 1 && posts.length === 0) {
        // `ok: 0` ("这里还没有内容") past the last page; anything else is an answer we do not know.
        if (ok === 0) return;
        throw new YuqingError('WEIBO_UNEXPECTED', `${ctx.page.url}: unexpected answer (ok: ${String(ok)})`, {
          retryable: true,
        });
      }
      const items = weiboMentions(posts, ctx.dates);
      ctx.found(items.length);
      const canon = items.map((i) => canonicaliseUrl(i.mention.url));
      const unseen = await ctx.unseen(canon);
      const origin = new URL(ctx.source.url).origin;
      const longTexts: CrawlTask[] = [];
      let fresh = 0;
      items.forEach((item, i) => {
        const key = canon[i]!;
        if (!unseen.has(key)) return;
        unseen.delete(key);
        fresh++;
        if (item.longTextId)
          longTexts.push({
            url: weiboExtendUrl(origin, item.longTextId),
            label: 'detail',
            pageIndex: 0,
            item: item.mention,
            seenUrl: key,
          });
        else ctx.emit({ ...item.mention, rawEncoding: ctx.decoded.encoding }, key);
      });
      if (longTexts.length > 0) await ctx.enqueue(longTexts);
      const page = ctx.task.page ?? 1;
      const more = ctx.mode === 'full' ? posts.length > 0 : fresh > 0;
      if (more && ctx.task.pageIndex + 1 < ctx.source.config.maxPages)
        await ctx.enqueue([
          {
            url: weiboIndexUrl(origin, ctx.source.config, page + 1),
            label: 'api',
            pageIndex: ctx.task.pageIndex + 1,
            page: page + 1,
          },
        ]);
    },
    detail: async (ctx) => {
      const { item, seenUrl } = ctx.task;
      // Only the api handler queues these, always with the mention they complete.
      if (!item || !seenUrl)
        throw new YuqingError('TASK_UNSUPPORTED', `a weibo long-text task without its post: ${ctx.task.url}`, {
          retryable: false,
        });
      const json = parseJson(ctx);
      const refusal = weiboRefusal(json);
      if (refusal) return ctx.block(refusal);
      ctx.emit({ ...weiboWithLongText(item, json), rawEncoding: ctx.decoded.encoding }, seenUrl);
    },
  },
};

/**
 * A mention completed with the extend endpoint's answer (`data.longTextContent` and fresher counts); the
 * truncated text stays when the answer has none (a post deleted in between).
 */
export function weiboWithLongText(item: RawMention, json: unknown): RawMention {
  const data = (json as { data?: Record<string, unknown> } | null)?.data;
  if (!data) return item;
  const out: RawMention = { ...item };
  const text = typeof data.longTextContent === 'string' ? weiboHtmlToText(data.longTextContent) : '';
  if (text) out.body = text;
  const reposts = parseWeiboCount(data.reposts_count);
  const comments = parseWeiboCount(data.comments_count);
  const likes = parseWeiboCount(data.attitudes_count);
  // The extend endpoint answers 0 for counts it does not know; a count only grows, so the larger one stands.
  if (reposts !== undefined) out.reposts = Math.max(reposts, item.reposts ?? 0);
  if (comments !== undefined) out.comments = Math.max(comments, item.comments ?? 0);
  if (likes !== undefined) out.likes = Math.max(likes, item.likes ?? 0);
  return out;
}
