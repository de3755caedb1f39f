// The report API at /api/reports: periodic reports (周报/月报/季报/年报) and the 专报 of one issue, as .docx
// downloads and as an HTML preview of the e-mail. Content and rendering come from @yuqing/digest; HTTP only here.
import { z } from 'zod';
import { errorCode } from '@yuqing/core';
import {
  lastCompleteReportPeriod,
  parseReportPeriod,
  prepareIssueReport,
  preparePeriodicReport,
  REPORT_PERIOD_KINDS,
  type ReportPeriod,
} from '@yuqing/digest';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';
import type { DashboardContext } from '../context.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const periodQuery = z.object({
  period: z.enum(REPORT_PERIOD_KINDS, { error: 'period 应为 week、month、quarter、year 之一' }),
  key: z
    .string()
    .trim()
    .max(16)
    .optional()
    .describe('2026-W48, 2026-11, 2026-Q4 or 2026; default: the last complete period in the configured time zone'),
});

/** The period asked for, or the last complete one; a period that has not started is refused. */
function periodOf(ctx: DashboardContext, query: z.output<typeof periodQuery>): ReportPeriod {
  let period: ReportPeriod;
  try {
    period = query.key
      ? parseReportPeriod(query.period, query.key, ctx.config.timeZone)
      : lastCompleteReportPeriod(query.period, ctx.clock.now(), ctx.config.timeZone);
  } catch (error) {
    if (errorCode(error) === 'USAGE') throw new HttpError(400, 'INVALID_PERIOD', '报告周期格式不正确');
    throw error;
  }
  if (period.start.getTime() > ctx.clock.now().getTime())
    throw new HttpError(400, 'INVALID_PERIOD', '报告周期尚未开始');
  return period;
}

/** `attachment; filename*=` with the Chinese name, as Express's res.attachment writes it. */
function sendDocx(res: Parameters<RouteSpec['handler']>[0]['res'], fileName: string, docx: Buffer): void {
  res.setHeader('Content-Type', DOCX_TYPE);
  res.attachment(fileName);
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(docx);
}

/** The e-mail HTML with each cid: chart replaced by a data: URI, since a browser cannot resolve cid: links. */
function previewHtml(email: { html: string; images: Array<{ cid: string; png: Buffer }> }): string {
  let html = email.html;
  for (const image of email.images)
    html = html.split(`cid:${image.cid}`).join(`data:image/png;base64,${image.png.toString('base64')}`);
  return html;
}

export const reportRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/reports/periodic.docx',
    tag: 'reports',
    roles: ROLES.reports,
    query: periodQuery,
    produces: DOCX_TYPE,
    raw: true,
    summary:
      'A 周报/月报/季报/年报 as .docx: statistics by category and level, responses, time to first response, against the previous period.',
    handler: async ({ ctx, query, res }) => {
      const prepared = await preparePeriodicReport(ctx.db, ctx.config, {
        period: periodOf(ctx, query),
        asOf: ctx.clock.now(),
      });
      sendDocx(res, prepared.docxFileName, prepared.docx);
    },
  }),
  route({
    method: 'get',
    path: '/reports/periodic/preview',
    tag: 'reports',
    roles: ROLES.reports,
    query: periodQuery,
    produces: 'text/html',
    raw: true,
    document: true,
    summary: 'The e-mail of a periodic report as HTML, the charts inline as data: URIs.',
    handler: async ({ ctx, query, res }) => {
      const prepared = await preparePeriodicReport(ctx.db, ctx.config, {
        period: periodOf(ctx, query),
        asOf: ctx.clock.now(),
      });
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(previewHtml(prepared.email));
    },
  }),
  route({
    method: 'get',
    path: '/reports/issues/:id/docx',
    tag: 'reports',
    roles: ROLES.reports,
    params: idParams,
    produces: DOCX_TYPE,
    raw: true,
    summary: 'The 专报 of one issue as .docx: timeline, spread and sentiment charts, key voices, the response record.',
    handler: async ({ ctx, params, res }) => {
      const prepared = await prepareIssueReport(ctx.db, ctx.config, { issueId: params.id, asOf: ctx.clock.now() });
      sendDocx(res, prepared.docxFileName, prepared.docx);
    },
  }),
  route({
    method: 'get',
    path: '/reports/issues/:id/preview',
    tag: 'reports',
    roles: ROLES.reports,
    params: idParams,
    produces: 'text/html',
    raw: true,
    document: true,
    summary: 'The e-mail of the 专报 of one issue as HTML (what `yq report --issue ID --to` sends), charts inline.',
    handler: async ({ ctx, params, res }) => {
      const prepared = await prepareIssueReport(ctx.db, ctx.config, { issueId: params.id, asOf: ctx.clock.now() });
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(previewHtml(prepared.email));
    },
  }),
];
