import type { Readable } from 'node:stream';
import { GotScrapingHttpClient } from 'crawlee';
import { NonRetryableError, RetryableError, YuqingError, errorMessage } from '@yuqing/core';
import { pinnedLookup, type UrlGuard } from './url-guard.ts';

/** Largest body read per page (after decompression, so a zip bomb stops here too). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** Budget per attempt for the whole exchange: DNS, connect, every redirect hop, headers and body. */
export const DEFAULT_FETCH_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_REDIRECTS = 5;
/** Attempts per URL for transient failures (network errors, 5xx, 408). */
export const DEFAULT_FETCH_ATTEMPTS = 3;
/** First retry delay; doubles each attempt, with jitter, capped at {@link MAX_RETRY_DELAY_MS}. */
export const RETRY_BASE_DELAY_MS = 500;
export const MAX_RETRY_DELAY_MS = 10_000;

/** The crawler says who it is; robots.txt rules for `YuqingBot` apply to it. */
export const USER_AGENT =
  'Mozilla/5.0 (compatible; YuqingBot/0.1; public-opinion monitoring for a municipal HR bureau)';
export const ROBOTS_USER_AGENT = 'YuqingBot';

const TEXT_TYPES =
  /^(text\/[\w.+-]+|application\/(xhtml\+xml|xml|rss\+xml|atom\+xml|rdf\+xml|json|ld\+json|[\w.-]+\+json|[\w.-]+\+xml|javascript|x-javascript))$/i;

/** Per-request limits; a source's `config.limits` overrides the defaults. */
export interface FetchLimits {
  /** @defaultValue 5 MB */
  maxBytes?: number;
  /** @defaultValue 20000 */
  timeoutMs?: number;
  /** @defaultValue 5 */
  maxRedirects?: number;
  /** @defaultValue 3 */
  attempts?: number;
}

/** Options for {@link fetchPage}. */
export interface FetchPageOptions {
  guard: UrlGuard;
  limits?: FetchLimits;
  /** Conditional request validators from the last visit. */
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  /**
   * Extra request headers a source kind needs (a platform's Referer, a login cookie). They cannot replace our
   * user-agent: a monitoring crawler stays recognisable.
   */
  headers?: Readonly<Record<string, string>>;
  /** Cancels waiting and in-flight requests (a crawl being stopped). */
  signal?: AbortSignal;
  /** Injectable sleep (tests keep backoff short). */
  sleep?: (ms: number) => Promise<void>;
}

/** A fetched response with the raw, undecoded body. */
export interface FetchedPage {
  requestedUrl: string;
  /** URL after redirects. */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  contentType: string | undefined;
  /** Raw bytes: decoding is done by `decodeBody`, never by the HTTP client. */
  body: Buffer;
  notModified: boolean;
  etag: string | undefined;
  lastModified: string | undefined;
  redirects: string[];
  attempts: number;
}

/**
 * Crawlee's got-scraping client, made once. Its `gotScraping` export is a lazy loader that an ESM import binds
 * for good, so calling it directly ran a dynamic `import()` per request (about 1 ms each under tsx); the client
 * class reads the loaded function.
 */
const httpClient = new GotScrapingHttpClient();

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function deadlineError(url: URL | string, cause?: unknown): RetryableError {
  return new RetryableError(
    'FETCH_TIMEOUT',
    `timed out fetching ${url.toString()}`,
    cause === undefined ? {} : { cause },
  );
}

