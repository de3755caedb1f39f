// The interface between the crawl engine and the source kinds: what a unit of crawl work is, what the engine needs
// to know about each type of request before it fetches, and what a kind does with a fetched page. The engine owns
// everything around a page (robots, throttle, fetch, block detection, checkpoints, emit batching, errors); a kind
// owns what a page means (which items it lists, which pages follow it).
import type { Clock } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import type { DecodedText } from '../encoding.ts';
import type { FetchedPage } from '../fetch-page.ts';
import type { SourceDefinition } from '@yuqing/domain';

/**
 * The type of a request. Stored in checkpoints, so a label keeps its meaning; a new source kind reuses these
 * (a hot list is a `list` or an `api`, a message board a `list` → `detail` or an `api`) before adding one.
 */
export type CrawlTaskLabel = 'feed' | 'list' | 'api' | 'detail';

/**
 * How a crawl paginates. `incremental`: the next page is fetched only while a page holds something not seen
 * before (the source's earlier items were all read by a complete run). `full`: to the source's own end (last page,
 * no next link or cursor, an empty page, maxPages) whatever was seen before: a source's first crawl, a crawl after
 * an incomplete run, a resumed full crawl.
 */
export type CrawlMode = 'full' | 'incremental';

/** One unit of crawl work; kept in the checkpoint so another worker can continue. */
export interface CrawlTask {
  url: string;
  label: CrawlTaskLabel;
  /** Position in the source's pagination (0 for the source URL and for detail pages); limits it to maxPages. */
  pageIndex: number;
  /** Page number for page-based JSON pagination. */
  page?: number;
  /**
   * A mention begun on an index page and finished on this one (a 微博 post whose full text is fetched separately);
   * kept in the checkpoint with the task, so a resumed crawl still has it.
   */
  item?: RawMention;
  /** The canonical URL to mark seen once `item` is written. */
  seenUrl?: string;
}

/** What the engine does differently per type of request. */
export interface TaskType {
  /**
   * A page that is one item (a detail page), not an index of items (feed, list, API page). Item pages are fetched
   * unconditionally (their URL is checked against the seen set instead of ETag/Last-Modified), pending ones are
   * re-checked against the seen set on resume, and one failing does not fail the run.
   */
  itemPage: boolean;
  /** Accept header; none for HTML pages. */
  accept?: string;
  /**
   * The response should not be HTML (feeds, APIs): block detection then looks for block pages only in a body that
   * is an HTML document, so an API or feed that merely contains markup is not taken for a captcha.
   */
  notHtml: boolean;
  /**
   * After the page is handled: `flush` writes its items at once (a feed or API page's items form one batch),
   * `batch` buffers them up to the engine's emit batch size (detail pages come one item at a time), `checkpoint`
   * records the progress only (list pages yield tasks, not items).
   */
  afterPage: 'flush' | 'batch' | 'checkpoint';
}

/** Request types by label. */
export const TASK_TYPES: Readonly<Record<CrawlTaskLabel, TaskType>> = {
  feed: {
    itemPage: false,
    accept: 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5',
    notHtml: true,
    afterPage: 'flush',
  },
  api: { itemPage: false, accept: 'application/json,*/*;q=0.5', notHtml: true, afterPage: 'flush' },
  list: { itemPage: false, notHtml: false, afterPage: 'checkpoint' },
  detail: { itemPage: true, notHtml: false, afterPage: 'batch' },
};

/**
 * A fetched page as a source kind sees it: the response passed block detection and is not an HTTP error. The
 * engine keeps the task pending until the items emitted for it are written (or, when it emits none, until the
 * handler returns), so a crawl that dies in between redoes the page.
 */
export interface PageContext<S extends SourceDefinition = SourceDefinition> {
  source: S;
  task: CrawlTask;
  page: FetchedPage;
  decoded: DecodedText;
  /** For date parsing: the crawl's time zone and clock. */
  dates: { timeZone: string; clock: Clock };
  /** Whether pagination goes on past a page with nothing new (`full`) or stops there (`incremental`). */
  mode: CrawlMode;
  /** Counts items the page lists, new or not (`CrawlResult.itemsFound`). */
  found(count: number): void;
  /** The subset of canonical URLs not seen before for this source. */
  unseen(canonicalUrls: string[]): Promise<Set<string>>;
  /**
   * Hands over a mention (the source's region is filled in); `seenUrl` is marked seen once it is written and a
   * checkpoint without this page is saved.
   */
  emit(item: RawMention, seenUrl: string): void;
  /** Adds follow-up tasks (detail pages, the next page); a task already pending in this crawl is not added again. */
  enqueue(tasks: CrawlTask[]): Promise<void>;
  /**
   * The platform refused us in its own way (a JSON `ok: -100` login redirect, an empty answer standing for a
   * captcha): the run ends `blocked` with this reason, and nothing more is fetched from the source this run.
   */
  block(reason: string, code?: string): void;
}

/** Handles one fetched page of one request type. Throw a coded error to record the page as failed. */
export type PageHandler<S extends SourceDefinition = SourceDefinition> = (ctx: PageContext<S>) => Promise<void>;

/**
 * One source kind (`SourceDefinition['kind']`): where a crawl starts and how each type of page it requests is
 * handled. Register it in `registry.ts`.
 */
export interface SourceKindCrawler<S extends SourceDefinition = SourceDefinition> {
  /** The first tasks of a fresh crawl; a resumed crawl starts from its checkpoint instead. */
  initialTasks(source: S): CrawlTask[];
  /** Extra request headers for the source's requests (Referer, a login cookie); none by default. */
  requestHeaders?(source: S): Readonly<Record<string, string>>;
  /** A handler per request type the kind uses; a task of any other type fails. */
  pages: Partial<Record<CrawlTaskLabel, PageHandler<S>>>;
}
