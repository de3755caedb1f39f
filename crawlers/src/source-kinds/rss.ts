// Source kind `rss`: an RSS 0.9x/2.0 or Atom feed; each unseen entry is a mention (the feed's summary is the body).
import { parseFeed, type FeedItem } from '../feed-parse.ts';
import { feedItemIdentities, type FeedItemIdentity } from '../feed-identity.ts';
import { assertNotBinary } from '../html-guard.ts';
import type { SourceDefinition } from '@yuqing/domain';
import type { PageContext, SourceKindCrawler } from './source-kind.ts';

type RssSource = Extract<SourceDefinition, { kind: 'rss' }>;

/** One feed page; `maxItems` keeps its first entries. */
export const rssKind: SourceKindCrawler<RssSource> = {
  initialTasks: (source) => [{ url: source.url, label: 'feed', pageIndex: 0 }],
  pages: {
    feed: async (ctx) => {
      const { feed, unseen } = await unseenFeedItems(ctx, ctx.source.config.maxItems);
      for (const i of unseen) {
        ctx.emit(
          {
            url: i.url,
            title: i.title,
            body: i.body,
            ...(i.author ? { author: i.author } : {}),
            ...(i.publishedAt ? { publishedAt: i.publishedAt } : {}),
            ...(i.itemKey ? { itemKey: i.itemKey } : {}),
            rawEncoding: ctx.decoded.encoding,
            ...(feed.title ? { siteName: feed.title } : {}),
          },
          i.canonical,
        );
      }
    },
  },
};

/**
 * Parses a feed page (its first `maxItems` entries), counts them and returns those not seen before, each once (a
 * feed listing one URL twice yields one), with their identity: entries sharing one page (links differing only by
 * #fragment) stay apart, see feedItemIdentities. Shared by the feed-based kinds (rss, rsshub, wechat_mp).
 */
export async function unseenFeedItems(
  ctx: Pick<PageContext, 'page' | 'decoded' | 'dates' | 'found' | 'unseen'>,
  maxItems: number | undefined,
): Promise<{ feed: ReturnType<typeof parseFeed>; unseen: Array<FeedItem & FeedItemIdentity> }> {
  const { page, decoded } = ctx;
  assertNotBinary(decoded.text, page.url);
  const feed = parseFeed(decoded.text, { baseUrl: page.url, ...ctx.dates });
  const kept = maxItems ? feed.items.slice(0, maxItems) : feed.items;
  const identities = feedItemIdentities(kept);
  const items = kept.map((i, n) => ({ ...i, ...identities[n]! }));
  ctx.found(items.length);
  const unseen = await ctx.unseen(items.map((i) => i.canonical));
  const out: Array<FeedItem & FeedItemIdentity> = [];
  for (const i of items) {
    if (!unseen.has(i.canonical)) continue;
    unseen.delete(i.canonical);
    out.push(i);
  }
  return { feed, unseen: out };
}
