import { z } from 'zod';
import { checkPasswordPolicy, generatePassword, hashPassword, MAX_PASSWORD_CHARS } from '@yuqing/core';
import { createUserAudited, findUserById, listUsers, setUserPasswordAudited, updateUserAudited } from '@yuqing/db';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';

const ROLE_VALUES = ['analyst', 'spokesperson', 'leader', 'admin'] as const;

/** Refuses a password the policy of @yuqing/core refuses (length, username, common, runs), naming why. */
export function assertPasswordPolicy(password: string, username: string): void {
  const problems = checkPasswordPolicy(password, { username });
  if (problems.length > 0)
    throw new HttpError(
      400,
      'PASSWORD_POLICY',
      `${problems.map((p) => p.message).join('；')} (password policy: ${problems.map((p) => p.code).join(', ')})`,
    );
}

const createBody = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'),
  displayName: z.string().trim().min(1).max(64),
  email: z
    .string()
    .trim()
    .max(200)
    .pipe(z.email({ pattern: z.regexes.html5Email }))
    .nullable()
    .optional(),
  role: z.enum(ROLE_VALUES),
  password: z
    .string()
    .min(1)
    .max(MAX_PASSWORD_CHARS)
    .optional()
    .describe('omitted: a password is generated and returned once; given: the password policy applies'),
});
const updateBody = z.object({
  displayName: z.string().trim().min(1).max(64).optional(),
  email: z
    .string()
    .trim()
    .max(200)
    .pipe(z.email({ pattern: z.regexes.html5Email }))
    .nullable()
    .optional(),
  role: z.enum(ROLE_VALUES).optional(),
  active: z.boolean().optional(),
});
const passwordBody = z.object({ password: z.string().min(1).max(MAX_PASSWORD_CHARS).optional() });

/**
 * Users (the list is readable by everyone for assignment menus; changes are admin-only). E-mail addresses are
 * personal data the menus do not need: only admins see them.
 */
export const userRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/users',
    tag: 'users',
    roles: ROLES.read,
    query: z.object({ activeOnly: z.enum(['true', 'false']).optional() }),
    summary: 'Users (no password hashes; e-mail addresses for admins only).',
    handler: async ({ ctx, query, session }) => {
      const users = await listUsers(ctx.db, { activeOnly: query.activeOnly === 'true' });
      const isAdmin = (ROLES.admin as readonly string[]).includes(session.user.role);
      return { items: isAdmin ? users : users.map(({ email: _email, ...rest }) => rest) };
    },
  }),
  route({
    method: 'post',
    path: '/users',
    tag: 'users',
    roles: ROLES.admin,
    body: createBody,
    status: 201,
    summary: 'Create a user; a generated password is returned once when none is given.',
    handler: async ({ ctx, body, actor }) => {
      if (body.password !== undefined) assertPasswordPolicy(body.password, body.username);
      const password = body.password ?? generatePassword();
      const user = await createUserAudited(
        ctx.db,
        {
          username: body.username,
          displayName: body.displayName,
          email: body.email ?? null,
          role: body.role,
          passwordHash: await hashPassword(password),
        },
        actor,
      );
      return { user, ...(body.password ? {} : { generatedPassword: password }) };
    },
  }),
  route({
    method: 'patch',
    path: '/users/:id',
    tag: 'users',
    roles: ROLES.admin,
    params: idParams,
    body: updateBody,
    summary: "Change role, name, e-mail or active flag (ends the user's sessions on role change or deactivation).",
    handler: async ({ ctx, params, body, session, actor }) => {
      if (params.id === session.user.id && (body.active === false || (body.role && body.role !== 'admin'))) {
        throw new HttpError(409, 'CONFLICT', '不能停用自己或取消自己的管理员角色 (cannot lock yourself out)');
      }
      if (!(await findUserById(ctx.db, params.id))) throw new HttpError(404, 'NOT_FOUND', `用户 ${params.id} 不存在`);
      return updateUserAudited(ctx.db, params.id, body, actor);
    },
  }),
  route({
    method: 'post',
    path: '/users/:id/password',
    tag: 'users',
    roles: ROLES.admin,
    params: idParams,
    body: passwordBody,
    summary: "Reset a password (generated when omitted, returned once); ends the user's sessions.",
    handler: async ({ ctx, params, body, actor }) => {
      const user = await findUserById(ctx.db, params.id);
      if (!user) throw new HttpError(404, 'NOT_FOUND', `用户 ${params.id} 不存在`);
      if (body.password !== undefined) assertPasswordPolicy(body.password, user.username);
      const password = body.password ?? generatePassword();
      await setUserPasswordAudited(ctx.db, params.id, await hashPassword(password), actor);
      return body.password ? { ok: true } : { ok: true, generatedPassword: password };
    },
  }),
];
