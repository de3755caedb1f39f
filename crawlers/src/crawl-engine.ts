import { BasicCrawler, Configuration, log as crawleeLog } from 'crawlee';
import { createLogger, errorCode, errorMessage, systemClock, YuqingError, type Clock } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import { detectBlock } from './block-detect.ts';
import { canonicaliseUrl } from '@yuqing/domain';
import { decodeBody } from './encoding.ts';
import { capMentionText } from './mention-text-cap.ts';
import { fetchPage, type FetchedPage, type FetchLimits } from './fetch-page.ts';
import { sharedHostThrottle, type HostThrottle } from './host-throttle.ts';
import { loadRobotsPolicy, type RobotsPolicy } from './robots.ts';
import type { FetchLimitsConfig, SourceDefinition } from '@yuqing/domain';
import { sourceKindCrawler } from './source-kinds/registry.ts';
import {
  TASK_TYPES,
  type CrawlMode,
  type CrawlTask,
  type PageContext,
  type TaskType,
} from './source-kinds/source-kind.ts';
import type { UrlGuard } from './url-guard.ts';

export type { CrawlMode, CrawlTask } from './source-kinds/source-kind.ts';

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

/**
 * Resumable state stored in CrawlRun.checkpoint: where pagination stands and what remains. Items are marked seen
 * only after a checkpoint that no longer lists their page is saved, so a page still listed here has not been
 * marked seen by this run and a resumed crawl finds its items new again (ingest's dedupe absorbs the repeat).
 */
export interface CrawlCheckpoint {
  version: 2;
  /** How the run paginates; a resumed run keeps it. */
  mode: CrawlMode;
  /**
   * What remains: the next list/feed/API pages (each with its page index, and its page number or cursor URL) and
   * the detail links of list → detail crawls not yet handed over. Empty: the run's work is done.
   */
  pending: CrawlTask[];
  /**
   * Canonical URLs of items handed over whose pages this checkpoint no longer lists, saved before they are marked
   * seen: a resumed run marks them seen first, so a kill in between does not offer them to the next crawl again.
   */
  unmarked?: string[];
  pagesFetched: number;
  itemsFound: number;
  /**
   * Only on the closing checkpoint of a finished run (see {@link closingCheckpoint}): whether its pagination ended
   * by the source's own end condition. The next crawl of the source is incremental only after a complete run.
   */
  complete?: boolean;
}

