// Source kind `hotlist`: a platform's hot list (热榜) read whole on every poll. Each platform is an adapter (its
// endpoint path, how its JSON lists entries, how it says no); the kind emits every entry with its rank, heat and
// the poll's time, and ingest keeps the rank history and decides which entries become mentions.
import { errorMessage } from '@yuqing/core';
import type { HotListPlatform, RawMention, SourceDefinition } from '@yuqing/domain';
import type { SourceKindCrawler } from './source-kind.ts';

type HotlistSource = Extract<SourceDefinition, { kind: 'hotlist' }>;

/** One entry of a hot list as the platform shows it. */
export interface HotListEntry {
  /** Identity across polls: the platform's id for the entry, or its title when it has none. */
  key: string;
  title: string;
  /** A stable public address of the entry (volatile tracking parameters left out). */
  url: string;
  /** 1 = top. */
  rank: number;
  heat?: number;
  /** The platform's summary of the entry, when it gives one. */
  summary?: string;
}

/** How one platform's hot list is asked for and read. */
export interface HotListAdapter {
  /** Path and query of the endpoint under the source's origin. */
  path: string;
  /** Site name on the mentions. */
  siteName: string;
  /** Extra request headers the endpoint expects. */
  headers?: Readonly<Record<string, string>>;
  /** Why the answer is a refusal (login wall, error object), or undefined when it is a list. */
  refusal(json: unknown): string | undefined;
  /** The ranked entries, top first (pinned and advertised entries left out: the platform places them, not readers). */
  entries(json: unknown): HotListEntry[];
}

/**
 * A heat figure as the platforms write it: a number, `"4910669"`, `"剧集 1542565"` (微博 prefixes a category),
 * `"1560 万热度"` (知乎). Undefined when there is no figure.
 */
export function parseHeat(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /(\d+(?:\.\d+)?)\s*(万|亿)?\s*(?:热度)?\s*$/.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2] === '亿' ? 100_000_000 : m[2] === '万' ? 10_000 : 1;
  // Stored as a 32-bit integer; no list shows a heat anywhere near 2 × 10⁹, so a larger figure is capped, not wrapped.
  return Math.min(2_000_000_000, Math.round(Number(m[1]) * unit));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : '');

/**
 * 微博热搜 through the mobile site's container API (`containerid=106003type=25&t=3&disable_hot=1&
 * filter_type=realtimehot`): the first card group's items carry their rank as `realpos` in `itemid`; the pinned
 * entry (no `realpos`) and advertised ones (`is_ad_pos`, no `realpos`) are left out. `desc_extr` is the heat.
 */
export const weiboHotList: HotListAdapter = {
  path: '/api/container/getIndex?containerid=106003type%3D25%26t%3D3%26disable_hot%3D1%26filter_type%3Drealtimehot',
  siteName: '微博热搜',
  headers: { 'x-requested-with': 'XMLHttpRequest' },
  refusal: (json) => {
    const ok = isObject(json) ? json.ok : undefined;
    if (ok === -100) return '微博要求登录 (ok: -100)：热搜接口暂时拒绝了匿名访问';
    if (ok !== 1) return `微博热搜没有返回榜单 (ok: ${String(ok)})`;
    return undefined;
  },
  entries: (json) => {
    const cards = isObject(json) && isObject(json.data) ? json.data.cards : undefined;
    if (!Array.isArray(cards)) return [];
    for (const card of cards) {
      const group = isObject(card) ? card.card_group : undefined;
      if (!Array.isArray(group)) continue;
      const out: HotListEntry[] = [];
      for (const item of group) {
        if (!isObject(item)) continue;
        const rank = /(?:^|\|)realpos:(\d+)(?:\||$)/.exec(text(item.itemid))?.[1];
        const title = text(item.desc);
        if (!rank || !title) continue;
        const heat = parseHeat(item.desc_extr);
        out.push({
          key: title,
          title,
          url: `https://s.weibo.com/weibo?q=${encodeURIComponent(`#${title}#`)}`,
          rank: Number(rank),
          ...(heat !== undefined ? { heat } : {}),
        });
      }
      // The real-time list is the first group with ranked items; the later cards (rising entries) repeat some.
      if (out.length > 0) return out.sort((a, b) => a.rank - b.rank);
    }
    return [];
  },
};

/**
 * 知乎热榜 through `api/v3/feed/topstory/hot-lists/total?limit=50`: `data[]` in rank order, the question in
 * `target.title_area.text`, its link in `target.link.url`, the heat as `target.metrics_area.text` (`1560 万热度`).
 * Anonymous clients are sometimes answered `{"error": {...}}` with HTTP 401/403.
 */
