import { z } from 'zod';
import { hashPassword, verifyPassword } from '@yuqing/core';
import { appendAudit, createSession, deleteExpiredSessions, deleteSession, findUserByUsername } from '@yuqing/db';
import { HttpError } from '../http/errors.ts';
import { route, type RouteSpec } from '../http/route-registry.ts';
import {
  clearSessionCookie,
  newCsrfToken,
  newSessionToken,
  readCookie,
  requireCsrf,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
  sessionIdFor,
  setSessionCookie,
} from '../auth/session.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { clientIp, sessionOf } from '../context.ts';
import { ALL_ROLES, ROLES } from '../auth/roles.ts';
import type { Role } from '@yuqing/db';
import { ROLE_LABELS } from '@yuqing/domain';

/** What the role may do, from the same lists the API enforces (the UI only hides what the API would refuse). */
export function permissionsOf(role: Role): Record<keyof typeof ROLES, boolean> {
  return Object.fromEntries(
    Object.entries(ROLES).map(([k, roles]) => [k, (roles as readonly Role[]).includes(role)]),
  ) as Record<keyof typeof ROLES, boolean>;
}

const loginBody = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });

/** Compared against when the username is unknown, so both paths take the same time. */
let dummyHash: Promise<string> | undefined;

/** Login, logout and the current user; login is throttled and every outcome audited. */
export function authRoutes(throttle = new LoginThrottle()): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      roles: 'public',
      body: loginBody,
      summary: 'Log in; sets a fresh session cookie (the old session, if any, is ended) and returns the CSRF token.',
      raw: true,
      handler: async ({ req, res, ctx, body }) => {
        const ip = clientIp(req) ?? 'unknown';
        const now = ctx.clock.now();
        const wait = throttle.retryAfterMs(ip, body.username, now.getTime());
        if (wait > 0) {
          res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
          await appendAudit(ctx.db, {
            actorId: null,
            ip,
            action: 'auth.login-throttled',
            entityType: 'user',
            details: { username: body.username },
          });
          throw new HttpError(
            429,
            'LOGIN_THROTTLED',
            `登录失败次数过多，请 ${Math.ceil(wait / 60000)} 分钟后再试 (too many failed logins)`,
          );
        }
        const user = await findUserByUsername(ctx.db, body.username);
        dummyHash ??= hashPassword('not-a-real-password');
        const valid = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash));
        if (!user || !valid || !user.active) {
          throttle.recordFailure(ip, body.username, now.getTime());
          await appendAudit(ctx.db, {
            actorId: user?.id ?? null,
            ip,
            action: 'auth.login-failed',
            entityType: 'user',
            entityId: user?.id ?? null,
            details: {
              username: body.username,
              reason: !user ? 'unknown user' : !valid ? 'wrong password' : 'inactive',
            },
          });
          throw new HttpError(401, 'LOGIN_FAILED', '用户名或密码错误 (wrong username or password)');
        }
        throttle.recordSuccess(ip, body.username);
        // Rotate: whatever session the browser brought is ended, a new id is issued (session fixation).
        const previous = readCookie(req, SESSION_COOKIE);
        if (previous) await deleteSession(ctx.db, sessionIdFor(previous));
        const { token, id } = newSessionToken();
        const csrfToken = newCsrfToken();
        await createSession(ctx.db, {
          id,
          userId: user.id,
          csrfToken,
          expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
        });
        // Logins are rare enough to carry the housekeeping: drop sessions that expired (indexed on expiresAt).
        await deleteExpiredSessions(ctx.db, now);
        await appendAudit(ctx.db, {
          actorId: user.id,
          ip,
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
        });
        setSessionCookie(res, ctx, token);
        res.json({
          user: {
            id: user.id,
            username: user.username,
            displayName: user.displayName,
            role: user.role,
            roleLabel: ROLE_LABELS[user.role],
          },
          csrfToken,
          can: permissionsOf(user.role),
        });
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      tag: 'auth',
      roles: ALL_ROLES,
      summary: 'Log out: ends the server-side session.',
      raw: true,
      handler: async ({ req, res, ctx, session }) => {
        await deleteSession(ctx.db, session.id);
        await appendAudit(ctx.db, {
          actorId: session.user.id,
          ip: clientIp(req),
          action: 'auth.logout',
          entityType: 'user',
          entityId: session.user.id,
        });
        clearSessionCookie(res, ctx);
        res.json({ ok: true });
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      tag: 'auth',
      roles: ALL_ROLES,
      summary: 'The logged-in user and the CSRF token to send as x-csrf-token on writes.',
      handler: async ({ res }) => {
        const s = sessionOf(res)!;
        return {
          user: { ...s.user, roleLabel: ROLE_LABELS[s.user.role] },
          csrfToken: s.csrfToken,
          can: permissionsOf(s.user.role),
        };
      },
    }),
  ];
}

export { requireCsrf };
