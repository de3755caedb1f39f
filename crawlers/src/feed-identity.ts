// Which feed entries are one post: the dedupe identity of each entry of a parsed feed.
import { sha256Hex } from '@yuqing/core';
import { canonicaliseItemUrl, canonicaliseUrl } from '@yuqing/domain';
import type { FeedItem } from './feed-parse.ts';

/** A feed entry's identity: its seen-URL / dedupe key and, when the link alone does not name it, the item key. */
export interface FeedItemIdentity {
  /** Canonical URL used as the seen URL and, through the mention's item key, as its dedupe key. */
  canonical: string;
  /** Set when the entry shares its page with others (see `RawMention.itemKey`). */
  itemKey?: string;
}

function fragmentOf(url: string): string {
  const hash = new URL(url).hash;
  return hash.length > 1 ? hash.slice(1) : '';
}

function guidKey(guid: string | undefined, page: string): string {
  if (!guid) return '';
  if (!/^https?:\/\//i.test(guid)) return guid;
  try {
    return fragmentOf(guid) || (canonicaliseUrl(guid) === page ? '' : guid);
  } catch {
    return guid;
  }
}

/**
 * Identities of a feed's entries. An entry whose link names a page of its own keeps the plain canonical URL (so it
 * still dedupes against the same article crawled as a page). Entries that share a page — links that differ only
 * by `#fragment`, as old blog feeds list posts of one archive page, or the very same link — are told apart by, in
 * order, their guid, their link's fragment, then a hash of their title and text: the first of these that is
 * different for every entry on that page.
 */
export function feedItemIdentities(items: readonly FeedItem[]): FeedItemIdentity[] {
  const pageOf = items.map((i) => canonicaliseUrl(i.url));
  const onPage = new Map<string, number[]>();
  pageOf.forEach((page, index) => onPage.set(page, [...(onPage.get(page) ?? []), index]));
  const out: FeedItemIdentity[] = pageOf.map((page) => ({ canonical: page }));
  const keyers: Array<(item: FeedItem, page: string) => string> = [
    // A guid that is the link itself names nothing more than the link; one with a fragment names that fragment.
    (i, page) => guidKey(i.guid, page),
    (i) => fragmentOf(i.url),
    (i) => `c${sha256Hex(`${i.title}\n${i.body}`).slice(0, 16)}`,
  ];
  for (const [page, indexes] of onPage) {
    // One entry alone on its page keeps the plain address (a WeChat link's `#rd`, a `#comments` anchor): it names
    // the page, and the same article crawled as a page must dedupe against it.
    if (indexes.length < 2) continue;
    for (const keyOf of keyers) {
      const keys = indexes.map((i) => keyOf(items[i]!, page));
      if (keys.some((k) => k === '') || new Set(keys).size < keys.length) continue;
      indexes.forEach((i, n) => (out[i] = { canonical: canonicaliseItemUrl(page, keys[n]!), itemKey: keys[n]! }));
      break;
    }
  }
  return out;
}
