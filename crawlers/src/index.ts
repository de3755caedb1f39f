// @yuqing/crawlers: the collect stage's fetching — source kinds, fetch/decode/extract → RawMention. Storing what
// they find is the pipeline's job (@yuqing/pipeline).
export { crawlOnce, extractUrl, type CrawlOnceOptions, type ExtractUrlResult } from './crawl-once.ts';
export {
  crawlSource,
  crawlModeAfter,
  closingCheckpoint,
  EMIT_BATCH_SIZE,
  type CrawlSink,
  type CrawlResult,
  type CrawlCheckpoint,
  type CrawlCheckpointV1,
  type CrawlMode,
  type CrawlTask,
  type CrawlSourceOptions,
  type CrawlError,
} from './crawl-engine.ts';
export { createMemorySink } from './memory-sink.ts';
export { extractArticle, type ExtractedArticle, type ExtractOptions } from './article-extract.ts';
export { decodeBody, sniffDeclaredCharset, charsetFromContentType, type DecodedText } from './encoding.ts';
export { parseDateText, formatInZone, type DateParseOptions } from './date-parse.ts';
export { parseFeed, assertWholeFeed, type ParsedFeed, type FeedItem } from './feed-parse.ts';
export { feedItemIdentities, type FeedItemIdentity } from './feed-identity.ts';
export { detectBlock, type BlockVerdict } from './block-detect.ts';
export {
  fetchPage,
  DEFAULT_MAX_BYTES,
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_MAX_REDIRECTS,
  USER_AGENT,
  type FetchedPage,
  type FetchLimits,
  type FetchPageOptions,
} from './fetch-page.ts';
export { UrlGuard, privateAddressReason, pinnedLookup, type UrlGuardOptions } from './url-guard.ts';
export { resolveLink } from './resolve-link.ts';
export { HostThrottle, sharedHostThrottle } from './host-throttle.ts';
export { extractListLinks, extractDetail } from './source-kinds/html.ts';
export { extractWechatArticle, type WechatExtractOptions } from './wechat-article.ts';
export { rsshubFeedUrl } from './source-kinds/rsshub.ts';
