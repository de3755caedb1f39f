/** Longest `next` followed after login; longer values are not paths a page produced. */
const MAX_NEXT_CHARS = 2048;

/**
 * The path to go to after login, from an untrusted `next` value: only a path of this dashboard's own origin, else
 * `/`. The value is parsed by the URL parser against PUBLIC_URL, the way the browser will read it: the parser drops
 * tabs and newlines and turns backslashes into slashes, so `/\t/evil.example` or `/\evil.example` would otherwise
 * leave the site. The answer is the parsed path, so what was checked is what the browser follows.
 * @param next - the decoded query value (`URLSearchParams.get('next')`).
 * @param publicUrl - the dashboard's public address (config `publicUrl`).
 */
export function safeNextPath(next: unknown, publicUrl: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_NEXT_CHARS) return '/';
  // Only a plain absolute path: no scheme, no "//host", no backslash or control/space characters anywhere.
  if (!next.startsWith('/') || next.startsWith('//')) return '/';
  if (/[\\\u0000-\u0020\u007f-\u009f]/.test(next)) return '/';
  let base: URL;
  let url: URL;
  try {
    base = new URL(publicUrl);
    url = new URL(next, base);
  } catch {
    return '/';
  }
  if (url.origin !== base.origin) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can still produce "//host" after normalisation (`/a/..//evil`): a browser reads that off-site.
  if (!path.startsWith('/') || path.startsWith('//')) return '/';
  // Percent-encoded control characters or slashes right after the first slash are not pages of ours either.
  if (/^\/(?:%(?:0[0-9a-f]|1[0-9a-f]|2f|5c|7f))/i.test(path)) return '/';
  return path;
}
