// The push API (issue #15): a partner system posts mentions for the one source its token is bound to. Items go
// through the same ingest path as crawled ones (packages/pipeline: normalise, schemes, dedupe, analyse).
import { z } from 'zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ingestMentions } from '@yuqing/pipeline';
import { rawMentionSchema, type RawMention } from '@yuqing/domain';
import { route, type RouteSpec } from '../http/route-registry.ts';
import { HttpError } from '../http/errors.ts';
import { ALL_ROLES } from '../auth/roles.ts';
import { apiTokenOf } from '../auth/bearer.ts';

/** Largest push body, in bytes (a batch of long posts; larger is 413 before parsing). */
export const INGEST_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Most mentions in one push (more is 413: split the batch). */
export const INGEST_MAX_ITEMS = 500;
/** Pushes one token may make per window. */
const INGEST_REQUESTS_PER_WINDOW = 60;
const INGEST_WINDOW_SECONDS = 60;

/** One item's outcome: accepted items are stored even when others in the batch are rejected. */
interface ItemResult {
  index: number;
  status: 'accepted' | 'rejected';
  errors?: { field: string; message: string }[];
}

/**
 * The push API's routes. The limiter lives in the dashboard process (one per `yq start`), counting requests per
 * token; rate-limiter-flexible's Redis limiter would share the count across dashboards if we ever run several.
 */
export function ingestRoutes(): RouteSpec[] {
  const limiter = new RateLimiterMemory({ points: INGEST_REQUESTS_PER_WINDOW, duration: INGEST_WINDOW_SECONDS });
  return [
    route({
      method: 'post',
      path: '/ingest',
      tag: 'ingest',
      roles: ALL_ROLES,
      tokenScope: 'ingest',
      tokenOnly: true,
      body: z.array(z.unknown()).describe('RawMention objects: url, title, body, publishedAt (ISO 8601), …'),
      onInvalid: () => new HttpError(400, 'INGEST_NOT_ARRAY', '请求体须为提及数组 (body must be a JSON array)'),
      summary: `Push up to ${INGEST_MAX_ITEMS} mentions (RawMention shape) for the token’s source; a result per item. Token scope ingest, ${INGEST_REQUESTS_PER_WINDOW} requests/min per token.`,
      handler: async ({ ctx, res, body }) => {
        const token = apiTokenOf(res)!;
        try {
          await limiter.consume(String(token.id));
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
          throw new HttpError(429, 'RATE_LIMITED', '推送过于频繁，请稍后再试 (too many pushes for this token)');
        }
        if (body.length > INGEST_MAX_ITEMS)
          throw new HttpError(
            413,
            'TOO_MANY_ITEMS',
            `一次最多推送 ${INGEST_MAX_ITEMS} 条 (at most ${INGEST_MAX_ITEMS} items)`,
          );
        if (token.sourceId === null)
          throw new HttpError(403, 'TOKEN_SCOPE', '推送令牌未绑定信源 (ingest token is bound to no source)');
        const accepted: RawMention[] = [];
        const results: ItemResult[] = body.map((item, index) => {
          const parsed = rawMentionSchema.safeParse(item);
          if (parsed.success) {
            accepted.push(parsed.data);
            return { index, status: 'accepted' };
          }
          const errors = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(item)', message: i.message }));
          return { index, status: 'rejected', errors };
        });
        const stored = accepted.length
          ? await ingestMentions(ctx.db, accepted, { sourceId: token.sourceId, queues: ctx.queues, clock: ctx.clock })
          : null;
        return {
          received: body.length,
          accepted: accepted.length,
          rejected: body.length - accepted.length,
          stored: stored?.stored ?? 0,
          duplicates: stored?.duplicates ?? 0,
          filtered: stored?.filtered ?? 0,
          items: results,
        };
      },
    }),
  ];
}
