import { z } from 'zod';
import { allowedIssueActions, CLOSED_ISSUE_STATUSES } from '@yuqing/domain';
import {
  assignIssue,
  confirmIssue,
  dismissIssue,
  getIssue,
  issueClassification,
  issueHotnessHistory,
  issueTimeline,
  labelMention,
  listIssues,
  mergeIssues,
  setIssueCategory,
  setIssueLevel,
  setIssueTitle,
  splitIssue,
  type Issue,
} from '@yuqing/db';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';
import { MAX_QUERY_CHARS, queryTokenSets } from '../search-query.ts';
import { csvOf, isoDate, optionalText, positiveInt } from './query-schemas.ts';

const STATUSES = ['new', 'confirmed', 'dismissed', 'responding', 'resolved', 'merged'] as const;
const LEVELS = ['none', 'general', 'major', 'severe'] as const;

/** An issue is overdue when its deadline passed and nobody closed it. */
export function isOverdue(issue: Pick<Issue, 'deadlineAt' | 'status'>, now: Date): boolean {
  return issue.deadlineAt !== null && issue.deadlineAt < now && !CLOSED_ISSUE_STATUSES.includes(issue.status);
}

const issueQuery = z.object({
  status: csvOf(STATUSES).optional().describe('comma-separated: new,confirmed,dismissed,responding,resolved,merged'),
  level: csvOf(LEVELS).optional().describe('comma-separated: none,general,major,severe'),
  category: optionalText(50),
  since: isoDate.optional(),
  until: isoDate.optional(),
  sourceId: positiveInt.optional(),
  assigneeId: positiveInt.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: optionalText(MAX_QUERY_CHARS).describe("full-text search over the issues' mentions"),
  sort: z.enum(['recent', 'hot']).default('recent'),
  cursor: optionalText(80),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The status the analyst saw: a decision on a state another analyst has changed meanwhile is refused (409). */
const expectedStatus = z
  .enum(STATUSES)
  .optional()
  .describe('status the decision was taken on; 409 CONFLICT when the issue has moved on');
const reasonBody = z.object({ reason: z.string().trim().min(1).max(500), expectedStatus });
const mergeBody = z.object({
  issueIds: z.array(z.number().int().positive()).min(1).max(50).describe('issues merged INTO this one'),
});
const splitBody = z.object({
  mentionIds: z.array(z.number().int().positive()).min(1).max(1000),
  title: z.string().trim().min(1).max(200),
});
const assignBody = z.object({ assigneeId: z.number().int().positive().nullable() });
const levelBody = z.object({ level: z.enum(LEVELS) });
const confirmBody = z.object({
  level: z
    .enum(LEVELS)
    .optional()
    .describe('level to confirm at; default the suggested level, else general (none also means the default)'),
  expectedStatus,
});
const titleBody = z.object({ title: z.string().trim().min(1).max(200) });
const categoryBody = z.object({ category: z.string().trim().min(1).max(50) });
const labelBody = z
  .object({ task: z.enum(['category', 'sentiment', 'relevance']), label: z.string().trim().min(1).max(50) })
  .refine(
    (b) =>
      b.task === 'sentiment'
        ? ['negative', 'neutral', 'positive'].includes(b.label)
        : b.task === 'relevance'
          ? ['relevant', 'irrelevant'].includes(b.label)
          : true,
    { message: 'sentiment labels: negative|neutral|positive; relevance labels: relevant|irrelevant' },
  );

/** Issues: list, detail (timeline, hotness, classification) and triage actions. */
export const issueRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/issues',
    tag: 'issues',
    roles: ROLES.read,
    query: issueQuery,
    summary:
      'Issues with filters (status, level, category, time, source, assignee, overdue, full-text); keyset pagination via cursor.',
    handler: async ({ ctx, query }) => {
      const now = ctx.clock.now();
      const { q, overdue, ...filters } = query;
      const searchTokenSets = q ? queryTokenSets(q) : [];
      const page = await listIssues(ctx.db, {
        ...filters,
        ...(overdue === 'true' ? { overdueAt: now } : {}),
        searchTokenSets,
      });
      return { items: page.items.map((i) => ({ ...i, overdue: isOverdue(i, now) })), nextCursor: page.nextCursor };
    },
  }),
  route({
    method: 'get',
    path: '/issues/:id',
    tag: 'issues',
    roles: ROLES.read,
    params: idParams,
    summary: 'One issue with flags, responses, overdue marking and the actions its status allows (allowedActions).',
    handler: async ({ ctx, params }) => {
      const issue = await getIssue(ctx.db, params.id);
      if (!issue) throw new HttpError(404, 'NOT_FOUND', `议题 ${params.id} 不存在`);
      return { ...issue, overdue: isOverdue(issue, ctx.clock.now()), allowedActions: allowedIssueActions(issue) };
    },
  }),
  route({
    method: 'get',
    path: '/issues/:id/timeline',
    tag: 'issues',
    roles: ROLES.read,
    params: idParams,
    query: z.object({ afterId: positiveInt.optional() }),
    summary: 'Mentions of the issue in time order with reposts folded under the first.',
    handler: async ({ ctx, params, query }) => issueTimeline(ctx.db, params.id, query),
  }),
  route({
    method: 'get',
    path: '/issues/:id/hotness',
    tag: 'issues',
    roles: ROLES.read,
    params: idParams,
    summary: 'Hotness history (oldest first).',
    handler: async ({ ctx, params }) => ({ points: await issueHotnessHistory(ctx.db, params.id) }),
  }),
  route({
    method: 'get',
    path: '/issues/:id/classification',
    tag: 'issues',
    roles: ROLES.read,
    params: idParams,
    summary: 'Category/sentiment distribution and the tokens that drove the decisions.',
    handler: async ({ ctx, params }) => issueClassification(ctx.db, params.id),
  }),
  route({
    method: 'post',
    path: '/issues/:id/confirm',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: confirmBody,
    summary:
      'Confirm the issue (new or dismissed) at a level (default: the suggested level, else general); the level sets the response deadline.',
    handler: async ({ ctx, params, body, actor }) =>
      confirmIssue(ctx.db, params.id, actor, {
        now: ctx.clock.now(),
        level: body.level,
        expectedStatus: body.expectedStatus,
      }),
  }),
  route({
    method: 'post',
    path: '/issues/:id/dismiss',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: reasonBody,
    summary: 'Dismiss the issue (new, confirmed or responding) with a reason.',
    handler: async ({ ctx, params, body, actor }) =>
      dismissIssue(ctx.db, params.id, body.reason, actor, { expectedStatus: body.expectedStatus }),
  }),
  route({
    method: 'post',
    path: '/issues/:id/merge',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: mergeBody,
    summary: 'Merge other issues into this one.',
    handler: async ({ ctx, params, body, actor }) => mergeIssues(ctx.db, params.id, body.issueIds, actor),
  }),
  route({
    method: 'post',
    path: '/issues/:id/split',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: splitBody,
    status: 201,
    summary: 'Split mentions off into a new issue.',
    handler: async ({ ctx, params, body, actor }) => splitIssue(ctx.db, params.id, body.mentionIds, body.title, actor),
  }),
  route({
    method: 'post',
    path: '/issues/:id/assign',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: assignBody,
    summary: 'Assign the issue to a user (null clears).',
    handler: async ({ ctx, params, body, actor }) => assignIssue(ctx.db, params.id, body.assigneeId, actor),
  }),
  route({
    method: 'post',
    path: '/issues/:id/level',
    tag: 'triage',
    roles: ROLES.setLevel,
    params: idParams,
    body: levelBody,
    summary: 'Set the level; sets the response deadline (severe 24 h, major 48 h, general 72 h).',
    handler: async ({ ctx, params, body, actor }) =>
      setIssueLevel(ctx.db, params.id, body.level, ctx.clock.now(), actor),
  }),
  route({
    method: 'post',
    path: '/issues/:id/title',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: titleBody,
    summary: "Set the issue's title by hand (clustering keeps it from then on).",
    handler: async ({ ctx, params, body, actor }) => setIssueTitle(ctx.db, params.id, body.title, actor),
  }),
  route({
    method: 'post',
    path: '/issues/:id/category',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: categoryBody,
    summary: "Correct the issue's category.",
    handler: async ({ ctx, params, body, actor }) => setIssueCategory(ctx.db, params.id, body.category, actor),
  }),
  route({
    method: 'post',
    path: '/mentions/:id/labels',
    tag: 'triage',
    roles: ROLES.triage,
    params: idParams,
    body: labelBody,
    status: 201,
    summary: "Correct a mention's category, sentiment or relevance (stored as a training label).",
    handler: async ({ ctx, params, body, actor }) => labelMention(ctx.db, params.id, body.task, body.label, actor),
  }),
];