/** Settles like `promise`, or fails with FETCH_TIMEOUT at `deadline` (DNS lookups have no timeout of their own). */
async function beforeDeadline<T>(promise: Promise<T>, deadline: number, url: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(deadlineError(url)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** One HTTP exchange without following redirects. Body reading stops at the size limit. */
async function exchange(
  url: URL,
  options: FetchPageOptions,
  maxBytes: number,
  deadline: number,
  pinned: Parameters<typeof pinnedLookup>[0],
): Promise<Omit<FetchedPage, 'requestedUrl' | 'redirects' | 'attempts' | 'url'> & { location?: string }> {
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept: options.accept ?? 'text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5',
    'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
  };
  for (const [name, value] of Object.entries(options.headers ?? {}))
    if (name.toLowerCase() !== 'user-agent') headers[name.toLowerCase()] = value;
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  // One deadline for the whole redirect chain: each hop gets what the earlier ones left, never a fresh budget.
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw deadlineError(url);
  let stream: Readable | undefined;
  // got keeps its listener on the signal it is given until the request object is collected: a signal per
  // exchange keeps the crawl's own signal from collecting one listener per page.
  const local = new AbortController();
  const abort = () => {
    local.abort();
    stream?.destroy(new RetryableError('FETCH_ABORTED', 'crawl stopped'));
  };
  if (options.signal?.aborted) throw new RetryableError('FETCH_ABORTED', 'crawl stopped');
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const response = await httpClient.stream({
      url: url.toString(),
      followRedirect: false,
      throwHttpErrors: false,
      // Our own identity and headers: a monitoring crawler is polite and recognisable, not a fake browser.
      useHeaderGenerator: false,
      http2: false,
      headers,
      retry: { limit: 0 },
      timeout: { request: remaining },
      signal: local.signal,
      ...(pinned.length > 0 ? { dnsLookup: pinnedLookup(pinned) } : {}),
    });
    stream = response.stream;
    const status = response.statusCode;
    const contentType = header(response.headers, 'content-type');
    const base = {
      status,
      headers: response.headers,
      contentType,
      etag: header(response.headers, 'etag'),
      lastModified: header(response.headers, 'last-modified'),
    };
    if ((status >= 300 && status < 400 && status !== 304) || status === 304) {
      stream.destroy();
      return {
        ...base,
        body: Buffer.alloc(0),
        notModified: status === 304,
        ...(status !== 304 ? { location: header(response.headers, 'location') } : {}),
      };
    }
    const mime = contentType?.split(';')[0]?.trim().toLowerCase();
    if (mime && !TEXT_TYPES.test(mime) && status < 400) {
      stream.destroy();
      throw new NonRetryableError('CONTENT_NOT_TEXT', `skipped ${url.toString()}: Content-Type ${mime} is not text`, {
        details: { mime },
      });
    }
    const declaredLength = Number(header(response.headers, 'content-length') ?? NaN);
    if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
      stream.destroy();
      throw new NonRetryableError(
        'CONTENT_TOO_LARGE',
        `skipped ${url.toString()}: ${declaredLength} bytes exceeds the ${maxBytes}-byte limit`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        stream.destroy();
        throw new NonRetryableError(
          'CONTENT_TOO_LARGE',
          `skipped ${url.toString()}: body exceeds the ${maxBytes}-byte limit`,
        );
      }
      chunks.push(chunk);
    }
    return { ...base, body: Buffer.concat(chunks, size), notModified: false };
  } catch (error) {
    if (error instanceof YuqingError) throw error;
    const err = error as NodeJS.ErrnoException & { name?: string };
    if (err.name === 'TimeoutError' || err.code === 'ETIMEDOUT') throw deadlineError(url, error);
    if (err.name === 'AbortError' || options.signal?.aborted)
      throw new RetryableError('FETCH_ABORTED', 'crawl stopped', { cause: error });
    if (err.code === 'ENOTFOUND')
      throw new NonRetryableError('DNS_NOT_FOUND', `host ${url.hostname} does not resolve`, { cause: error });
    throw new RetryableError('FETCH_FAILED', `fetching ${url.toString()} failed: ${err.code ?? errorMessage(error)}`, {
      cause: error,
    });
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/**
 * Fetches a URL through the SSRF guard with limits on size, time and redirects, conditional headers, and retries
 * with exponential backoff for transient failures. Every redirect hop is vetted again and the connection is pinned
 * to the vetted addresses. Returns 4xx responses (the caller decides whether they mean "blocked").
 *
 * Built on Crawlee's got-scraping client (the one CheerioCrawler uses) in stream mode, because CheerioCrawler
 * decodes by the Content-Type charset only and its navigation hooks cannot cap the body size or vet redirects
 * hop by hop; we need the raw bytes.
 */
export async function fetchPage(input: string, options: FetchPageOptions): Promise<FetchedPage> {
  const limits = options.limits ?? {};
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = limits.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxRedirects = limits.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const attempts = Math.max(1, limits.attempts ?? DEFAULT_FETCH_ATTEMPTS);
  const sleep = options.sleep ?? sleepMs;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.signal?.aborted) throw new RetryableError('FETCH_ABORTED', 'crawl stopped');
    try {
      const page = await fetchFollowingRedirects(input, options, maxBytes, timeoutMs, maxRedirects);
      const transient = page.status >= 500 || page.status === 408;
      if (transient && attempt < attempts) {
        lastError = new RetryableError('HTTP_SERVER_ERROR', `HTTP ${page.status} from ${page.url}`);
        await sleep(backoffDelay(attempt, header(page.headers, 'retry-after')));
        continue;
      }
      return { ...page, attempts: attempt };
    } catch (error) {
      lastError = error;
      if (error instanceof YuqingError && !error.retryable) throw error;
      if (attempt < attempts) await sleep(backoffDelay(attempt));
    }
  }
  throw lastError instanceof Error ? lastError : new RetryableError('FETCH_FAILED', errorMessage(lastError));
}

/** Exponential backoff with ±25 % jitter; a server's Retry-After (seconds) wins when it is longer. */
export function backoffDelay(attempt: number, retryAfter?: string): number {
  const base = Math.min(MAX_RETRY_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
  const jittered = base * (0.75 + Math.random() * 0.5);
  const server = retryAfter && /^\d+$/.test(retryAfter) ? Math.min(Number(retryAfter) * 1000, MAX_RETRY_DELAY_MS) : 0;
  return Math.max(jittered, server);
}

async function fetchFollowingRedirects(
  input: string,
  options: FetchPageOptions,
  maxBytes: number,
  timeoutMs: number,
  maxRedirects: number,
): Promise<Omit<FetchedPage, 'attempts'>> {
  const deadline = Date.now() + timeoutMs;
  const redirects: string[] = [];
  let current = input;
  for (let hop = 0; ; hop++) {
    if (Date.now() >= deadline) throw deadlineError(current);
    const vetted = await beforeDeadline(options.guard.vet(current), deadline, current);
    const result = await exchange(
      vetted.url,
      hop === 0 ? options : { ...options, etag: null, lastModified: null },
      maxBytes,
      deadline,
      vetted.addresses,
    );
    if (result.location === undefined) {
      const { location: _ignored, ...rest } = result;
      return { ...rest, requestedUrl: input, url: vetted.url.toString(), redirects };
    }
    if (hop >= maxRedirects)
      throw new NonRetryableError('TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects starting at ${input}`);
    let next: URL;
    try {
      next = new URL(result.location, vetted.url);
    } catch (error) {
      throw new NonRetryableError('REDIRECT_INVALID', `invalid redirect Location from ${vetted.url.toString()}`, {
        cause: error,
      });
    }
    redirects.push(next.toString());
    current = next.toString();
  }
}
