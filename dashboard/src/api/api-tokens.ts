import { newApiToken } from '@yuqing/core';
import { createApiTokenAudited, listApiTokens, revokeApiTokenAudited } from '@yuqing/db';
import { apiTokenRequestSchema } from '@yuqing/domain';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { HttpError } from '../http/errors.ts';
import { ALL_ROLES, ROLES } from '../auth/roles.ts';

const isAdmin = (role: string) => (ROLES.admin as readonly string[]).includes(role);

/** Personal API tokens: each user manages their own; admins see and revoke everyone's. */
export const apiTokenRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/api-tokens',
    tag: 'api-tokens',
    roles: ALL_ROLES,
    summary: 'Your API tokens (admins: everyone’s), newest first; never the token itself.',
    handler: async ({ ctx, session }) => ({
      items: await listApiTokens(ctx.db, isAdmin(session.user.role) ? {} : { userId: session.user.id }),
    }),
  }),
  route({
    method: 'post',
    path: '/api-tokens',
    tag: 'api-tokens',
    roles: ALL_ROLES,
    body: apiTokenRequestSchema,
    status: 201,
    summary: 'Create a token for yourself: name, scopes (read, ingest), sourceId with ingest. The token is shown once.',
    handler: async ({ ctx, body, session, actor }) => {
      // A push token writes a source's mentions: only those who manage sources may make one.
      if (body.scopes.includes('ingest') && !(ROLES.sources as readonly string[]).includes(session.user.role))
        throw new HttpError(403, 'FORBIDDEN', '只有信源管理者可以创建推送令牌 (ingest tokens: analysts and admins)');
      const { token, hash, prefix } = newApiToken();
      const item = await createApiTokenAudited(
        ctx.db,
        {
          userId: session.user.id,
          name: body.name,
          prefix,
          tokenHash: hash,
          scopes: body.scopes,
          sourceId: body.sourceId ?? null,
        },
        actor,
      );
      return { token, item };
    },
  }),
  route({
    method: 'delete',
    path: '/api-tokens/:id',
    tag: 'api-tokens',
    roles: ALL_ROLES,
    params: idParams,
    summary: 'Revoke a token (your own; admins any).',
    handler: async ({ ctx, params, session, actor }) => ({
      item: await revokeApiTokenAudited(
        ctx.db,
        params.id,
        { at: ctx.clock.now(), ...(isAdmin(session.user.role) ? {} : { ownerId: session.user.id }) },
        actor,
      ),
    }),
  }),
];
