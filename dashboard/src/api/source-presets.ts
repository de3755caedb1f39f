import { z } from 'zod';
import { createSourceAudited } from '@yuqing/db';
import {
  cronScheduleSchema,
  maskSourceConfig,
  presetSourceOrIssues,
  sourceCommonFields,
  sourcePresetCatalog,
  sourceRowFromDefinition,
} from '@yuqing/domain';
import { HttpError } from '../http/errors.ts';
import { route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';

const fromPresetBody = z
  .object({
    preset: z.string().trim().min(1).max(100).describe('preset name, e.g. weibo-search'),
    params: z
      .record(z.string(), z.string().max(4000))
      .default({})
      .describe("the preset's parameters by key (see GET /api/sources/presets)"),
    name: z.string().trim().min(1).max(100).optional(),
    region: sourceCommonFields.region.unwrap().optional(),
    schedule: cronScheduleSchema.optional(),
    dryRun: z.boolean().optional().describe('only check the parameters and show the source; nothing is saved'),
  })
  .strict();

/**
 * Source presets for the 信源 form: the catalog (its fields are generated from each preset's params) and a source
 * built from a preset, checked before it is saved. Mounted before the `/sources/:id` routes, whose `:id` would
 * otherwise take `presets`.
 */
export const sourcePresetRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/sources/presets',
    tag: 'sources',
    roles: ROLES.admin,
    summary: 'Source presets (微博 search, 微博 user …) with their parameters, labels and help in zh-CN.',
    handler: async () => ({ items: sourcePresetCatalog() }),
  }),
  route({
    method: 'post',
    path: '/sources/from-preset',
    tag: 'sources',
    roles: ROLES.admin,
    body: fromPresetBody,
    summary:
      'Add a source from a preset and its parameters (with dryRun: check and preview only). A bad parameter is a 400 naming it (params.uid). Secrets are masked in the answer.',
    handler: async ({ ctx, body, actor }) => {
      const built = presetSourceOrIssues(body.preset, body.params);
      if (!built.definition)
        throw new HttpError(
          400,
          built.issues[0]!.code,
          built.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '),
        );
      const row = sourceRowFromDefinition({
        ...built.definition,
        ...(body.name ? { name: body.name } : {}),
        ...(body.region ? { region: body.region } : {}),
        ...(body.schedule ? { schedule: body.schedule } : {}),
      });
      if (body.dryRun) return { created: false, source: { ...row, config: maskSourceConfig(row.config) } };
      const source = await createSourceAudited(ctx.db, row, actor);
      return { created: true, source: { ...source, config: maskSourceConfig(source.config) } };
    },
  }),
];
