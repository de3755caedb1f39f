import { z } from 'zod';
import {
  auditSourceTestRun,
  createSchemeAudited,
  createSourceAudited,
  deleteSchemeAudited,
  deleteSourceAudited,
  getSourceById,
  listCrawlRuns,
  listMentions,
  listMonitoringSchemes,
  listSourcesWithHealth,
  updateSchemeAudited,
  updateSourceAudited,
} from '@yuqing/db';
import {
  cronScheduleSchema,
  httpUrlSchema,
  schemeRuleSchema,
  sourceCommonFields,
  sourceConfigFields,
  sourceConfigIssues,
  SOURCE_KIND_LABELS,
  SOURCE_KINDS,
  type SourceKind,
} from '@yuqing/domain';
import type { DashboardContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';

// Sources and schemes are validated with the same schemas the crawlers and the pipeline read them with
// (@yuqing/domain): a config the crawler would refuse is a 400 naming the field, not a failed crawl later.
const sourceFieldsBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(SOURCE_KINDS),
    url: httpUrlSchema.pipe(z.string().max(2000)),
    schedule: cronScheduleSchema.optional(),
    enabled: z.boolean().optional(),
    respectRobots: z.boolean().optional(),
    weight: sourceCommonFields.weight.unwrap().optional(),
    region: sourceCommonFields.region.unwrap().nullable().optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('kind-specific settings (selectors, field mapping, pagination, limits)'),
  })
  // Unknown fields are refused, not dropped: a misspelt field must not look accepted.
  .strict();
const sourceBody = sourceFieldsBody.superRefine((body, ctx) => {
  for (const issue of sourceConfigIssues(body.kind, body.config)) ctx.addIssue({ ...issue } as z.core.$ZodRawIssue);
});
const sourcePatch = sourceFieldsBody.partial();

/** A patch's config is checked against the source's kind after the patch (either may change). */
async function checkPatchedConfig(
  ctx: DashboardContext,
  id: number,
  patch: z.output<typeof sourcePatch>,
): Promise<void> {
  if (patch.config === undefined && patch.kind === undefined) return;
  const source = await getSourceById(ctx.db, id);
  if (!source) throw new HttpError(404, 'NOT_FOUND', `信源 ${id} 不存在`);
  const issues = sourceConfigIssues(patch.kind ?? (source.kind as SourceKind), patch.config ?? source.config);
  if (issues.length > 0) throw new z.ZodError(issues);
}

const schemeBody = z.object({
  name: z.string().trim().min(1).max(100),
  rule: schemeRuleSchema.describe(
    '地域词 AND 事件词 NOT 排除词: {"all": [["海淀","朝阳"], "欠薪|拖欠工资"], "any": […], "not": ["招聘"]}',
  ),
  tags: z.array(z.string().trim().min(1).max(30)).max(20).optional(),
  enabled: z.boolean().optional(),
});

/** Sources and monitoring schemes: CRUD, enable/disable, test-run, recent runs and errors, preview. */
export const sourceRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/sources',
    tag: 'sources',
    roles: ROLES.read,
    summary: 'Sources with last run, error, blocked reason and failures in the last 24 h.',
    handler: async ({ ctx }) => ({ items: await listSourcesWithHealth(ctx.db, ctx.clock.now()) }),
  }),
  route({
    method: 'get',
    path: '/source-kinds',
    tag: 'sources',
    roles: ROLES.read,
    summary: "Each source kind with its config form's fields (from the kind's config schema) in zh-CN.",
    handler: async () => ({
      items: SOURCE_KINDS.map((kind) => ({ kind, label: SOURCE_KIND_LABELS[kind], fields: sourceConfigFields(kind) })),
    }),
  }),
  route({
    method: 'post',
    path: '/sources',
    tag: 'sources',
    roles: ROLES.sources,
    body: sourceBody,
    status: 201,
    summary: 'Add a source.',
    handler: async ({ ctx, body, actor }) => createSourceAudited(ctx.db, body, actor),
  }),
  route({
    method: 'get',
    path: '/sources/:id',
    tag: 'sources',
    roles: ROLES.read,
    params: idParams,
    summary: 'One source with its recent runs and a preview of its latest mentions.',
    handler: async ({ ctx, params }) => {
      const source = await getSourceById(ctx.db, params.id);
      if (!source) throw new HttpError(404, 'NOT_FOUND', `信源 ${params.id} 不存在`);
      const [runs, preview] = await Promise.all([
        listCrawlRuns(ctx.db, params.id, { limit: 20 }),
        listMentions(ctx.db, { sourceId: params.id, limit: 10 }),
      ]);
      return { source, runs, preview: preview.items };
    },
  }),
  route({
    method: 'patch',
    path: '/sources/:id',
    tag: 'sources',
    roles: ROLES.sources,
    params: idParams,
    body: sourcePatch,
    summary: 'Change a source (enable/disable with {enabled}).',
    handler: async ({ ctx, params, body, actor }) => {
      await checkPatchedConfig(ctx, params.id, body);
      return updateSourceAudited(ctx.db, params.id, body, actor);
    },
  }),
  route({
    method: 'delete',
    path: '/sources/:id',
    tag: 'sources',
    roles: ROLES.sources,
    params: idParams,
    summary: 'Delete a source (its mentions stay).',
    handler: async ({ ctx, params, actor }) => {
      await deleteSourceAudited(ctx.db, params.id, actor);
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: '/sources/:id/test-run',
    tag: 'sources',
    roles: ROLES.sources,
    params: idParams,
    status: 202,
    summary: "Enqueue a test crawl ('crawl-source' with trigger 'test'); see its run under GET /sources/:id.",
    handler: async ({ ctx, params, actor }) => {
      const source = await getSourceById(ctx.db, params.id);
      if (!source) throw new HttpError(404, 'NOT_FOUND', `信源 ${params.id} 不存在`);
      const jobId = await ctx.queues.add(
        'crawl-source',
        { sourceId: source.id, trigger: 'test' },
        { jobId: `test-${source.id}-${ctx.clock.now().getTime()}`, attempts: 1 },
      );
      await auditSourceTestRun(ctx.db, source.id, jobId, actor);
      return { queued: true, jobId };
    },
  }),
  route({
    method: 'get',
    path: '/schemes',
    tag: 'schemes',
    roles: ROLES.read,
    summary: 'Monitoring schemes.',
    handler: async ({ ctx }) => ({ items: await listMonitoringSchemes(ctx.db) }),
  }),
  route({
    method: 'post',
    path: '/schemes',
    tag: 'schemes',
    roles: ROLES.sources,
    body: schemeBody,
    status: 201,
    summary: 'Add a monitoring scheme.',
    handler: async ({ ctx, body, actor }) => createSchemeAudited(ctx.db, body, actor),
  }),
  route({
    method: 'patch',
    path: '/schemes/:id',
    tag: 'schemes',
    roles: ROLES.sources,
    params: idParams,
    body: schemeBody.partial(),
    summary: 'Change a monitoring scheme (enable/disable with {enabled}).',
    handler: async ({ ctx, params, body, actor }) => updateSchemeAudited(ctx.db, params.id, body, actor),
  }),
  route({
    method: 'delete',
    path: '/schemes/:id',
    tag: 'schemes',
    roles: ROLES.sources,
    params: idParams,
    summary: 'Delete a monitoring scheme.',
    handler: async ({ ctx, params, actor }) => {
      await deleteSchemeAudited(ctx.db, params.id, actor);
      return { ok: true };
    },
  }),
];
