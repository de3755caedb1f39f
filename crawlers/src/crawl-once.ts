import { errorMessage, NonRetryableError, systemClock, type Clock } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import { crawlSource, type CrawlResult, type CrawlSink } from './crawl-engine.ts';
import { decodeBody } from './encoding.ts';
import { extractArticle, type ExtractedArticle } from './article-extract.ts';
import { fetchPage, type FetchLimits } from './fetch-page.ts';
import { detectBlock } from './block-detect.ts';
import { createMemorySink } from './memory-sink.ts';
import type { SourceDefinition } from '@yuqing/domain';
import { UrlGuard } from './url-guard.ts';

/** Options for {@link crawlOnce}. */
export interface CrawlOnceOptions {
  allowedPrivateHosts: readonly string[];
  timeZone: string;
  clock?: Clock;
  /** Receives each batch of items (e.g. appends JSON lines). */
  onItems: (items: RawMention[]) => Promise<void> | void;
  /** A custom sink (database) instead of the in-memory one. */
  sink?: CrawlSink;
}

/** Crawls one source now, without queues (CLI `yq crawl --once`). */
export async function crawlOnce(source: SourceDefinition, options: CrawlOnceOptions): Promise<CrawlResult> {
  return crawlSource({
    source,
    guard: new UrlGuard({ allowedPrivateHosts: options.allowedPrivateHosts }),
    sink: options.sink ?? createMemorySink(options.onItems),
    timeZone: options.timeZone,
    clock: options.clock ?? systemClock,
  });
}

/** `yq extract` output. */
export interface ExtractUrlResult extends ExtractedArticle {
  url: string;
  encoding: string;
}

/** Fetches one URL (SSRF guard and limits apply) and extracts its main content. */
export async function extractUrl(
  url: string,
  options: { allowedPrivateHosts: readonly string[]; timeZone: string; clock?: Clock; limits?: FetchLimits },
): Promise<ExtractUrlResult> {
  const guard = new UrlGuard({ allowedPrivateHosts: options.allowedPrivateHosts });
  const page = await fetchPage(url, { guard, ...(options.limits ? { limits: options.limits } : {}) });
  const decoded = decodeBody(page.body, page.contentType);
  const verdict = detectBlock({
    status: page.status,
    text: decoded.text,
    requestedUrl: page.requestedUrl,
    finalUrl: page.url,
  });
  if (verdict) throw new NonRetryableError('BLOCKED', `${page.url} is a block page: ${verdict.reason}`);
  if (page.status >= 400) throw new NonRetryableError(`HTTP_${page.status}`, `HTTP ${page.status} from ${page.url}`);
  try {
    const article = extractArticle(decoded.text, {
      url: page.url,
      timeZone: options.timeZone,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return { url: page.url, ...article, encoding: decoded.encoding };
  } catch (error) {
    throw new NonRetryableError('EXTRACT_FAILED', `could not extract ${page.url}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
