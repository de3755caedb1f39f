import { BasicCrawler, Configuration, log as crawleeLog } from 'crawlee';
import { load } from 'cheerio';
import { createLogger, errorCode, errorMessage, systemClock, YuqingError, type Clock } from '@yuqing/core';
import type { RawMention } from '@yuqing/queue';
import { extractArticle } from './article-extract.ts';
import { detectBlock } from './block-detect.ts';
import { canonicalizeUrl, resolveLink } from './canonical-url.ts';
import { decodeBody } from './encoding.ts';
import { parseFeed } from './feed-parse.ts';
import { assertNotBinary, assertParsableHtml } from './html-guard.ts';
import { fetchPage, type FetchedPage, type FetchLimits } from './fetch-page.ts';
import { sharedHostThrottle, type HostThrottle } from './host-throttle.ts';
import { loadRobotsPolicy, type RobotsPolicy } from './robots.ts';
import type { FetchLimitsConfig, SourceDefinition } from './source-config.ts';
import { extractDetail, extractListLinks, extractNextPage, mapJsonItems, nextJsonPage } from './source-kinds/json.ts';
import type { UrlGuard } from './url-guard.ts';

// Crawlee logs through its own console logger; Yuqing logs JSON via pino, so Crawlee stays quiet.
crawleeLog.setLevel(crawleeLog.LEVELS.OFF);

const log = createLogger('crawler');

/** Buffered items that trigger a write to the sink: detail pages, fetched one by one, go out 25 at a time. */
export const EMIT_BATCH_SIZE = 25;
/**
 * Most items per 'ingest-mentions' batch (and per sink write): a feed or API page's items go out together (each
 * batch costs a queue job, a seen-URL write and a checkpoint).
 */
export const MAX_EMIT_BATCH_SIZE = 100;
/** Checkpoints are written at most this often (plus after every batch). */
export const CHECKPOINT_INTERVAL_MS = 1000;
/** Pages (list, detail, API) fetched at once per crawl; the host throttle caps them further. */
export const DEFAULT_CRAWL_CONCURRENCY = 4;
/** Checkpointed detail URLs checked against the seen set per sink call when a crawl resumes. */
const RESUME_SEEN_CHECK_BATCH = 1000;
/** `maxUsedCpuRatio` above any real usage: the machine-wide CPU signal never counts as overloaded. */
const MACHINE_CPU_NOT_A_LIMIT = 1;
/** Safety net for handler time: fetch timeouts and retries fit well inside it. */
const REQUEST_HANDLER_TIMEOUT_SECS = 180;

/** One unit of crawl work; kept in the checkpoint so another worker can continue. */
export interface CrawlTask {
  url: string;
  label: 'feed' | 'list' | 'api' | 'detail';
  pageIndex: number;
  /** Page number for page-based JSON pagination. */
  page?: number;
}

/** Resumable state stored in CrawlRun.checkpoint. */
export interface CrawlCheckpoint {
  version: 1;
  pending: CrawlTask[];
  pagesFetched: number;
  itemsFound: number;
}

/** Where a crawl's findings go: the queue (workers), or a JSONL file (CLI). */
export interface CrawlSink {
  /** The subset of canonical URLs not seen before for this source. */
  unseen(canonicalUrls: string[]): Promise<Set<string>>;
  /** Validators from the last visit of a list/feed/API page. */
  validators(canonicalUrl: string): Promise<{ etag?: string | null; lastModified?: string | null } | undefined>;
  /** Durably hands over items, then records `seenUrls` as seen. */
  emit(items: RawMention[], seenUrls: string[]): Promise<void>;
  /** Stores page validators (ETag/Last-Modified) after a clean run. */
  rememberPages(pages: Array<{ canonicalUrl: string; etag?: string; lastModified?: string }>): Promise<void>;
  saveCheckpoint(checkpoint: CrawlCheckpoint): Promise<void>;
}

