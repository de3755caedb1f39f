import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { hashPassword, MAX_PASSWORD_CHARS, verifyPassword } from '@yuqing/core';
import {
  appendAudit,
  createSession,
  deleteExpiredSessions,
  deleteSession,
  findUserByUsername,
  setUserPasswordAudited,
} from '@yuqing/db';
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
import { safeNextPath } from '../auth/safe-next.ts';
import { assertPasswordPolicy } from './users.ts';
import { clientIp, sessionOf, type DashboardContext } from '../context.ts';
import { ALL_ROLES, ROLES } from '../auth/roles.ts';
import type { Role } from '@yuqing/db';
import { ROLE_LABELS } from '@yuqing/domain';

/** What the role may do, from the same lists the API enforces (the UI only hides what the API would refuse). */
export function permissionsOf(role: Role): Record<keyof typeof ROLES, boolean> {
  return Object.fromEntries(
    Object.entries(ROLES).map(([k, roles]) => [k, (roles as readonly Role[]).includes(role)]),
  ) as Record<keyof typeof ROLES, boolean>;
}

const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD_CHARS),
  next: z.string().max(4096).optional().describe('where the login page was sent from; answered back only if safe'),
});
const passwordChangeBody = z.object({
  currentPassword: z.string().min(1).max(MAX_PASSWORD_CHARS),
  newPassword: z.string().min(1).max(MAX_PASSWORD_CHARS),
});

/**
 * Applies the throttle's decision for one attempt: 429 while the account is locked (one audit row per lock, not
 * per refused attempt), otherwise waits the address's delay before the password is checked.
 */
async function applyThrottle(
  throttle: LoginThrottle,
  ctx: DashboardContext,
  req: Request,
  res: Response,
  username: string,
): Promise<void> {
  const ip = clientIp(req) ?? 'unknown';
  const decision = throttle.check(ip, username, ctx.clock.now().getTime());
  if (decision.refuseMs > 0) {
    if (decision.audit) {
      await appendAudit(ctx.db, {
        actorId: null,
        ip,
        action: 'auth.login-throttled',
        entityType: 'user',
        details: { ...decision.audit },
      });
    }
    res.setHeader('Retry-After', String(Math.ceil(decision.refuseMs / 1000)));
    throw new HttpError(
      429,
      'LOGIN_THROTTLED',
      `登录失败次数过多，请 ${Math.ceil(decision.refuseMs / 60000)} 分钟后再试 (too many failed logins)`,
    );
  }
  if (decision.delayMs > 0) await sleep(decision.delayMs);
}

/** Starts a fresh session for `userId` (ending the one the browser brought) and sets its cookie. */
async function startSession(ctx: DashboardContext, req: Request, res: Response, userId: number): Promise<string> {
  const previous = readCookie(req, SESSION_COOKIE);
  if (previous) await deleteSession(ctx.db, sessionIdFor(previous));
  const { token, id } = newSessionToken();
  const csrfToken = newCsrfToken();
  await createSession(ctx.db, {
    id,
    userId,
    csrfToken,
    expiresAt: new Date(ctx.clock.now().getTime() + SESSION_IDLE_MS),
  });
  setSessionCookie(res, ctx, token);
  return csrfToken;
}

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
        await applyThrottle(throttle, ctx, req, res, body.username);
        const now = ctx.clock.now();
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
        const csrfToken = await startSession(ctx, req, res, user.id);
        // Logins are rare enough to carry the housekeeping: drop sessions that expired (indexed on expiresAt).
        await deleteExpiredSessions(ctx.db, now);
        await appendAudit(ctx.db, {
          actorId: user.id,
          ip,
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
        });
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
          next: safeNextPath(body.next, ctx.config.publicUrl),
        });
      },
    }),
    route({
      method: 'post',
      path: '/auth/password',
      tag: 'auth',
      roles: ALL_ROLES,
      body: passwordChangeBody,
      summary:
        'Change your own password (current password required; the password policy applies). Ends all your sessions and starts a new one; returns the new CSRF token.',
      raw: true,
      handler: async ({ req, res, ctx, body, session, actor }) => {
        const username = session.user.username;
        // Wrong current passwords count against the account like failed logins: a stolen session cannot guess it.
        await applyThrottle(throttle, ctx, req, res, username);
        const user = await findUserByUsername(ctx.db, username);
        if (!user || !user.active) throw new HttpError(401, 'UNAUTHENTICATED', '请先登录 (login required)');
        if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
          throttle.recordFailure(clientIp(req) ?? 'unknown', username, ctx.clock.now().getTime());
          await appendAudit(ctx.db, {
            ...actor,
            action: 'auth.password-change-failed',
            entityType: 'user',
            entityId: user.id,
            details: { reason: 'wrong current password' },
          });
          throw new HttpError(400, 'CURRENT_PASSWORD_WRONG', '当前密码不正确 (current password is wrong)');
        }
        if (body.newPassword === body.currentPassword)
          throw new HttpError(400, 'PASSWORD_POLICY', '新密码不能与当前密码相同 (new password equals the current one)');
        assertPasswordPolicy(body.newPassword, username);
        throttle.recordSuccess(clientIp(req) ?? 'unknown', username);
        // Ends every session of the user (a thief's too), then this browser gets a fresh one.
        await setUserPasswordAudited(ctx.db, user.id, await hashPassword(body.newPassword), actor);
        const csrfToken = await startSession(ctx, req, res, user.id);
        res.json({ ok: true, csrfToken });
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
