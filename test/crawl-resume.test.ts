// Per-source-kind crawl behaviour the other crawler tests leave out, over real HTTP against the local fixture site
// (no database): what a checkpoint holds when the sink fails mid-run, and how a crawl resumed from it continues
// (JSON page and cursor pagination, HTML list → detail), a task its source kind cannot handle, and a feed cut
// to maxItems. Concurrency 1 keeps the order of pages, and so each checkpoint, deterministic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, RetryableError } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import {
  crawlSource,
  createMemorySink,
  HostThrottle,
  UrlGuard,
  type CrawlCheckpoint,
  type CrawlCheckpointV1,
  type CrawlMode,
  type CrawlSink,
} from '@yuqing/crawlers';
import { parseSourceDefinition, type SourceDefinitionInput } from '@yuqing/domain';
import { startFixtureServer, type FixtureServer } from './fixtures/crawl/fixture-server.ts';

let site: FixtureServer;
let guard: UrlGuard;
const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));

beforeAll(async () => {
  site = await startFixtureServer();
  guard = new UrlGuard({ allowedPrivateHosts: [site.host] });
});
afterAll(async () => {
  await site?.close();
});

/** A memory sink whose `failOnEmit`-th write fails the way the queue sink does when Redis is down. */
function failingSink(seen: Set<string>, items: RawMention[], failOnEmit?: number) {
  const sink = createMemorySink((batch) => void items.push(...batch), seen);
  let emits = 0;
  const failing: CrawlSink = {
    ...sink,
    emit: async (batch) => {
      emits++;
      if (emits === failOnEmit) throw new RetryableError('SINK_FAILED', 'storing mentions failed: queue unavailable');
      await sink.emit(batch);
    },
  };
  return { sink: failing, checkpoints: sink.checkpoints };
}

async function crawl(
  def: SourceDefinitionInput,
  sink: CrawlSink,
  checkpoint?: CrawlCheckpoint | CrawlCheckpointV1,
  mode?: CrawlMode,
) {
  return crawlSource({
    source: parseSourceDefinition(def),
    guard,
    sink,
    timeZone: 'Asia/Shanghai',
    clock,
    throttle: new HostThrottle(),
    concurrency: 1,
    sleep: async () => {},
    ...(checkpoint ? { checkpoint } : {}),
    ...(mode ? { mode } : {}),
  });
}

const fields = { url: 'url', title: 'title', body: 'content' };
const hits = (path: string) => site.state.hits.get(path) ?? 0;

describe('JSON pagination across a resume', () => {
  it('page numbers: the checkpoint keeps the pending pages with their number; the resumed crawl finishes them', async () => {
    const def: SourceDefinitionInput = {
      kind: 'json',
      url: `${site.url}/api/board`,
      config: {
        itemsPath: 'data.items',
        fields,
        pagination: { type: 'page', param: 'page', start: 1, maxPages: 5, totalPagesPath: 'data.pageCount' },
      },
    };
    const seen = new Set<string>();
    const items: RawMention[] = [];
    const first = failingSink(seen, items, 2);
    await expect(crawl(def, first.sink)).rejects.toMatchObject({ code: 'SINK_FAILED' });
    expect(items.map((i) => i.title.slice(0, 5))).toEqual(['留言100', '留言101', '留言102', '留言103', '留言104']);
    const last = first.checkpoints.at(-1)!;
    expect(last).toEqual({
      version: 2,
      mode: 'incremental',
      pending: [
        { url: `${site.url}/api/board?page=2`, label: 'api', pageIndex: 1, page: 2 },
        { url: `${site.url}/api/board?page=3`, label: 'api', pageIndex: 2, page: 3 },
      ],
      pagesFetched: 2,
      itemsFound: 10,
    });

    const page1Hits = hits('/api/board?page=1');
    const resumed = failingSink(seen, items);
    const result = await crawl(def, resumed.sink, last);
    expect(result).toMatchObject({
      status: 'succeeded',
      pagesFetched: 4,
      itemsFound: 20,
      itemsEmitted: 10,
      errors: [],
    });
    expect(hits('/api/board?page=1')).toBe(page1Hits);
    expect(items).toHaveLength(15);
    expect(new Set(items.map((i) => i.url)).size).toBe(15);
    expect(resumed.checkpoints.at(-1)).toEqual({
      version: 2,
      mode: 'incremental',
      pending: [],
      pagesFetched: 4,
      itemsFound: 20,
    });
  });

  it('cursors: the pending pages carry their cursor in the URL; a resumed crawl still stops at maxPages', async () => {
    const def = (maxPages: number): SourceDefinitionInput => ({
      kind: 'json',
      url: `${site.url}/api/cursor`,
      config: {
        itemsPath: 'data.items',
        fields,
        pagination: { type: 'cursor', param: 'cursor', nextCursorPath: 'data.nextCursor', maxPages },
      },
    });
    const seen = new Set<string>();
    const items: RawMention[] = [];
    const first = failingSink(seen, items, 2);
    await expect(crawl(def(5), first.sink)).rejects.toMatchObject({ code: 'SINK_FAILED' });
    expect(items).toHaveLength(5);
    const last = first.checkpoints.at(-1)!;
    expect(last).toEqual({
      version: 2,
      mode: 'incremental',
      pending: [
        { url: `${site.url}/api/cursor?cursor=b`, label: 'api', pageIndex: 1 },
        { url: `${site.url}/api/cursor?cursor=c`, label: 'api', pageIndex: 2 },
      ],
      pagesFetched: 2,
      itemsFound: 10,
    });
    const result = await crawl(def(5), failingSink(seen, items).sink, last);
    expect(result).toMatchObject({ status: 'succeeded', pagesFetched: 4, itemsEmitted: 10 });
    expect(new Set(items.map((i) => i.url)).size).toBe(15);

    // Resumed at the last page maxPages allows: that page is fetched, its cursor not followed.
    const cHits = hits('/api/cursor?cursor=c');
    const fresh: RawMention[] = [];
    const atLimit = await crawl(def(2), failingSink(new Set(), fresh).sink, {
      version: 1,
      pending: [{ url: `${site.url}/api/cursor?cursor=b`, label: 'api', pageIndex: 1 }],
      pagesFetched: 1,
      itemsFound: 5,
    });
    expect(atLimit).toMatchObject({ status: 'succeeded', pagesFetched: 2, itemsFound: 10, itemsEmitted: 5 });
    expect(fresh.map((i) => i.title.slice(0, 5))).toEqual(['留言105', '留言106', '留言107', '留言108', '留言109']);
    expect(hits('/api/cursor?cursor=c')).toBe(cHits);
  });
});

