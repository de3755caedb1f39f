// Source kind `article`: one web page, fetched once; its main content (automatic extraction) is the mention.
import { extractArticle } from '../article-extract.ts';
import type { SourceDefinition } from '@yuqing/domain';
import { articleMention, loadHtml } from './html-page.ts';
import type { SourceKindCrawler } from './source-kind.ts';

type ArticleSource = Extract<SourceDefinition, { kind: 'article' }>;

/** A single article: the source URL is the one detail page. */
export const articleKind: SourceKindCrawler<ArticleSource> = {
  initialTasks: (source) => [{ url: source.url, label: 'detail', pageIndex: 0 }],
  pages: {
    detail: async (ctx) => {
      const extracted = extractArticle(loadHtml(ctx), { url: ctx.page.url, ...ctx.dates });
      const { item, seenUrl } = articleMention(ctx, extracted);
      // The page itself is the source's one item (an html source counts the links of its list pages instead).
      ctx.found(1);
      ctx.emit(item, seenUrl);
    },
  },
};
