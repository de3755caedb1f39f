import { z } from 'zod';
import { getMention, hotListHistory, listCategories, listMentions } from '@yuqing/db';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';
import { MAX_QUERY_CHARS, queryTokenSets } from '../search-query.ts';
import { isoDate, optionalText, positiveInt } from './query-schemas.ts';

const mentionQuery = z.object({
  q: optionalText(MAX_QUERY_CHARS).describe('Chinese full-text search (all words must occur)'),
  sourceId: positiveInt.optional(),
  category: optionalText(50),
  sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
  relevant: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  issueId: positiveInt.optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  beforeId: positiveInt.optional().describe('keyset cursor: nextBeforeId of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Mentions: the thin slice's list, filters, full-text search, one mention. */
export const mentionRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/mentions',
    tag: 'mentions',
    roles: ROLES.read,
    query: mentionQuery,
    summary: 'Mentions newest first with filters and Chinese full-text search; keyset pagination via beforeId.',
    handler: async ({ ctx, query }) => {
      const { q, ...filters } = query;
      const searchTokenSets = q ? queryTokenSets(q) : [];
      const page = await listMentions(ctx.db, { ...filters, searchTokenSets });
      return { ...page, searchTokenSets };
    },
  }),
  route({
    method: 'get',
    path: '/mentions/:id',
    tag: 'mentions',
    roles: ROLES.read,
    params: idParams,
    summary:
      'One mention with its latest analysis; a platform hot-list entry also has `hotList`: platform, best rank, ' +
      'highest heat and its rank history (every poll of the list, oldest first).',
    handler: async ({ ctx, params }) => {
      const mention = await getMention(ctx.db, params.id);
      if (!mention) throw new HttpError(404, 'NOT_FOUND', `提及 ${params.id} 不存在`);
      if (!mention.hotListPlatform || !mention.hotListKey || mention.sourceId === null) return mention;
      const history = await hotListHistory(ctx.db, { sourceId: mention.sourceId, entryKey: mention.hotListKey });
      return {
        ...mention,
        hotList: { platform: mention.hotListPlatform, rank: mention.hotListRank, heat: mention.hotListHeat, history },
      };
    },
  }),
  route({
    method: 'get',
    path: '/categories',
    tag: 'mentions',
    roles: ROLES.read,
    summary: 'Categories in use (for filter menus).',
    handler: async ({ ctx }) => ({ categories: await listCategories(ctx.db) }),
  }),
];
