// Source kind `rsshub`: one RSSHub route read from the bureau's own RSSHub instance (https://docs.rsshub.app):
// government news (`/gov/zhengce/zuixin`, `/gov/mohrss/sbjm`), Weibo users (`/weibo/user/:uid`), Zhihu topics,
// Bilibili and Douyin users …, all as RSS 2.0.
//
// Endpoint: `config.baseUrl` + `config.route` (+ `?key=` when the instance sets ACCESS_KEY). Unset `baseUrl` fails
// the crawl with `RSSHUB_URL_MISSING`, asking for it: the public rsshub.app rate-limits and blocks crawlers, so it is
// no base for monitoring. Headers: the crawler's own. Politeness: one feed request per crawl; the host throttle's
// default (8/s, 4 at once) is far above that, and the instance caches upstream pages itself. RSSHub's robots.txt
// disallows everything by default (DISALLOW_ROBOT), meant for search engines: the presets set `respectRobots: false`
// for the bureau's own instance. A block: an instance with ACCESS_KEY answers a wrong or missing key with 403
// (CRAWL_BLOCKED `HTTP_403`); when the upstream site blocks RSSHub, RSSHub answers 5xx with its error page (a
// retryable `HTTP_503`, the upstream reason in RSSHub's own log).
import { NonRetryableError } from '@yuqing/core';
import type { RsshubConfig, SourceDefinition } from '@yuqing/domain';
import { unseenFeedItems } from './rss.ts';
import type { SourceKindCrawler } from './source-kind.ts';

type RsshubSource = Extract<SourceDefinition, { kind: 'rsshub' }>;

/**
 * The feed URL of a route on the configured instance: `baseUrl` (a path prefix kept) + route, `key` added.
 * @throws NonRetryableError `RSSHUB_URL_MISSING` when `baseUrl` is not set.
 */
export function rsshubFeedUrl(config: Pick<RsshubConfig, 'baseUrl' | 'route' | 'accessKey'>): string {
  if (!config.baseUrl)
    throw new NonRetryableError(
      'RSSHUB_URL_MISSING',
      `RSSHub 实例地址未配置：请在信源的 config.baseUrl 填写本单位 RSSHub 的地址（如 http://127.0.0.1:1200），` +
        `路由 ${config.route} 才能抓取。RSSHub base URL not set: set config.baseUrl`,
    );
  const base = new URL(config.baseUrl);
  const route = config.route.startsWith('/') ? config.route : `/${config.route}`;
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${route}`, base.origin);
  if (config.accessKey) url.searchParams.set('key', config.accessKey);
  return url.toString();
}

/** One feed page: each unseen entry is a mention, as for `rss`. */
export const rsshubKind: SourceKindCrawler<RsshubSource> = {
  initialTasks: (source) => [{ url: rsshubFeedUrl(source.config), label: 'feed', pageIndex: 0 }],
  pages: {
    feed: async (ctx) => {
      const { feed, unseen } = await unseenFeedItems(ctx, ctx.source.config.maxItems);
      for (const i of unseen)
        ctx.emit(
          {
            url: i.url,
            title: i.title,
            body: i.body,
            ...(i.author ? { author: i.author } : {}),
            ...(i.publishedAt ? { publishedAt: i.publishedAt } : {}),
            rawEncoding: ctx.decoded.encoding,
            ...(feed.title ? { siteName: feed.title } : {}),
          },
          i.canonical,
        );
    },
  },
};