/** One URL that failed. */
export interface CrawlError {
  url: string;
  code: string;
  message: string;
}

/** Outcome of a crawl. */
export interface CrawlResult {
  status: 'succeeded' | 'partial' | 'failed' | 'blocked';
  pagesFetched: number;
  notModified: number;
  itemsFound: number;
  itemsEmitted: number;
  skippedByRobots: number;
  errors: CrawlError[];
  blockedReason?: string;
  blockedCode?: string;
  errorCode?: string;
  errorMessage?: string;
  durationMs: number;
}

/** Options for {@link crawlSource}. */
export interface CrawlSourceOptions {
  source: SourceDefinition;
  guard: UrlGuard;
  sink: CrawlSink;
  timeZone: string;
  clock?: Clock;
  /** Continue from here instead of the source URL (resume after a killed worker). */
  checkpoint?: CrawlCheckpoint | null;
  throttle?: HostThrottle;
  concurrency?: number;
  signal?: AbortSignal;
  /** Backoff sleep for fetch retries (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

function taskKey(t: CrawlTask): string {
  return `${t.label} ${t.url}`;
}

function initialTasks(source: SourceDefinition): CrawlTask[] {
  switch (source.kind) {
    case 'rss':
      return [{ url: source.url, label: 'feed', pageIndex: 0 }];
    case 'html':
      return [{ url: source.url, label: 'list', pageIndex: 0 }];
    case 'json': {
      const p = source.config.pagination;
      if (p?.type === 'page') {
        const url = new URL(source.url);
        if (!url.searchParams.has(p.param)) url.searchParams.set(p.param, String(p.start));
        return [{ url: url.toString(), label: 'api', pageIndex: 0, page: Number(url.searchParams.get(p.param)) }];
      }
      return [{ url: source.url, label: 'api', pageIndex: 0 }];
    }
    case 'article':
      return [{ url: source.url, label: 'detail', pageIndex: 0 }];
  }
}

/**
 * Crawls one source: RSS/Atom feeds, HTML list → detail pages, JSON APIs, or a single article. Incremental (only
 * unseen item URLs are fetched; list/feed pages use ETag/Last-Modified; pagination stops at a page with nothing
 * new), polite (robots.txt, per-host throttle), guarded (SSRF, size/time/redirect limits) and resumable (the
 * pending work is checkpointed; items are emitted before their URLs are marked seen, so a killed crawl loses
 * nothing and ingest's dedupe absorbs the overlap). Stops at the first block page.
 *
 * Orchestration is Crawlee's BasicCrawler (request queue, autoscaled concurrency); fetching is our
 * {@link fetchPage} because CheerioCrawler decodes by the Content-Type charset only (wrong for GBK pages without a
 * header and for lying declarations) and parses before we could re-decode — see test/bench/crawl.ts for the cost.
 */
export async function crawlSource(options: CrawlSourceOptions): Promise<CrawlResult> {
  const started = Date.now();
  const { source, sink, guard } = options;
  const clock = options.clock ?? systemClock;
  const throttle = options.throttle ?? sharedHostThrottle;
  const limitsConfig: FetchLimitsConfig = (source.config as { limits?: FetchLimitsConfig }).limits ?? {};
  const limits: FetchLimits = {
    ...(limitsConfig.maxBytes ? { maxBytes: limitsConfig.maxBytes } : {}),
    ...(limitsConfig.timeoutMs ? { timeoutMs: limitsConfig.timeoutMs } : {}),
    ...(limitsConfig.maxRedirects !== undefined ? { maxRedirects: limitsConfig.maxRedirects } : {}),
  };
  const hostLimits = { ...(limitsConfig.requestsPerSecond ? { requestsPerSecond: limitsConfig.requestsPerSecond } : {}), ...(limitsConfig.concurrency ? { concurrency: limitsConfig.concurrency } : {}) };
  const abort = new AbortController();
  // Set once the crawler exists: a stop can arrive before (during the robots.txt check).
  const running: { crawler?: BasicCrawler } = {};
  // Stopped from outside (the run was taken over): in-flight fetches end and no further request starts.
  const stopFromOutside = () => {
    abort.abort();
    void running.crawler?.autoscaledPool?.abort();
  };
  if (options.signal?.aborted) abort.abort();
  else options.signal?.addEventListener('abort', stopFromOutside, { once: true });

  const result: CrawlResult = { status: 'succeeded', pagesFetched: options.checkpoint?.pagesFetched ?? 0, notModified: 0, itemsFound: options.checkpoint?.itemsFound ?? 0, itemsEmitted: 0, skippedByRobots: 0, errors: [], durationMs: 0 };
  const pending = new Map<string, CrawlTask>();
  const buffer: Array<{ item: RawMention; seenUrl: string; key: string }> = [];
  const pageValidators: Array<{ canonicalUrl: string; etag?: string; lastModified?: string }> = [];
  const robots = new Map<string, Promise<RobotsPolicy>>();
  let fatal: YuqingError | Error | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let lastCheckpointAt = 0;
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const checkpoint = (): CrawlCheckpoint => ({ version: 1, pending: [...pending.values()], pagesFetched: result.pagesFetched, itemsFound: result.itemsFound });
  const saveCheckpoint = (force: boolean) =>
    serial(async () => {
      if (!force && Date.now() - lastCheckpointAt < CHECKPOINT_INTERVAL_MS) return;
      lastCheckpointAt = Date.now();
      await sink.saveCheckpoint(checkpoint());
    });
  const flush = () =>
    serial(async () => {
      while (buffer.length > 0) {
        const batch = buffer.splice(0, MAX_EMIT_BATCH_SIZE);
        await sink.emit(batch.map((b) => b.item), batch.map((b) => b.seenUrl));
        result.itemsEmitted += batch.length;
        for (const b of batch) pending.delete(b.key);
      }
      lastCheckpointAt = Date.now();
      await sink.saveCheckpoint(checkpoint());
    });

  const addTasks = async (crawler: BasicCrawler, tasks: CrawlTask[]) => {
    const fresh = tasks.filter((t) => !pending.has(taskKey(t)));
    for (const t of fresh) pending.set(taskKey(t), t);
    if (fresh.length > 0) await crawler.addRequests(fresh.map((t) => ({ url: t.url, uniqueKey: taskKey(t), userData: t })));
  };

  const robotsAllow = async (url: string): Promise<boolean> => {
    if (!source.respectRobots) return true;
    const origin = new URL(url).origin;
    let policy = robots.get(origin);
    if (!policy) {
      policy = loadRobotsPolicy(url, { guard, limits, signal: abort.signal, ...(options.sleep ? { sleep: options.sleep } : {}) });
      robots.set(origin, policy);
    }
    return (await policy).isAllowed(url);
  };

  const fetchTask = async (task: CrawlTask, conditional: boolean): Promise<FetchedPage> => {
    const v = conditional ? await sink.validators(canonicalizeUrl(task.url)) : undefined;
    const host = new URL(task.url).host;
    return throttle.run(host, hostLimits, () =>
      fetchPage(task.url, {
        guard,
        limits,
        signal: abort.signal,
        ...(v?.etag ? { etag: v.etag } : {}),
        ...(v?.lastModified ? { lastModified: v.lastModified } : {}),
        ...(task.label === 'feed' ? { accept: 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5' } : {}),
        ...(task.label === 'api' ? { accept: 'application/json,*/*;q=0.5' } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      }),
    abort.signal);
  };

  const block = (crawler: BasicCrawler, reason: string, code: string) => {
    if (result.status === 'blocked') return;
    result.status = 'blocked';
    result.blockedReason = reason;
    result.blockedCode = code;
    abort.abort();
    void crawler.autoscaledPool?.abort();
  };

  const handle = async (crawler: BasicCrawler, task: CrawlTask) => {
    const key = taskKey(task);
    if (result.status === 'blocked') return;
    if (!(await robotsAllow(task.url))) {
      result.skippedByRobots++;
      pending.delete(key);
      return;
    }
    const page = await fetchTask(task, task.label !== 'detail');
    result.pagesFetched++;
    if (page.notModified) {
      result.notModified++;
      pending.delete(key);
      await saveCheckpoint(false);
      return;
    }
    const decoded = decodeBody(page.body, page.contentType);
    const verdict = detectBlock({ status: page.status, text: decoded.text, requestedUrl: page.requestedUrl, finalUrl: page.url, isHtml: task.label !== 'api' && task.label !== 'feed' ? undefined : /^\s*</.test(decoded.text) && !/^\s*<\?xml|^\s*<(rss|feed|rdf)/i.test(decoded.text) });
    if (verdict) {
      block(crawler, `${verdict.reason} — ${page.requestedUrl}`, verdict.code);
      return;
    }
    if (page.status >= 400) throw new YuqingError(`HTTP_${page.status}`, `HTTP ${page.status} from ${page.url}`, { retryable: page.status >= 500 });
    if (page.etag || page.lastModified) pageValidators.push({ canonicalUrl: canonicalizeUrl(task.url), ...(page.etag ? { etag: page.etag } : {}), ...(page.lastModified ? { lastModified: page.lastModified } : {}) });
    const dateOptions = { timeZone: options.timeZone, clock };

    if (task.label === 'feed') {
      assertNotBinary(decoded.text, page.url);
      const feed = parseFeed(decoded.text, { baseUrl: page.url, ...dateOptions });
      const maxItems = source.kind === 'rss' ? source.config.maxItems : undefined;
      const items = (maxItems ? feed.items.slice(0, maxItems) : feed.items).map((i) => ({ ...i, canonical: canonicalizeUrl(i.url) }));
      result.itemsFound += items.length;
      const unseen = await sink.unseen(items.map((i) => i.canonical));
      for (const i of items) {
        if (!unseen.has(i.canonical)) continue;
        unseen.delete(i.canonical);
        buffer.push({ key, seenUrl: i.canonical, item: withSource({ url: i.url, title: i.title, body: i.body, ...(i.author ? { author: i.author } : {}), ...(i.publishedAt ? { publishedAt: i.publishedAt } : {}), rawEncoding: decoded.encoding, ...(feed.title ? { siteName: feed.title } : {}) }, source) });
      }
      if (!buffer.some((b) => b.key === key)) pending.delete(key);
      await flush();
      return;
    }
    if (task.label === 'api' && source.kind === 'json') {
      let json: unknown;
      try {
        json = JSON.parse(decoded.text);
      } catch (error) {
        throw new YuqingError('JSON_INVALID', `${page.url} did not return JSON: ${errorMessage(error)}`, { retryable: false });
      }
      const { items } = mapJsonItems(json, source.config, { baseUrl: page.url, ...dateOptions, ...(source.region ? { region: source.region } : {}) });
      result.itemsFound += items.length;
      const canon = items.map((i) => canonicalizeUrl(i.url));
      const unseen = await sink.unseen(canon);
      let fresh = 0;
      items.forEach((item, i) => {
        if (!unseen.has(canon[i]!)) return;
        unseen.delete(canon[i]!);
        fresh++;
        buffer.push({ key, seenUrl: canon[i]!, item: withSource({ ...item, rawEncoding: decoded.encoding }, source) });
      });
      const next = fresh > 0 ? nextJsonPage(json, source.config, { url: page.requestedUrl, pageIndex: task.pageIndex, ...(task.page !== undefined ? { page: task.page } : {}) }) : undefined;
      if (next) await addTasks(crawler, [{ url: next.url, label: 'api', pageIndex: task.pageIndex + 1, ...(next.page !== undefined ? { page: next.page } : {}) }]);
      if (fresh === 0) pending.delete(key);
      await flush();
      return;
    }
    assertParsableHtml(decoded.text, page.url);
    const $ = load(decoded.text);
    if (task.label === 'list' && source.kind === 'html') {
      const links = extractListLinks($, source.config.list.itemLinks, page.url);
      result.itemsFound += links.length;
      const canon = links.map((l) => canonicalizeUrl(l));
      const unseen = await sink.unseen(canon);
      const details: CrawlTask[] = [];
      links.forEach((l, i) => {
        if (unseen.has(canon[i]!)) details.push({ url: l, label: 'detail', pageIndex: 0 });
      });
      const nextUrl = details.length > 0 && task.pageIndex + 1 < source.config.list.maxPages ? extractNextPage($, source.config.list.nextPage, page.url) : undefined;
      await addTasks(crawler, [...details, ...(nextUrl ? [{ url: nextUrl, label: 'list' as const, pageIndex: task.pageIndex + 1 }] : [])]);
      pending.delete(key);
      await saveCheckpoint(false);
      return;
    }
    // Detail page or a single article.
    const extracted = source.kind === 'html' ? extractDetail($, source.config.detail, { url: page.url, ...dateOptions }) : extractArticle($, { url: page.url, ...dateOptions });
    if (!extracted.title && !extracted.body) throw new YuqingError('EXTRACT_EMPTY', `no title or text found at ${page.url}`, { retryable: false });
    const canonicalFromPage = extracted.canonicalUrl ? resolveLink(extracted.canonicalUrl, page.url) : undefined;
    const sameSite = canonicalFromPage && new URL(canonicalFromPage).host === new URL(page.url).host ? canonicalFromPage : undefined;
    if (source.kind === 'article') result.itemsFound++;
    buffer.push({
      key,
      seenUrl: canonicalizeUrl(task.url),
      item: withSource({
        url: page.url,
        canonicalUrl: canonicalizeUrl(sameSite ?? task.url),
        title: extracted.title,
        body: extracted.body,
        ...(extracted.author ? { author: extracted.author } : {}),
        ...(extracted.siteName ? { siteName: extracted.siteName } : {}),
        ...(extracted.publishedAt ? { publishedAt: extracted.publishedAt } : {}),
        rawEncoding: decoded.encoding,
      }, source),
    });
    if (buffer.length >= EMIT_BATCH_SIZE) await flush();
  };

  const concurrency = options.concurrency ?? DEFAULT_CRAWL_CONCURRENCY;
  // Crawlee's CPU signal reads the whole machine: any busy neighbour (the analysis worker, another service) made
  // the pool stop starting requests and crawl one page at a time. Crawling waits on the network, not the CPU;
  // this process's own health still throttles it through the event-loop and memory signals.
  const configuration = new Configuration({ persistStorage: false, purgeOnStart: false, maxUsedCpuRatio: MACHINE_CPU_NOT_A_LIMIT });
  const crawler: BasicCrawler = new BasicCrawler(
    {
      requestHandler: async ({ request }) => {
        if (fatal) return;
        await handle(crawler, request.userData as CrawlTask);
      },
      // fetchPage retries transient failures with backoff; a handler error is final for that URL.
      maxRequestRetries: 0,
      maxConcurrency: concurrency,
      // Crawlee's pool starts at one request and adds one every 10 s while the machine looks idle, so a crawl of a
      // few hundred pages never got past 2 or 3 at once. Start at the configured concurrency: politeness is the
      // host throttle's job; the pool still scales down when this process is overloaded.
      autoscaledPoolOptions: { desiredConcurrency: concurrency },
      requestHandlerTimeoutSecs: REQUEST_HANDLER_TIMEOUT_SECS,
      useSessionPool: false,
      statusMessageLoggingInterval: 3600,
      failedRequestHandler: async ({ request }, error) => {
        const task = request.userData as CrawlTask;
        if (result.status === 'blocked' || abort.signal.aborted) return;
        const code = errorCode(error);
        const message = errorMessage(error);
        result.errors.push({ url: task.url, code, message });
        log.warn({ source: source.url, url: task.url, code }, 'page failed');
        // The source URL itself refused (SSRF, robots, DNS) means the whole run failed.
        if (task.pageIndex === 0 && task.label !== 'detail' && result.pagesFetched === 0) fatal = error;
        // Infrastructure failures (the queue or database is down) stop the run; it resumes from the checkpoint.
        if (code === 'SINK_FAILED') {
          fatal = error;
          void crawler.autoscaledPool?.abort();
          return;
        }
        pending.delete(taskKey(task));
      },
    },
    configuration,
  );

  let start = options.checkpoint?.pending?.length ? options.checkpoint.pending : initialTasks(source);
  if (start.some((t) => t.label === 'detail')) {
    // Starting details may be seen already: an article source's own URL, or (resuming) details emitted just before
    // the worker died. Drop them, asking the sink in batches. Details found during a run need no such check (the
    // list page filtered them, and the request queue never takes a URL twice), which saves a database round trip
    // per page.
    const seen = new Set<string>();
    const details = start.filter((t) => t.label === 'detail');
    for (let i = 0; i < details.length; i += RESUME_SEEN_CHECK_BATCH) {
      const batch = details.slice(i, i + RESUME_SEEN_CHECK_BATCH).map((t) => canonicalizeUrl(t.url));
      const unseen = await sink.unseen(batch);
      for (const url of batch) if (!unseen.has(url)) seen.add(url);
    }
    start = start.filter((t) => t.label !== 'detail' || !seen.has(canonicalizeUrl(t.url)));
  }
  if (!options.checkpoint?.pending?.length && source.respectRobots) {
    // Refuse early (and clearly) when robots.txt forbids the source URL itself.
    try {
      if (!(await robotsAllow(source.url))) {
        return { ...result, status: 'failed', errorCode: 'ROBOTS_DISALLOWED', errorMessage: `robots.txt of ${new URL(source.url).origin} disallows ${source.url} for YuqingBot`, skippedByRobots: 1, durationMs: Date.now() - started };
      }
    } catch (error) {
      return { ...result, status: 'failed', errorCode: errorCode(error), errorMessage: errorMessage(error), durationMs: Date.now() - started };
    }
  }
  for (const t of start) pending.set(taskKey(t), t);
  running.crawler = crawler;
  try {
    await crawler.run(start.map((t) => ({ url: t.url, uniqueKey: taskKey(t), userData: t })));
    await flush();
  } catch (error) {
    fatal ??= error as Error;
  } finally {
    await crawler.teardown().catch(() => undefined);
  }
  result.durationMs = Date.now() - started;
  options.signal?.removeEventListener('abort', stopFromOutside);
  if (fatal && errorCode(fatal) === 'SINK_FAILED') throw fatal;
  if (result.status === 'blocked') return result;
  if (options.signal?.aborted) return { ...result, status: 'failed', errorCode: 'CRAWL_STOPPED', errorMessage: 'the crawl was stopped before it finished' };
  if (fatal) return { ...result, status: 'failed', errorCode: errorCode(fatal), errorMessage: errorMessage(fatal) };
  if (result.errors.length > 0) {
    result.status = result.pagesFetched > result.errors.length || result.itemsEmitted > 0 ? 'partial' : 'failed';
    result.errorCode = result.errors[0]!.code;
    result.errorMessage = `${result.errors.length} page(s) failed; first: ${result.errors[0]!.message}`;
    return result;
  }
  // Validators are kept only after a clean run: a 304 next time must not hide details that failed this time.
  if (pageValidators.length > 0) await sink.rememberPages(pageValidators);
  return result;
}

function withSource(item: RawMention, source: SourceDefinition): RawMention {
  return source.region && !item.region ? { ...item, region: source.region } : item;
}
