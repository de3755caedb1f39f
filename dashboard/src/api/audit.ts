import { z } from 'zod';
import { listAudit } from '@yuqing/db';
import { route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';
import { optionalText, positiveInt } from './query-schemas.ts';

/** The audit log, newest first, keyset-paginated by id. */
export const auditRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/audit',
    tag: 'audit',
    roles: ROLES.audit,
    query: z.object({
      entityType: optionalText(30),
      entityId: optionalText(30),
      beforeId: positiveInt.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    summary: 'Audit entries newest first (beforeId pages back).',
    handler: async ({ ctx, query }) => {
      const items = await listAudit(ctx.db, { ...query, limit: query.limit + 1 });
      const page = items.slice(0, query.limit);
      return { items: page, nextBeforeId: items.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
    },
  }),
];
