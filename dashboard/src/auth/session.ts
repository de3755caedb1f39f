import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sha256Hex } from '@yuqing/core';
import { deleteSession, findActiveSession, touchSession, type Role } from '@yuqing/db';
import { HttpError } from '../http/errors.ts';
import type { DashboardContext, SessionState } from '../context.ts';
import { sessionOf } from '../context.ts';

/** Name of the session cookie (holds only a random id). */
export const SESSION_COOKIE = 'yq_sid';
/** A session ends after this much inactivity. */
export const SESSION_IDLE_MS = 8 * 3600_000;
/** A session ends this long after login whatever the activity. */
export const SESSION_MAX_AGE_MS = 7 * 24 * 3600_000;
/** Activity is written back at most this often (saves a write per request). */
const SESSION_TOUCH_INTERVAL_MS = 60_000;

/** Reads one cookie from the Cookie header (no cookie-parser dependency for one value). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A new random session token (cookie value) and its database key. */
export function newSessionToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: sessionIdFor(token) };
}

/** The database stores a hash of the cookie: a leaked table does not hand out live sessions. */
export function sessionIdFor(token: string): string {
  return sha256Hex(`yq-session:${token}`);
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the public URL is https. */
export function setSessionCookie(res: Response, ctx: DashboardContext, token: string): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    path: '/',
    maxAge: SESSION_MAX_AGE_MS,
  });
}

export function clearSessionCookie(res: Response, ctx: DashboardContext): void {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    path: '/',
  });
}

/** Loads the session named by the cookie (if live) into `res.locals.session`; never refuses a request itself. */
export function loadSession(ctx: DashboardContext): RequestHandler {
  return async (req, res, next) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token || token.length > 200) {
      next();
      return;
    }
    try {
      const id = sessionIdFor(token);
      const now = ctx.clock.now();
      const session = await findActiveSession(ctx.db, id, now);
      if (!session) {
        clearSessionCookie(res, ctx);
        next();
        return;
      }
      if (session.createdAt.getTime() + SESSION_MAX_AGE_MS <= now.getTime()) {
        await deleteSession(ctx.db, id);
        clearSessionCookie(res, ctx);
        next();
        return;
      }
      if (now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
        const expiresAt = new Date(
          Math.min(now.getTime() + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_MAX_AGE_MS),
        );
        await touchSession(ctx.db, id, now, expiresAt);
      }
      const state: SessionState = { id, csrfToken: session.csrfToken, user: session.user };
      res.locals.session = state;
      next();
    } catch (error) {
      next(error);
    }
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** 401 without a session, 403 when the role is not among `roles`. */
export function requireRoles(roles: readonly Role[]): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const session = sessionOf(res);
    if (!session) return next(new HttpError(401, 'UNAUTHENTICATED', '请先登录 (login required)'));
    if (!roles.includes(session.user.role))
      return next(new HttpError(403, 'FORBIDDEN', '无权执行此操作 (your role may not do this)'));
    next();
  };
}

/** Methods that change state and so need CSRF protection. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** Requires the session's CSRF token in the `x-csrf-token` header on state-changing requests. */
export const requireCsrf: RequestHandler = (req, res, next) => {
  if (!isUnsafeMethod(req.method)) return next();
  const session = sessionOf(res);
  const header = req.get('x-csrf-token');
  if (!session || !header || !safeEqual(header, session.csrfToken))
    return next(new HttpError(403, 'CSRF_FAILED', 'CSRF 校验失败，请刷新页面后重试 (missing or wrong x-csrf-token)'));
  next();
};

/**
 * Refuses state-changing requests whose Origin (or Referer) names another site: defence in depth next to
 * SameSite cookies, and the only CSRF guard for login and Bull Board (which cannot send our header).
 */
export const requireSameOrigin: RequestHandler = (req, _res, next) => {
  if (!isUnsafeMethod(req.method)) return next();
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none')
    return next(new HttpError(403, 'CROSS_SITE', '拒绝跨站请求 (cross-site request refused)'));
  const origin = req.get('origin') ?? req.get('referer');
  if (!origin) return next();
  try {
    if (new URL(origin).host !== req.get('host'))
      return next(new HttpError(403, 'CROSS_SITE', '拒绝跨站请求 (cross-site request refused)'));
  } catch {
    return next(new HttpError(403, 'CROSS_SITE', '拒绝跨站请求 (bad Origin header)'));
  }
  next();
};
