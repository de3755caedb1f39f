// HTML handling shared by the kinds that read web pages: parsing behind the parser guards, and turning an
// extracted article (a detail page, an article source) into a mention.
import { load, type CheerioAPI } from 'cheerio';
import { createLogger, YuqingError } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import type { ExtractedArticle } from '../article-extract.ts';
import { canonicaliseUrl } from '@yuqing/domain';
import { resolveLink } from '../resolve-link.ts';
import { assertParsableHtml } from '../html-guard.ts';
import type { PageContext } from './source-kind.ts';

const log = createLogger('crawler');

/**
 * Most characters of a page's HTML that are parsed into a document. A source may fetch pages up to 50 MB, but
 * parsing builds a tree of some 70 bytes per character: a 50 MB page took 49 s of one core and 1.1 GB in cheerio
 * (measured on the shared build machine), long enough to lose the job's queue lock. 4 million characters parse in a
 * few seconds and hold any real article or list page many times over (the mention's text is cut to 100,000
 * characters anyway); what lies beyond, links included, is not read.
 */
export const MAX_PARSED_HTML_CHARS = 4_000_000;

/**
 * Parses a page's HTML (its first {@link MAX_PARSED_HTML_CHARS} characters) after refusing what would hang or
 * crash the parser (binary bytes, absurd nesting).
 */
export function loadHtml(ctx: Pick<PageContext, 'page' | 'decoded'>): CheerioAPI {
  let html = ctx.decoded.text;
  if (html.length > MAX_PARSED_HTML_CHARS) {
    log.warn(
      { url: ctx.page.url, chars: html.length, parsedChars: MAX_PARSED_HTML_CHARS },
      'page too large to parse whole: parsing its beginning only',
    );
    // The HTML parser closes whatever the cut leaves open, as it does for any truncated page.
    html = html.slice(0, MAX_PARSED_HTML_CHARS);
  }
  assertParsableHtml(html, ctx.page.url);
  return load(html);
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
