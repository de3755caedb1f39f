import { errorMessage } from '@yuqing/core';
import { databaseHealth } from '@yuqing/db';
import { route, type RouteSpec } from '../http/route-registry.ts';

/** Longest a health probe waits for one dependency, in milliseconds. */
const HEALTH_PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** `GET /api/health` (no login): database, Redis and queue state; 503 when a dependency is down. */
export const healthRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/health',
    tag: 'health',
    roles: 'public',
    summary: 'Database, Redis and queue state (no login). 200 when all are up, 503 otherwise.',
    raw: true,
    handler: async ({ ctx, res }) => {
      const [database, queues] = await Promise.allSettled([
        withTimeout(databaseHealth(ctx.db), HEALTH_PROBE_TIMEOUT_MS),
        withTimeout(ctx.queues.counts(), HEALTH_PROBE_TIMEOUT_MS),
      ]);
      const dbState =
        database.status === 'fulfilled'
          ? {
              ok: true,
              kind: ctx.dbKind,
              latencyMs: database.value.latencyMs,
              mentionsEstimate: database.value.mentionsEstimate,
            }
          : { ok: false, kind: ctx.dbKind, error: errorMessage(database.reason) };
      const redisState =
        queues.status === 'fulfilled' ? { ok: true } : { ok: false, error: errorMessage(queues.reason) };
      const queueState = queues.status === 'fulfilled' ? { ok: true, counts: queues.value } : { ok: false };
      const ok = dbState.ok && redisState.ok;
      res
        .status(ok ? 200 : 503)
        .json({
          status: ok ? 'ok' : 'degraded',
          time: ctx.clock.now().toISOString(),
          database: dbState,
          redis: redisState,
          queues: queueState,
        });
    },
  }),
];
