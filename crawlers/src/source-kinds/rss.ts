// Source kind `rss`: an RSS 0.9x/2.0 or Atom feed; each unseen entry is a mention (the feed's summary is the body).
import { parseFeed } from '../feed-parse.ts';
import { feedItemIdentities } from '../feed-identity.ts';
import { assertNotBinary } from '../html-guard.ts';
import type { SourceDefinition } from '@yuqing/domain';
import type { SourceKindCrawler } from './source-kind.ts';

type RssSource = Extract<SourceDefinition, { kind: 'rss' }>;

/** One feed page; `maxItems` keeps its first entries. */
export const rssKind: SourceKindCrawler<RssSource> = {
  initialTasks: (source) => [{ url: source.url, label: 'feed', pageIndex: 0 }],
  pages: {
    feed: async (ctx) => {
      const { page, decoded, source } = ctx;
      assertNotBinary(decoded.text, page.url);
      const feed = parseFeed(decoded.text, { baseUrl: page.url, ...ctx.dates });
      const maxItems = source.config.maxItems;
      const kept = maxItems ? feed.items.slice(0, maxItems) : feed.items;
      // Entries sharing one page (links differing only by #fragment) stay apart: see feedItemIdentities.
      const identities = feedItemIdentities(kept);
      const items = kept.map((i, n) => ({ ...i, ...identities[n]! }));
      ctx.found(items.length);
      const unseen = await ctx.unseen(items.map((i) => i.canonical));
      for (const i of items) {
        // A feed listing one URL twice yields one mention.
        if (!unseen.has(i.canonical)) continue;
        unseen.delete(i.canonical);
        ctx.emit(
          {
            url: i.url,
            title: i.title,
            body: i.body,
            ...(i.author ? { author: i.author } : {}),
            ...(i.publishedAt ? { publishedAt: i.publishedAt } : {}),
            ...(i.itemKey ? { itemKey: i.itemKey } : {}),
            rawEncoding: decoded.encoding,
            ...(feed.title ? { siteName: feed.title } : {}),
          },
          i.canonical,
        );
      }
    },
  },
};
