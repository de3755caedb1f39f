// @yuqing/crawlers: collect stage — fetch/decode/extract, four source kinds, crawl + ingest job handlers.
export { createCrawlHandlers, crawlStoredSource, CRAWL_LEASE_MS, type CrawlHandlersOptions, type CrawlJobOutcome, type CrawlStoredSourceOptions, type RunLease } from './handlers.ts';
export { crawlOnce, extractUrl, type CrawlOnceOptions, type ExtractUrlResult } from './crawl-once.ts';
export { crawlSource, EMIT_BATCH_SIZE, type CrawlSink, type CrawlResult, type CrawlCheckpoint, type CrawlTask, type CrawlSourceOptions, type CrawlError } from './crawl-engine.ts';
export { createQueueSink, createMemorySink, createDirectSink } from './sinks.ts';
export { ingestMentions, type IngestResult, type IngestOptions } from './ingest.ts';
export { upsertSources } from './seed.ts';
export {
  sourceDefinitionSchema, parseSourceDefinition, parseSourceDefinitions, loadSourceFile, definitionFromRow, DEFAULT_SCHEDULE,
  type SourceDefinition, type SourceDefinitionInput, type HtmlConfig, type JsonConfig, type RssConfig, type ArticleConfig,
} from './source-config.ts';
export { evaluateScheme, previewScheme, applySchemes, schemeRuleSchema, type SchemeRule, type SchemeRuleInput, type SchemeEvaluation } from './monitoring-scheme.ts';
export { extractArticle, type ExtractedArticle, type ExtractOptions } from './article-extract.ts';
export { decodeBody, sniffDeclaredCharset, charsetFromContentType, type DecodedText } from './encoding.ts';
export { parseDateText, formatInZone, type DateParseOptions } from './date-parse.ts';
export { parseFeed, assertWholeFeed, type ParsedFeed, type FeedItem } from './feed-parse.ts';
export { detectBlock, type BlockVerdict } from './block-detect.ts';
export { fetchPage, DEFAULT_MAX_BYTES, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_REDIRECTS, USER_AGENT, type FetchedPage, type FetchLimits, type FetchPageOptions } from './fetch-page.ts';
export { UrlGuard, privateAddressReason, type UrlGuardOptions } from './url-guard.ts';
export { canonicalizeUrl, urlHash } from './canonical-url.ts';
export { parseCron, cronMatches, previousFireTime, isDue, type CronSchedule } from './cron.ts';
export { normaliseMention, simpleSearchTokens, contentHash, hrKeywordMark, type NormalisedMention } from './mention-normalise.ts';
export { HostThrottle, sharedHostThrottle } from './host-throttle.ts';