/** A checkpoint written before version 2 (items were marked seen before it was saved): resumed as a full crawl. */
export interface CrawlCheckpointV1 {
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
  /**
   * Durably hands over items (queue, database, file). Their URLs are not marked seen yet: the engine first saves a
   * checkpoint without their pages, then calls {@link CrawlSink.markSeen}.
   */
  emit(items: RawMention[]): Promise<void>;
  /** Records canonical URLs as seen for the source (the next incremental crawl skips them). */
  markSeen(canonicalUrls: string[]): Promise<void>;
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
  /**
   * `succeeded` only when nothing failed and pagination ended by the source's own end condition (last page, no next
   * link or cursor, an empty page, maxPages; in incremental mode also a page with nothing new) with no work left.
   */
  status: 'succeeded' | 'partial' | 'failed' | 'blocked';
  mode: CrawlMode;
  /** Pagination ended by the source's own end condition and no work was left: the status is `succeeded`. */
  complete: boolean;
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
  /** Continue from here instead of the source URL (resume after a killed worker); its mode wins over `mode`. */
  checkpoint?: CrawlCheckpoint | CrawlCheckpointV1 | null;
  /**
   * How a fresh crawl paginates: `incremental` stops at a page with nothing new, `full` pages to the source's end.
   * See {@link crawlModeAfter}. @defaultValue 'incremental'
   */
  mode?: CrawlMode;
  throttle?: HostThrottle;
  concurrency?: number;
  signal?: AbortSignal;
  /** Backoff sleep for fetch retries (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The mode of a source's next crawl, from the closing checkpoint of its last finished run: incremental (stop at a
 * page with nothing new) only after a run whose pagination ended by the source's own end condition; otherwise
 * (first crawl, a failed, partial, blocked or interrupted run, a run from before checkpoints said) full, because
 * the seen set may hold items of the early pages while the later pages were never read.
 */
export function crawlModeAfter(lastClosing: unknown): CrawlMode {
  const c = lastClosing as Partial<CrawlCheckpoint> | null | undefined;
  return c && typeof c === 'object' && c.version === 2 && c.complete === true ? 'incremental' : 'full';
}

/** What a finished run keeps in CrawlRun.checkpoint: no pending work, whether it was complete. */
export function closingCheckpoint(
  result: Pick<CrawlResult, 'mode' | 'complete' | 'pagesFetched' | 'itemsFound'>,
): CrawlCheckpoint {
  return {
    version: 2,
    mode: result.mode,
    pending: [],
    pagesFetched: result.pagesFetched,
    itemsFound: result.itemsFound,
    complete: result.complete,
  };
}

function taskKey(t: CrawlTask): string {
  return `${t.label} ${t.url}`;
}

/** A detail page? Labels come from stored checkpoints too, so an unknown one is tolerated (as not one). */
function isItemPage(t: CrawlTask): boolean {
  return TASK_TYPES[t.label]?.itemPage === true;
}

/**
 * Crawls one source: RSS/Atom feeds, HTML list → detail pages, JSON APIs, or a single article. Incremental (only
 * unseen item URLs are fetched; list/feed pages use ETag/Last-Modified; pagination stops at a page with nothing
 * new), polite (robots.txt, per-host throttle), guarded (SSRF, size/time/redirect limits) and resumable (the
 * pending work is checkpointed; items are emitted before their URLs are marked seen, so a killed crawl loses
 * nothing and ingest's dedupe absorbs the overlap). Stops at the first block page.
 *
 * What a page means (its items, the pages that follow it) is its source kind's: one module per kind in
 * source-kinds/, looked up by `source.kind` in source-kinds/registry.ts. This engine does the rest the same way for
 * every kind: robots.txt, throttling, fetch limits, block detection, checkpoints, emit batching, errors.
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
  const hostLimits = {
    ...(limitsConfig.requestsPerSecond ? { requestsPerSecond: limitsConfig.requestsPerSecond } : {}),
    ...(limitsConfig.concurrency ? { concurrency: limitsConfig.concurrency } : {}),
  };
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

  const resuming = options.checkpoint ?? undefined;
  // A v1 checkpoint was saved after its items were marked seen: only a full crawl finds what it left out.
  const mode: CrawlMode = resuming
    ? resuming.version === 2
      ? resuming.mode
      : 'full'
    : (options.mode ?? 'incremental');
  const result: CrawlResult = {
    status: 'succeeded',
    mode,
    complete: false,
    pagesFetched: options.checkpoint?.pagesFetched ?? 0,
    notModified: 0,
    itemsFound: options.checkpoint?.itemsFound ?? 0,
    itemsEmitted: 0,
    skippedByRobots: 0,
    errors: [],
    durationMs: 0,
  };
  const pending = new Map<string, CrawlTask>();
  const buffer: Array<{ item: RawMention; seenUrl: string; key: string }> = [];
  const pageValidators: Array<{ canonicalUrl: string; etag?: string; lastModified?: string }> = [];
  const robots = new Map<string, Promise<RobotsPolicy>>();
  let fatal: YuqingError | Error | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let lastCheckpointAt = 0;
  // Handed over and dropped from the checkpoint, not yet marked seen (see flush).
  let unmarked: string[] = [];
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const checkpoint = (): CrawlCheckpoint => ({
    version: 2,
    mode,
    pending: [...pending.values()],
    ...(unmarked.length > 0 ? { unmarked } : {}),
    pagesFetched: result.pagesFetched,
    itemsFound: result.itemsFound,
  });
  const saveCheckpoint = (force: boolean) =>
    serial(async () => {
      if (!force && Date.now() - lastCheckpointAt < CHECKPOINT_INTERVAL_MS) return;
      lastCheckpointAt = Date.now();
      await sink.saveCheckpoint(checkpoint());
    });
  // Emit → checkpoint → mark seen. Marked seen before the checkpoint that drops their page, a crawl killed in
  // between resumed at that page, found nothing new there and stopped paginating: the rest of the source was lost
  // and the run recorded as succeeded. In this order a kill before the checkpoint redoes the page (its items are
  // still new; ingest's dedupe absorbs the repeat), and a kill after it leaves the items handed over but not
  // marked seen (the next crawl offers them again; dedupe again).
  const flush = () =>
    serial(async () => {
      const seenUrls: string[] = [];
      while (buffer.length > 0) {
        const batch = buffer.splice(0, MAX_EMIT_BATCH_SIZE);
        await sink.emit(batch.map((b) => b.item));
        result.itemsEmitted += batch.length;
        for (const b of batch) {
          pending.delete(b.key);
          seenUrls.push(b.seenUrl);
        }
      }
      lastCheckpointAt = Date.now();
      unmarked = seenUrls;
      await sink.saveCheckpoint(checkpoint());
      if (seenUrls.length > 0) await sink.markSeen(seenUrls);
      unmarked = [];
    });

  // Every task this run has taken on, done or not. Crawlee's request queue never takes a unique key twice, so a
  // task met again (pagination in a circle, a cursor that repeats) must not go back into `pending` either: it
  // would stay there unfetched and the run could never end complete.
  const known = new Set<string>();
  const addTasks = async (crawler: BasicCrawler, tasks: CrawlTask[]) => {
    const fresh = tasks.filter((t) => !known.has(taskKey(t)));
    for (const t of fresh) {
      known.add(taskKey(t));
      pending.set(taskKey(t), t);
    }
    if (fresh.length > 0)
      await crawler.addRequests(fresh.map((t) => ({ url: t.url, uniqueKey: taskKey(t), userData: t })));
  };

  const robotsAllow = async (url: string): Promise<boolean> => {
    if (!source.respectRobots) return true;
    const origin = new URL(url).origin;
    let policy = robots.get(origin);
    if (!policy) {
      policy = loadRobotsPolicy(url, {
        guard,
        limits,
        signal: abort.signal,
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
      robots.set(origin, policy);
    }
    return (await policy).isAllowed(url);
  };

  const fetchTask = async (task: CrawlTask, type: TaskType): Promise<FetchedPage> => {
    const v = type.itemPage ? undefined : await sink.validators(canonicaliseUrl(task.url));
    const host = new URL(task.url).host;
    return throttle.run(
      host,
      hostLimits,
      () =>
        fetchPage(task.url, {
          guard,
          limits,
          signal: abort.signal,
          ...(v?.etag ? { etag: v.etag } : {}),
          ...(v?.lastModified ? { lastModified: v.lastModified } : {}),
          ...(type.accept ? { accept: type.accept } : {}),
          ...(kind.requestHeaders ? { headers: kind.requestHeaders(source) } : {}),
          ...(options.sleep ? { sleep: options.sleep } : {}),
        }),
      abort.signal,
    );
  };

  const block = (crawler: BasicCrawler, reason: string, code: string) => {
    if (result.status === 'blocked') return;
    result.status = 'blocked';
    result.blockedReason = reason;
    result.blockedCode = code;
    abort.abort();
    void crawler.autoscaledPool?.abort();
  };

  const kind = sourceKindCrawler(source);
  const dates = { timeZone: options.timeZone, clock };

  // Everything around a page is done here; what the page means is the source kind's (see source-kinds/).
  const handle = async (crawler: BasicCrawler, task: CrawlTask) => {
    const key = taskKey(task);
    if (result.status === 'blocked') return;
    const handlePage = kind.pages[task.label];
    // Only a checkpoint written before the source's kind was changed holds a task its kind does not know.
    if (!handlePage)
      throw new YuqingError('TASK_UNSUPPORTED', `a ${source.kind} source has no ${task.label} pages: ${task.url}`, {
        retryable: false,
      });
    const type = TASK_TYPES[task.label];
    if (!(await robotsAllow(task.url))) {
      result.skippedByRobots++;
      pending.delete(key);
      return;
    }
    const page = await fetchTask(task, type);
    result.pagesFetched++;
    if (page.notModified) {
      result.notModified++;
      pending.delete(key);
      await saveCheckpoint(false);
      return;
    }
    const decoded = decodeBody(page.body, page.contentType);
    const verdict = detectBlock({
      status: page.status,
      text: decoded.text,
      requestedUrl: page.requestedUrl,
      finalUrl: page.url,
      isHtml: type.notHtml
        ? /^\s*</.test(decoded.text) && !/^\s*<\?xml|^\s*<(rss|feed|rdf)/i.test(decoded.text)
        : undefined,
    });
    if (verdict) {
      block(crawler, `${verdict.reason} — ${page.requestedUrl}`, verdict.code);
      return;
    }
    if (page.status >= 400)
      throw new YuqingError(`HTTP_${page.status}`, `HTTP ${page.status} from ${page.url}`, {
        retryable: page.status >= 500,
      });
    if (page.etag || page.lastModified)
      pageValidators.push({
        canonicalUrl: canonicaliseUrl(task.url),
        ...(page.etag ? { etag: page.etag } : {}),
        ...(page.lastModified ? { lastModified: page.lastModified } : {}),
      });

    let emitted = 0;
    const context: PageContext = {
      source,
      task,
      page,
      decoded,
      dates,
      mode,
      found: (count) => {
        result.itemsFound += count;
      },
      unseen: (canonicalUrls) => sink.unseen(canonicalUrls),
      emit: (item, seenUrl) => {
        emitted++;
        buffer.push({ key, seenUrl, item: withSource(item, source) });
      },
      enqueue: (tasks) => addTasks(crawler, tasks),
      block: (reason, code = 'CRAWL_BLOCKED') => block(crawler, `${reason} — ${page.requestedUrl}`, code),
    };
    await handlePage(context);
    // A task with items stays pending until flush writes them; one without is done now.
    if (emitted === 0) pending.delete(key);
    if (type.afterPage === 'flush') await flush();
    else if (type.afterPage === 'checkpoint') await saveCheckpoint(false);
    else if (buffer.length >= EMIT_BATCH_SIZE) await flush();
  };

  const concurrency = options.concurrency ?? DEFAULT_CRAWL_CONCURRENCY;
  // Crawlee's CPU signal reads the whole machine: any busy neighbour (the analysis worker, another service) made
  // the pool stop starting requests and crawl one page at a time. Crawling waits on the network, not the CPU;
  // this process's own health still throttles it through the event-loop and memory signals.
  const configuration = new Configuration({
    persistStorage: false,
    purgeOnStart: false,
    maxUsedCpuRatio: MACHINE_CPU_NOT_A_LIMIT,
  });
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
        if (task.pageIndex === 0 && !isItemPage(task) && result.pagesFetched === 0) fatal = error;
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

  // A v2 checkpoint with nothing pending is a run whose work was done (it died before it was closed); a v1 one
  // with nothing pending starts over, as before.
  let start: CrawlTask[];
  try {
    start =
      resuming && (resuming.version === 2 || resuming.pending.length > 0)
        ? resuming.pending
        : kind.initialTasks(source);
  } catch (error) {
    // A source whose configuration cannot make its first request (an RSSHub route without an instance URL): the run
    // fails with the kind's coded reason instead of throwing out of the crawl.
    options.signal?.removeEventListener('abort', stopFromOutside);
    return {
      ...result,
      status: 'failed',
      errorCode: errorCode(error),
      errorMessage: errorMessage(error),
      durationMs: Date.now() - started,
    };
  }
  if (start.some(isItemPage)) {
    // Starting details may be seen already: an article source's own URL, or (resuming) details emitted just before
    // the worker died. Drop them, asking the sink in batches. Details found during a run need no such check (the
    // list page filtered them, and the request queue never takes a URL twice), which saves a database round trip
    // per page.
    const seen = new Set<string>();
    const details = start.filter(isItemPage);
    for (let i = 0; i < details.length; i += RESUME_SEEN_CHECK_BATCH) {
      const batch = details.slice(i, i + RESUME_SEEN_CHECK_BATCH).map((t) => canonicaliseUrl(t.url));
      const unseen = await sink.unseen(batch);
      for (const url of batch) if (!unseen.has(url)) seen.add(url);
    }
    start = start.filter((t) => !isItemPage(t) || !seen.has(canonicaliseUrl(t.url)));
  }
  if (!resuming && source.respectRobots) {
    // Refuse early (and clearly) when robots.txt forbids the source URL itself.
    try {
      if (!(await robotsAllow(source.url))) {
        return {
          ...result,
          status: 'failed',
          errorCode: 'ROBOTS_DISALLOWED',
          errorMessage: `robots.txt of ${new URL(source.url).origin} disallows ${source.url} for YuqingBot`,
          skippedByRobots: 1,
          durationMs: Date.now() - started,
        };
      }
    } catch (error) {
      return {
        ...result,
        status: 'failed',
        errorCode: errorCode(error),
        errorMessage: errorMessage(error),
        durationMs: Date.now() - started,
      };
    }
  }
  // Items the dead run handed over just before it died, not yet marked seen.
  if (resuming?.version === 2 && resuming.unmarked?.length) await sink.markSeen(resuming.unmarked);
  for (const t of start) {
    known.add(taskKey(t));
    pending.set(taskKey(t), t);
  }
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
  if (options.signal?.aborted)
    return {
      ...result,
      status: 'failed',
      errorCode: 'CRAWL_STOPPED',
      errorMessage: 'the crawl was stopped before it finished',
    };
  if (fatal) return { ...result, status: 'failed', errorCode: errorCode(fatal), errorMessage: errorMessage(fatal) };
  if (result.errors.length > 0) {
    result.status = result.pagesFetched > result.errors.length || result.itemsEmitted > 0 ? 'partial' : 'failed';
    result.errorCode = result.errors[0]!.code;
    result.errorMessage = `${result.errors.length} page(s) failed; first: ${result.errors[0]!.message}`;
    return result;
  }
  // Every page handled and none left: pagination ended where the source (or maxPages) ends it. Work left over
  // without an error means the crawl stopped early for a reason not caught above; it must not pass for complete.
  if (pending.size > 0) {
    return {
      ...result,
      status: 'partial',
      errorCode: 'PAGINATION_INCOMPLETE',
      errorMessage: `the crawl ended with ${pending.size} page(s) not fetched, first: ${[...pending.values()][0]!.url}`,
    };
  }
  result.complete = true;
  // Validators are kept only after a clean run: a 304 next time must not hide details that failed this time.
  if (pageValidators.length > 0) await sink.rememberPages(pageValidators);
  return result;
}

/** The item as it leaves the crawler: the source's region filled in, its text cut to the caps. */
function withSource(item: RawMention, source: SourceDefinition): RawMention {
  const capped = capMentionText(item);
  return source.region && !capped.region ? { ...capped, region: source.region } : capped;
}
