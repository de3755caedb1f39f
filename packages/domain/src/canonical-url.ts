import { sha256Hex } from '@yuqing/core';

/** Query parameters that only track the visitor; they never change the document. */
const TRACKING_PARAMS =
  /^(utm_[a-z]+|spm|from|share_token|share_source|sharer?|fbclid|gclid|yclid|wxfrom|isappinstalled|scene|clicktime|enterid|_hsenc|_hsmi|mc_cid|mc_eid|ref_src)$/i;

/**
 * Canonical form of a URL for deduplication: lower-case scheme and host, default port and fragment dropped,
 * tracking parameters removed, remaining parameters sorted, empty path as `/`.
 */
export function canonicaliseUrl(input: string, base?: string): string {
  const url = base === undefined ? new URL(input) : new URL(input, base);
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443'))
    url.port = '';
  const kept = [...url.searchParams.entries()].filter(([key]) => !TRACKING_PARAMS.test(key));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = '';
  for (const [k, v] of kept) url.searchParams.append(k, v);
  if (url.pathname === '') url.pathname = '/';
  return url.toString();
}

/** sha256 of the canonical URL: the Mention.urlHash and SeenUrl.urlHash key. */
export function urlHash(canonicalUrl: string): string {
  return sha256Hex(canonicalUrl);
}

/**
 * Dedupe identity of an item that shares its page URL with others: a feed entry whose link differs from its
 * siblings' only by `#fragment`, or whose guid names it; an imported comment under its post. The page URL is
 * canonicalised as usual and the item key kept as the fragment, so two such items never collapse into one while an
 * HTML page reached with and without `#top` still does.
 */
export function canonicaliseItemUrl(input: string, itemKey: string): string {
  const url = new URL(canonicaliseUrl(input));
  url.hash = itemKey;
  return url.toString();
}