export const zhihuHotList: HotListAdapter = {
  path: '/api/v3/feed/topstory/hot-lists/total?limit=50',
  siteName: '知乎热榜',
  refusal: (json) => {
    const error = isObject(json) ? json.error : undefined;
    if (isObject(error)) return `知乎拒绝了请求 (error ${String(error.code ?? '')}: ${text(error.message)})`;
    if (!isObject(json) || !Array.isArray(json.data)) return '知乎热榜没有返回榜单 (no data)';
    return undefined;
  },
  entries: (json) => {
    const data = isObject(json) ? json.data : undefined;
    if (!Array.isArray(data)) return [];
    const out: HotListEntry[] = [];
    data.forEach((item, index) => {
      const target = isObject(item) ? item.target : undefined;
      if (!isObject(target)) return;
      const title = isObject(target.title_area) ? text(target.title_area.text) : '';
      const url = isObject(target.link) ? text(target.link.url) : '';
      if (!title || !/^https?:\/\//.test(url)) return;
      const summary = isObject(target.excerpt_area) ? text(target.excerpt_area.text) : '';
      const heat = isObject(target.metrics_area) ? parseHeat(target.metrics_area.text) : undefined;
      out.push({
        key: url,
        title,
        url,
        rank: index + 1,
        ...(heat !== undefined ? { heat } : {}),
        ...(summary ? { summary } : {}),
      });
    });
    return out;
  },
};

/**
 * 百度热搜 through `top.baidu.com/api/board?platform=web&tab=realtime`: `data.cards[0].content[]` with a 0-based
 * `index`, the query as `word`, `hotScore` as the heat and `desc` as a summary; the pinned entry is in
 * `topContent` and left out. `rawUrl` is the search link without tracking parameters.
 */
export const baiduHotList: HotListAdapter = {
  path: '/api/board?platform=web&tab=realtime',
  siteName: '百度热搜',
  refusal: (json) => {
    if (!isObject(json)) return '百度热搜没有返回 JSON 对象';
    if (json.success !== true) return `百度热搜拒绝了请求 (success: ${String(json.success)})`;
    return undefined;
  },
  entries: (json) => {
    const cards = isObject(json) && isObject(json.data) ? json.data.cards : undefined;
    const content = Array.isArray(cards) && isObject(cards[0]) ? cards[0].content : undefined;
    if (!Array.isArray(content)) return [];
    const out: HotListEntry[] = [];
    content.forEach((item, position) => {
      if (!isObject(item)) return;
      const title = text(item.word) || text(item.query);
      const url = text(item.rawUrl) || text(item.url);
      if (!title || !/^https?:\/\//.test(url)) return;
      const rank = typeof item.index === 'number' ? item.index + 1 : position + 1;
      const heat = parseHeat(item.hotScore);
      const summary = text(item.desc);
      out.push({
        key: title,
        title,
        url,
        rank,
        ...(heat !== undefined ? { heat } : {}),
        ...(summary ? { summary } : {}),
      });
    });
    return out.sort((a, b) => a.rank - b.rank);
  },
};

/**
 * 抖音热点 through the app API `aweme.snssdk.com/aweme/v1/hot/search/list/?version_name=13.2.0&device_platform=android`
 * (the request the recorded answer was made with, January 2021): `data.word_list[]` with a 1-based `position`, the
 * phrase as `word`, `hot_value` as the heat and `sentence_id` as the entry's id; the pinned topic (`word_type` 2, no
 * `position`) is left out, and `trending_list` (rising phrases without a rank) is not read. `status_code` other than
 * 0 is a refusal. The link is the web search for the phrase.
 */
export const douyinHotList: HotListAdapter = {
  path: '/aweme/v1/hot/search/list/?version_name=13.2.0&device_platform=android',
  siteName: '抖音热点',
  refusal: (json) => {
    if (!isObject(json)) return '抖音热点没有返回 JSON 对象';
    if (json.status_code !== 0) return `抖音热点拒绝了请求 (status_code: ${String(json.status_code)})`;
    if (!isObject(json.data) || !Array.isArray(json.data.word_list)) return '抖音热点没有返回榜单 (no word_list)';
    return undefined;
  },
  entries: (json) => {
    const list = isObject(json) && isObject(json.data) ? json.data.word_list : undefined;
    if (!Array.isArray(list)) return [];
    const out: HotListEntry[] = [];
    for (const item of list) {
      if (!isObject(item) || typeof item.position !== 'number' || item.position < 1) continue;
      const title = text(item.word);
      if (!title) continue;
      const heat = parseHeat(item.hot_value);
      out.push({
        key: text(item.sentence_id) || title,
        title,
        url: `https://www.douyin.com/search/${encodeURIComponent(title)}`,
        rank: item.position,
        ...(heat !== undefined ? { heat } : {}),
      });
    }
    return out.sort((a, b) => a.rank - b.rank);
  },
};

/**
 * 今日头条热榜 through `www.toutiao.com/hot-event/hot-board/?origin=toutiao_pc`: `data[]` in rank order, the
 * headline as `Title`, `HotValue` (a string) as the heat, `ClusterIdStr` as the entry's id; the pinned entry is in
 * `fixed_top_data` and left out. `status` other than `"success"` is a refusal. `Url` carries the poll's tracking
 * (`log_pb` with its impression id), so a trending topic is linked as `/trending/{ClusterIdStr}/` and an article
 * without its query.
 */
export const toutiaoHotList: HotListAdapter = {
  path: '/hot-event/hot-board/?origin=toutiao_pc',
  siteName: '今日头条热榜',
  refusal: (json) => {
    if (!isObject(json)) return '今日头条热榜没有返回 JSON 对象';
    if (json.status !== 'success') return `今日头条热榜拒绝了请求 (status: ${String(json.status)})`;
    if (!Array.isArray(json.data)) return '今日头条热榜没有返回榜单 (no data)';
    return undefined;
  },
  entries: (json) => {
    const data = isObject(json) ? json.data : undefined;
    if (!Array.isArray(data)) return [];
    const out: HotListEntry[] = [];
    data.forEach((item, index) => {
      if (!isObject(item)) return;
      const title = text(item.Title) || text(item.QueryWord);
      const id = text(item.ClusterIdStr);
      const raw = text(item.Url);
      if (!title || !/^https?:\/\//.test(raw)) return;
      const link = new URL(raw);
      const url =
        id && link.pathname.startsWith('/trending/')
          ? `${link.origin}/trending/${id}/`
          : `${link.origin}${link.pathname}`;
      const heat = parseHeat(item.HotValue);
      out.push({ key: id || title, title, url, rank: index + 1, ...(heat !== undefined ? { heat } : {}) });
    });
    return out;
  },
};

/** The adapter of each platform. */
export const HOTLIST_ADAPTERS: Readonly<Record<HotListPlatform, HotListAdapter>> = {
  weibo: weiboHotList,
  zhihu: zhihuHotList,
  baidu: baiduHotList,
  douyin: douyinHotList,
  toutiao: toutiaoHotList,
};

/** The endpoint URL of a hot-list source. */
export function hotListUrl(source: Pick<HotlistSource, 'url' | 'config'>): string {
  return new URL(HOTLIST_ADAPTERS[source.config.platform].path, new URL(source.url).origin).toString();
}

/** One poll's entries as raw mentions: title, summary as body, rank, heat and the poll time in `hotList`. */
export function hotListMentions(
  platform: HotListPlatform,
  entries: readonly HotListEntry[],
  observedAt: string,
): RawMention[] {
  const adapter = HOTLIST_ADAPTERS[platform];
  return entries.map((entry) => ({
    url: entry.url,
    title: entry.title,
    body: entry.summary ?? '',
    siteName: adapter.siteName,
    hotList: {
      platform,
      entryKey: entry.key.slice(0, 500),
      rank: entry.rank,
      ...(entry.heat !== undefined ? { heat: entry.heat } : {}),
      observedAt,
    },
  }));
}

/**
 * Platform hot lists (微博热搜, 知乎热榜, 百度热搜, 抖音热点, 今日头条热榜).
 *
 * - Endpoint: `GET {origin}{adapter.path}` (see each adapter), one request per poll, no pagination.
 * - Polite default: the preset polls every 15 minutes, 1 request / 5 s per host, one at a time.
 * - Every poll emits every entry, seen before or not: the rank history needs each poll. Ingest records them all
 *   (HotListObservation) and keeps as mentions only the relevant ones.
 * - A block: HTTP 403/418/429 … (the engine's block detection), a platform's refusal in JSON (微博 `ok: -100`,
 *   知乎 `{"error": …}`, 百度 `success: false`, 抖音 `status_code` ≠ 0, 头条 `status` ≠ `success`), or an answer with no entries (a hot list is never empty; an empty
 *   one stands for a soft block): the run ends `blocked` with the reason (`CRAWL_BLOCKED`) after that one request.
 */
export const hotlistKind: SourceKindCrawler<HotlistSource> = {
  requestHeaders: (source) => ({
    referer: `${new URL(source.url).origin}/`,
    ...HOTLIST_ADAPTERS[source.config.platform].headers,
  }),
  initialTasks: (source) => [{ url: hotListUrl(source), label: 'api', pageIndex: 0 }],
  pages: {
    api: async (ctx) => {
      const { platform, maxEntries } = ctx.source.config;
      const adapter = HOTLIST_ADAPTERS[platform];
      let json: unknown;
      try {
        json = JSON.parse(ctx.decoded.text);
      } catch (error) {
        // An HTML or empty answer in place of the JSON list is how these endpoints show a verification page.
        return ctx.block(`${adapter.siteName}没有返回 JSON (${errorMessage(error)})`);
      }
      const refusal = adapter.refusal(json);
      if (refusal) return ctx.block(refusal);
      const entries = adapter.entries(json).slice(0, maxEntries);
      if (entries.length === 0) return ctx.block(`${adapter.siteName}返回了空榜单`);
      ctx.found(entries.length);
      const observedAt = ctx.dates.clock.now().toISOString();
      for (const mention of hotListMentions(platform, entries, observedAt)) {
        ctx.emit({ ...mention, rawEncoding: ctx.decoded.encoding }, mention.url);
      }
    },
  },
};
