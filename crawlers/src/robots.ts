import { RobotsTxtFile } from 'crawlee';
import { YuqingError } from '@yuqing/core';
import { decodeBody } from './encoding.ts';
import { fetchPage, ROBOTS_USER_AGENT, type FetchPageOptions } from './fetch-page.ts';

/** robots.txt files larger than this are cut (Google reads 500 KiB). */
const ROBOTS_MAX_BYTES = 500 * 1024;
const ROBOTS_TIMEOUT_MS = 10_000;

/** A site's robots.txt policy for Yuqing's crawler. */
export interface RobotsPolicy {
  isAllowed(url: string): boolean;
  /** Why: `file`, `missing` (4xx: everything allowed), `unreachable` (5xx/network: nothing allowed, RFC 9309). */
  basis: 'file' | 'missing' | 'unreachable';
}

/**
 * Fetches and parses `/robots.txt` for the origin of `url` through the same guarded fetch as pages. Parsing is
 * Crawlee's (robots-parser); rules for `YuqingBot` apply, else `*`.
 */
export async function loadRobotsPolicy(
  url: string,
  options: Omit<FetchPageOptions, 'etag' | 'lastModified'>,
): Promise<RobotsPolicy> {
  const robotsUrl = new URL('/robots.txt', url).toString();
  try {
    const page = await fetchPage(robotsUrl, {
      ...options,
      accept: 'text/plain,*/*;q=0.5',
      limits: { ...options.limits, maxBytes: ROBOTS_MAX_BYTES, timeoutMs: ROBOTS_TIMEOUT_MS, attempts: 2 },
    });
    if (page.status >= 400 && page.status < 500) return { basis: 'missing', isAllowed: () => true };
    if (page.status >= 500) return { basis: 'unreachable', isAllowed: () => false };
    const file = RobotsTxtFile.from(robotsUrl, decodeBody(page.body, page.contentType).text);
    return { basis: 'file', isAllowed: (u) => file.isAllowed(u, ROBOTS_USER_AGENT) };
  } catch (error) {
    // A robots.txt that is not text or too large is treated as absent; a network failure as "disallow all".
    if (error instanceof YuqingError && (error.code === 'CONTENT_NOT_TEXT' || error.code === 'CONTENT_TOO_LARGE'))
      return { basis: 'missing', isAllowed: () => true };
    if (error instanceof YuqingError && error.code === 'SSRF_REFUSED') throw error;
    return { basis: 'unreachable', isAllowed: () => false };
  }
}
