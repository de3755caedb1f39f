import { z } from 'zod';
import { getIssue, issueRumourSpread, setIssueRumour } from '@yuqing/db';
import { MAX_RUMOUR_NOTE_CHARS, rumourProfile, rumourRebuttalTemplate, spreadSeries } from '@yuqing/domain';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';

const rumourBody = z.discriminatedUnion('rumour', [
  z.object({
    rumour: z.literal(true),
    note: z.string().trim().min(1, '请说明谣言内容 (a note is required)').max(MAX_RUMOUR_NOTE_CHARS),
  }),
  z.object({ rumour: z.literal(false) }),
]);

/** Offset of the bureau's zone from UTC in minutes at `at` (day buckets start at local midnight). */
function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const local = new Date(at.toLocaleString('en-US', { timeZone }));
  const utc = new Date(at.toLocaleString('en-US', { timeZone: 'UTC' }));
  return Math.round((local.getTime() - utc.getTime()) / 60_000);
}

/** 辟谣: mark an issue as a rumour, the rebuttal template, and how the rumour and the notice spread. */
export const rumourRoutes: RouteSpec[] = [
  route({
    method: 'put',
    path: '/issues/:id/rumour',
    tag: 'issues',
    roles: ROLES.rumour,
    params: idParams,
    body: rumourBody,
    summary:
      'Mark the issue as a rumour with a note ({rumour: true, note}) or clear the mark ({rumour: false}); audited as issue.rumour / issue.rumour-clear. Clustering never changes it.',
    handler: async ({ ctx, params, body, session, actor }) =>
      setIssueRumour(
        ctx.db,
        params.id,
        { rumour: body.rumour, note: body.rumour ? body.note : null, userId: session.user.id, now: ctx.clock.now() },
        actor,
      ),
  }),
  route({
    method: 'get',
    path: '/issues/:id/rumour-template',
    tag: 'issues',
    roles: ROLES.draft,
    params: idParams,
    summary: 'The 辟谣 notice template for the issue (【事实】【依据】【权威来源】【联系方式】).',
    handler: async ({ ctx, params }) => {
      const issue = await getIssue(ctx.db, params.id);
      if (!issue) throw new HttpError(404, 'NOT_FOUND', `议题 ${params.id} 不存在 (not found)`);
      return { body: rumourRebuttalTemplate({ issueTitle: issue.title, note: issue.rumourNote }) };
    },
  }),
  route({
    method: 'get',
    path: '/issues/:id/rumour-spread',
    tag: 'issues',
    roles: ROLES.read,
    params: idParams,
    query: z.object({ bucket: z.enum(['hour', 'day']).default('hour') }),
    summary:
      "How the rumour and its published 辟谣 notices spread, side by side, per hour or day. The rumour: the issue's posts, plus posts filed elsewhere (another issue or none) since its first post that repeat it (character-bigram overlap ≥ 0.5 with its title, the analyst's note or one of its 50 earliest posts). Citing: later posts of the issue with 辟谣/官方回应/不实 … or the notice title, plus posts filed elsewhere that name the notice title, or use such a word and overlap the rumour ≥ 0.25.",
    handler: async ({ ctx, params, query }) => {
      const found = await issueRumourSpread(ctx.db, params.id);
      if (!found) throw new HttpError(404, 'NOT_FOUND', `议题 ${params.id} 不存在 (not found)`);
      const offset = zoneOffsetMinutes(ctx.config.timeZone, ctx.clock.now());
      // The rumour's own words: its title, the analyst's note and its earliest posts.
      const earliest = [...found.posts].sort((a, b) => a.at.getTime() - b.at.getTime()).map((p) => p.text);
      const profile = rumourProfile([found.issue.title, found.issue.rumourNote ?? '', ...earliest]);
      const series = spreadSeries(found.posts, found.notices, query.bucket, offset, { posts: found.outside, profile });
      const sum = (key: 'mentions' | 'repeats' | 'citing' | 'citingOutside') =>
        series.points.reduce((n, p) => n + p[key], 0);
      return {
        issue: found.issue,
        notices: found.notices,
        bucket: series.bucket,
        points: series.points,
        totals: {
          mentions: sum('mentions'),
          repeats: sum('repeats'),
          citing: sum('citing'),
          citingOutside: sum('citingOutside'),
        },
      };
    },
  }),
];
