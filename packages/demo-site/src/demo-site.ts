import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, NonRetryableError, systemClock, type Clock } from '@yuqing/core';
import { DemoContent } from './demo-content.ts';
import { routeDemoRequest } from './demo-routes.ts';

/** One new news article and one new board message per interval unless told otherwise. */
export const DEFAULT_POST_INTERVAL_MS = 60_000;
/** Content seed: the same seed and clock give the same site. */
export const DEFAULT_DEMO_SEED = 20_261_127;
/** Idle keep-alive sockets are dropped after this long, so close() never waits on a crawler's pool. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export interface DemoSiteOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Interface to bind. @defaultValue '127.0.0.1' */
  host?: string;
  /** How often a new news article and a new board message appear. @defaultValue 60000 */
  postIntervalMs?: number;
  /** Time source; tests pass a ManualClock and advance it instead of waiting. @defaultValue systemClock */
  clock?: Clock;
  /** Content seed. @defaultValue 20261127 */
  seed?: number;
}

export interface DemoSite {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:3100`. */
  url: string;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function hostForUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return `127.0.0.1:${port}`;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Starts the built-in demo website (news list + articles, RSS, GBK forum, message board with JSON API) on a local
 * port. Content is generated from templates; new posts appear every `postIntervalMs` of the injected clock, counted
 * from the moment the site starts.
 * @throws NonRetryableError `DEMO_SITE_LISTEN` when the port cannot be bound.
 */
export async function startDemoSite(options: DemoSiteOptions): Promise<DemoSite> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const content = new DemoContent({
    anchorMs: clock.now().getTime(),
    intervalMs: options.postIntervalMs ?? DEFAULT_POST_INTERVAL_MS,
    seed: options.seed ?? DEFAULT_DEMO_SEED,
  });
  const log = createLogger('demo-site');
  let baseUrl = '';

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const startedAt = performance.now();
    try {
      // Absolute links follow the name the client used (localhost vs 127.0.0.1), falling back to our own address.
      const hostHeader = request.headers.host;
      const origin = hostHeader && HOST_HEADER.test(hostHeader) ? `http://${hostHeader}` : baseUrl;
      const method = request.method ?? 'GET';
      const result = routeDemoRequest(content, clock.now(), method, request.url ?? '/', origin);
      response.writeHead(result.status, { ...result.headers, 'Content-Length': String(result.body.length) });
      response.end(method === 'HEAD' ? undefined : result.body);
      log.debug(
        { method, path: request.url, status: result.status, ms: Math.round(performance.now() - startedAt) },
        'demo request',
      );
    } catch (error) {
      log.error({ err: error, path: request.url }, 'demo request failed');
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Internal Server Error\n');
    }
  };

  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, handle);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new NonRetryableError(
          'DEMO_SITE_LISTEN',
          `demo site cannot listen on ${host}:${options.port}: ${error.code ?? error.message} (choose another port with YQ_DEMO_PORT or --port)`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error }, 'demo site server error'));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${hostForUrl(host, port)}`;
  log.info({ url: baseUrl, postIntervalMs: content.intervalMs }, 'demo site listening');

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