describe('resume after items were marked seen', () => {
  const def = (): SourceDefinitionInput => ({
    kind: 'json',
    url: `${site.url}/api/board`,
    config: {
      itemsPath: 'data.items',
      fields,
      pagination: { type: 'page', param: 'page', start: 1, maxPages: 5, totalPagesPath: 'data.pageCount' },
    },
  });
  const pageUrls = (page: number) => [0, 1, 2, 3, 4].map((i) => `${site.url}/board/m${100 + (page - 1) * 5 + i}`);

  it('items are marked seen only after a checkpoint without their page is saved', async () => {
    const events: string[] = [];
    const seen = new Set<string>();
    const sink = createMemorySink(() => {}, seen);
    const recording: CrawlSink = {
      ...sink,
      emit: async (batch) => {
        events.push(`emit ${batch.length}`);
        await sink.emit(batch);
      },
      saveCheckpoint: async (c) => {
        events.push(
          `checkpoint ${c.pending.map((t) => t.page).join(',')}${c.unmarked ? ` unmarked ${c.unmarked.length}` : ''}`,
        );
        await sink.saveCheckpoint(c);
      },
      markSeen: async (urls) => {
        events.push(`seen ${urls.length}`);
        await sink.markSeen(urls);
      },
    };
    const result = await crawl(def(), recording, undefined, 'full');
    expect(result).toMatchObject({ status: 'succeeded', mode: 'full', complete: true, itemsEmitted: 15 });
    // Page 1's batch: emitted, then a checkpoint holding only page 2 (and the batch's URLs, still to mark), then
    // marked seen; and so on.
    expect(events).toEqual([
      'emit 5',
      'checkpoint 2 unmarked 5',
      'seen 5',
      'emit 5',
      'checkpoint 3 unmarked 5',
      'seen 5',
      'emit 5',
      'checkpoint  unmarked 5',
      'seen 5',
      // The closing flush once the crawler is done.
      'checkpoint ',
    ]);
    expect(seen.size).toBe(15);
  });

  it('a full crawl resumed at a page whose items were all seen pages on to the source end; an incremental one stops there', async () => {
    // What the old order (seen before checkpoint) left behind: page 2's items seen, the checkpoint still at page 2.
    const checkpoint = (mode: CrawlMode): CrawlCheckpoint => ({
      version: 2,
      mode,
      pending: [{ url: `${site.url}/api/board?page=2`, label: 'api', pageIndex: 1, page: 2 }],
      pagesFetched: 1,
      itemsFound: 5,
    });
    const full: RawMention[] = [];
    const fullResult = await crawl(def(), failingSink(new Set(pageUrls(2)), full).sink, checkpoint('full'));
    expect(fullResult).toMatchObject({ status: 'succeeded', mode: 'full', complete: true, pagesFetched: 3 });
    expect(full.map((i) => i.url).sort()).toEqual(pageUrls(3).sort());

    const page3Hits = hits('/api/board?page=3');
    const incremental: RawMention[] = [];
    const incrementalResult = await crawl(
      def(),
      failingSink(new Set(pageUrls(2)), incremental).sink,
      checkpoint('incremental'),
    );
    expect(incrementalResult).toMatchObject({ status: 'succeeded', mode: 'incremental', pagesFetched: 2 });
    expect(incremental).toHaveLength(0);
    expect(hits('/api/board?page=3')).toBe(page3Hits);
  });

  it('a fresh full crawl reads past pages seen before; a resumed run with nothing pending marks what it handed over last and is done', async () => {
    const items: RawMention[] = [];
    const result = await crawl(
      def(),
      failingSink(new Set([...pageUrls(1), ...pageUrls(2)]), items).sink,
      undefined,
      'full',
    );
    expect(result).toMatchObject({ status: 'succeeded', complete: true, pagesFetched: 3, itemsEmitted: 5 });
    expect(items.map((i) => i.url).sort()).toEqual(pageUrls(3).sort());

    // Died after its last checkpoint, before marking page 3's items seen: the resumed run marks them and is done.
    const before = hits('/api/board?page=1');
    const seen = new Set<string>();
    const done = await crawl(def(), failingSink(seen, []).sink, {
      version: 2,
      mode: 'full',
      pending: [],
      unmarked: pageUrls(3),
      pagesFetched: 3,
      itemsFound: 15,
    });
    expect(done).toMatchObject({ status: 'succeeded', complete: true, pagesFetched: 3, itemsEmitted: 0 });
    expect(hits('/api/board?page=1')).toBe(before);
    expect([...seen].sort()).toEqual(pageUrls(3).sort());
  });
});

