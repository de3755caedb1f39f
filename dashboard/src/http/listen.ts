import type { Server } from 'node:http';
import type { Express } from 'express';

/**
 * How long an idle keep-alive connection stays open on our side, in milliseconds. Longer than the idle timeouts of
 * the clients and proxies in front of us (nginx keeps upstream connections 60 s), so that the client, not the
 * server, closes an idle connection. With Node's default (5 s) the server closed first, and a client that reused the
 * connection at that moment got ECONNRESET instead of an answer (seen on a loaded CI machine).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Starts the dashboard's HTTP server on `port` and `host`, with keep-alive and header timeouts set
 * ({@link KEEP_ALIVE_TIMEOUT_MS}); resolves once it listens, rejects when the port cannot be taken.
 */
export function listenDashboard(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // Must exceed keepAliveTimeout, or a request arriving on a long-idle connection can be cut off mid-headers.
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
    server.once('error', reject);
  });
}
