// `Authorization: Bearer yqt_…`: personal API tokens for scripts, the push API and MCP clients. A token acts as
// its owner (same role checks) but only within its scopes; it never passes CSRF checks because it needs none
// (a browser never attaches it by itself), and unsafe routes refuse it unless the route names a scope for it.
import type { RequestHandler, Response } from 'express';
import { apiTokenHash, isApiTokenShape } from '@yuqing/core';
import { findActiveApiToken, touchApiToken } from '@yuqing/db';
import type { ApiTokenScope } from '@yuqing/domain';
import { HttpError } from '../http/errors.ts';
import type { DashboardContext, SessionState } from '../context.ts';

/** `lastUsedAt` is written back at most this often per token (saves a write per request). */
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/** The API token a request came with, as `res.locals.apiToken`. */
export interface BearerToken {
  id: number;
  scopes: readonly string[];
  sourceId: number | null;
}

/** The API token of this request, if it came with one. */
export function apiTokenOf(res: Response): BearerToken | undefined {
  return res.locals.apiToken as BearerToken | undefined;
}

/** The token in an `Authorization: Bearer …` header, or undefined when there is no such header. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

/**
 * Loads the token named by the Authorization header: its owner becomes the request's session user (replacing a
 * cookie session: a request is one caller). A malformed, unknown or revoked token is a 401 at once, so a client
 * never silently runs as nobody.
 */
export function loadBearer(ctx: DashboardContext): RequestHandler {
  return async (req, res, next) => {
    const token = bearerTokenOf(req.get('authorization'));
    if (token === undefined) return next();
    try {
      const found = isApiTokenShape(token) ? await findActiveApiToken(ctx.db, apiTokenHash(token)) : null;
      if (!found)
        return next(new HttpError(401, 'TOKEN_INVALID', 'API 令牌无效或已吊销 (unknown or revoked API token)'));
      const now = ctx.clock.now();
      const last = found.token.lastUsedAt?.getTime() ?? 0;
      if (now.getTime() - last > TOKEN_TOUCH_INTERVAL_MS) await touchApiToken(ctx.db, found.token.id, now);
      const session: SessionState = { id: `api-token:${found.token.id}`, csrfToken: '', user: found.user };
      res.locals.session = session;
      const bearer: BearerToken = { id: found.token.id, scopes: found.token.scopes, sourceId: found.token.sourceId };
      res.locals.apiToken = bearer;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * After the role check: a bearer request needs `scope` (GET routes: `read` unless the route says otherwise; unsafe
 * routes only when the route names a scope), a cookie request needs the CSRF header on unsafe methods, and a
 * `tokenOnly` route (the push API) takes no cookie session at all.
 */
export function requireScopeOrCsrf(
  route: { method: string; tokenScope?: ApiTokenScope; tokenOnly?: boolean },
  requireCsrf: RequestHandler,
): RequestHandler {
  const scope = route.tokenScope ?? (route.method === 'get' ? 'read' : undefined);
  return (req, res, next) => {
    const token = apiTokenOf(res);
    if (!token) {
      if (route.tokenOnly)
        return next(new HttpError(401, 'TOKEN_REQUIRED', '此接口需要 API 令牌 (Authorization: Bearer yqt_…)'));
      return requireCsrf(req, res, next);
    }
    if (!scope)
      return next(new HttpError(403, 'TOKEN_NOT_ALLOWED', 'API 令牌不能执行此操作，请登录后操作 (not with a token)'));
    if (!token.scopes.includes(scope))
      return next(new HttpError(403, 'TOKEN_SCOPE', `API 令牌缺少权限范围 ${scope} (token lacks scope ${scope})`));
    next();
  };
}