describe('HTML list → detail across a resume', () => {
  it('drops pending details already seen, fetches the rest, and continues the list at its page index up to maxPages', async () => {
    site.state.articleCount = 35;
    const def: SourceDefinitionInput = {
      kind: 'html',
      url: `${site.url}/news/`,
      config: {
        list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 3 },
        detail: { title: 'h1.title', time: '.pubtime', body: '.article-body', author: '.author' },
      },
    };
    const seen = new Set([`${site.url}/news/16.html`, `${site.url}/news/12.html`]);
    const before = new Map(site.state.hits);
    const items: RawMention[] = [];
    const { sink, checkpoints } = failingSink(seen, items);
    const result = await crawl(def, sink, {
      version: 1,
      pending: [
        { url: `${site.url}/news/16.html?utm_source=list`, label: 'detail', pageIndex: 0 },
        { url: `${site.url}/news/15.html?utm_source=list`, label: 'detail', pageIndex: 0 },
        { url: `${site.url}/news/?page=3`, label: 'list', pageIndex: 2 },
      ],
      pagesFetched: 13,
      itemsFound: 20,
    });
    // Page 3 lists 15…6; 12 was seen and 15 is already pending; page 4 is past maxPages.
    expect(result).toMatchObject({
      status: 'succeeded',
      pagesFetched: 13 + 1 + 1 + 8,
      itemsFound: 30,
      itemsEmitted: 9,
      errors: [],
    });
    expect(items.map((i) => i.canonicalUrl).sort()).toEqual(
      [15, 14, 13, 11, 10, 9, 8, 7, 6].map((n) => `${site.url}/news/${n}.html`).sort(),
    );
    const fetched = (path: string) => (site.state.hits.get(path) ?? 0) - (before.get(path) ?? 0);
    expect(fetched('/news/16.html?utm_source=list')).toBe(0);
    expect(fetched('/news/12.html?utm_source=list')).toBe(0);
    expect(fetched('/news/15.html?utm_source=list')).toBe(1);
    expect(fetched('/news/?page=4')).toBe(0);
    // A version 1 checkpoint resumes as a full crawl (its pages may have been marked seen before it was saved).
    // The last flush's checkpoint also lists the URLs it was about to mark seen (a resumed run would mark them).
    expect(checkpoints.at(-1)).toEqual({
      version: 2,
      mode: 'full',
      pending: [],
      unmarked: items.map((i) => i.canonicalUrl),
      pagesFetched: 23,
      itemsFound: 30,
    });
    site.state.articleCount = 25;
  });
});

describe('RSS', () => {
  it('maxItems keeps the first items of the feed; the rest are neither counted nor emitted', async () => {
    const items: RawMention[] = [];
    const result = await crawl(
      { kind: 'rss', url: `${site.url}/feed.xml`, config: { maxItems: 2 } },
      failingSink(new Set(), items).sink,
    );
    expect(result).toMatchObject({ status: 'succeeded', pagesFetched: 1, itemsFound: 2, itemsEmitted: 2 });
    expect(items.map((i) => i.title)).toEqual(['RSS条目3：医保报销新规', 'RSS条目2：医保报销新规']);
  });
});

describe('a checkpoint from another kind', () => {
  it('a pending task of a type the source kind has no handler for fails the run with TASK_UNSUPPORTED and is not fetched', async () => {
    // What a run checkpointed as a json source leaves behind once the source is edited to html.
    const before = hits('/api/board?page=2');
    const result = await crawl(
      { kind: 'html', url: `${site.url}/news/`, config: { list: { itemLinks: 'ul.news-list a' } } },
      failingSink(new Set(), []).sink,
      {
        version: 1,
        pending: [{ url: `${site.url}/api/board?page=2`, label: 'api', pageIndex: 0, page: 2 }],
        pagesFetched: 0,
        itemsFound: 0,
      },
    );
    expect(result).toMatchObject({ status: 'failed', errorCode: 'TASK_UNSUPPORTED', pagesFetched: 0 });
    expect(hits('/api/board?page=2')).toBe(before);
  });
});
