// Source kind `rss`: an RSS 0.9x/2.0 or Atom feed; each unseen entry is a mention (the feed's summary is the body).
import { canonicaliseUrl } from '@yuqing/domain';
import { parseFeed } from '../feed-parse.ts';
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
      const items = (maxItems ? feed.items.slice(0, maxItems) : feed.items).map((i) => ({
        ...i,
        canonical: canonicaliseUrl(i.url),
      }));
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
            rawEncoding: decoded.encoding,
            ...(feed.title ? { siteName: feed.title } : {}),
          },
          i.canonical,
        );
      }
    },
  },
};
