import { z } from 'zod';
import { auditEntityNames, listAudit } from '@yuqing/db';
import { auditDetailRows, auditEntityName, auditEntityRefs } from '@yuqing/domain';
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
    summary:
      'Audit entries newest first (beforeId pages back), each with its subject by name (`subject`) and its details as zh-CN rows (`detailRows`).',
    handler: async ({ ctx, query }) => {
      const items = await listAudit(ctx.db, { ...query, limit: query.limit + 1 });
      const page = items.slice(0, query.limit);
      const names = await auditEntityNames(ctx.db, page.flatMap(auditEntityRefs));
      return {
        items: page.map((entry) => ({
          ...entry,
          subject: auditEntityName(entry.entityType, entry.entityId, names),
          detailRows: auditDetailRows(entry, names, ctx.config.timeZone),
        })),
        nextBeforeId: items.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  }),
];
