// HTML handling shared by the kinds that read web pages: parsing behind the parser guards, and turning an
// extracted article (a detail page, an article source) into a mention.
import { load, type CheerioAPI } from 'cheerio';
import { YuqingError } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import type { ExtractedArticle } from '../article-extract.ts';
import { canonicaliseUrl } from '@yuqing/domain';
import { resolveLink } from '../resolve-link.ts';
import { assertParsableHtml } from '../html-guard.ts';
import type { PageContext } from './source-kind.ts';

/** Parses a page's HTML after refusing what would hang or crash the parser (binary bytes, absurd nesting). */
export function loadHtml(ctx: Pick<PageContext, 'page' | 'decoded'>): CheerioAPI {
  assertParsableHtml(ctx.decoded.text, ctx.page.url);
  return load(ctx.decoded.text);
}

/**
 * The mention of an article page, and the URL to mark seen (the task's, canonical: the one list pages and
 * resumes check). The page's own `<link rel="canonical">` names the mention only when it stays on the page's
 * host: a foreign one would let a page pass itself off as another site's article. Throws `EXTRACT_EMPTY` when
 * neither a title nor any text was found.
 */
export function articleMention(
  ctx: Pick<PageContext, 'task' | 'page' | 'decoded'>,
  extracted: ExtractedArticle,
): { item: RawMention; seenUrl: string } {
  const { task, page } = ctx;
  if (!extracted.title && !extracted.body)
    throw new YuqingError('EXTRACT_EMPTY', `no title or text found at ${page.url}`, { retryable: false });
  const canonicalFromPage = extracted.canonicalUrl ? resolveLink(extracted.canonicalUrl, page.url) : undefined;
  const sameSite =
    canonicalFromPage && new URL(canonicalFromPage).host === new URL(page.url).host ? canonicalFromPage : undefined;
  return {
    seenUrl: canonicaliseUrl(task.url),
    item: {
      url: page.url,
      canonicalUrl: canonicaliseUrl(sameSite ?? task.url),
      title: extracted.title,
      body: extracted.body,
      ...(extracted.author ? { author: extracted.author } : {}),
      ...(extracted.siteName ? { siteName: extracted.siteName } : {}),
      ...(extracted.publishedAt ? { publishedAt: extracted.publishedAt } : {}),
      rawEncoding: ctx.decoded.encoding,
    },
  };
}
