// The digest API at /api/digests: own subscription, the sent-digest ledger (admins: everyone's, and re-send),
// the 舆情日报 .docx and the e-mail preview. Content and rendering come from @yuqing/digest; this file is HTTP only.
import { z } from 'zod';
import { dateInZone } from '@yuqing/core';
import {
  appendAudit,
  findDigestRecipient,
  findSentDigestById,
  listSentDigests,
  saveDigestSubscriptionAudited,
  type Db,
} from '@yuqing/db';
import {
  addDays,
  briefingFileName,
  effectiveSubscription,
  FULL_DIGEST_FILTER,
  isCalendarDate,
  parseReportLedgerKey,
  prepareDigest,
  renderDigestEmail,
  SEND_DIGEST_ATTEMPTS,
  SEND_DIGEST_RETRY_DELAY_MS,
  sentLedgerKindName,
  subscriptionInputSchema,
  type DigestFilter,
} from '@yuqing/digest';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';
import type { DashboardContext } from '../context.ts';

/** Earliest date a briefing can be asked for; guards against typos like 0206-11-26. */
const EARLIEST_DATE = '2000-01-01';
const SENT_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DATE_FORMAT_MESSAGE = '日期格式应为 YYYY-MM-DD';

/** A whole number in a query string; anything else counts as absent (the ledger's filters are forgiving). */
const lenientInt = z.string().regex(/^\d+$/).transform(Number).optional().catch(undefined);
/** `YYYY-MM-DD`; empty counts as absent. */
const dateQuery = z
  .string({ error: DATE_FORMAT_MESSAGE })
  .refine((v) => v === '' || isCalendarDate(v), DATE_FORMAT_MESSAGE)
  .transform((v) => v || undefined)
  .optional();
/** `mine` (the reader's subscription) or `all`; anything else means the route's default. */
const scopeQuery = z.string().optional().catch(undefined).describe('mine | all');

const sentQuery = z.object({
  userId: lenientInt.describe('admins only; others may name only themselves'),
  status: z.enum(SENT_STATUSES, { error: `status 应为 ${SENT_STATUSES.join('、')} 之一` }).optional(),
  date: dateQuery,
  limit: lenientInt,
  beforeId: lenientInt,
});
const documentQuery = z.object({
  date: dateQuery.describe('default: yesterday in the configured time zone'),
  scope: scopeQuery,
});

/** The digest routes have always answered bad dates as INVALID_DATE and other bad input as VALIDATION. */
function invalidInput(error: z.ZodError): HttpError {
  const first = error.issues[0];
  if (first?.path[0] === 'date') return new HttpError(400, 'INVALID_DATE', first.message);
  return new HttpError(400, 'VALIDATION', first?.message ?? '格式不正确');
}

/** A validated `date` or yesterday in the configured zone; refuses days before {@link EARLIEST_DATE} or after today. */
function reportDate(ctx: DashboardContext, date: string | undefined): string {
  const today = dateInZone(ctx.clock.now(), ctx.config.timeZone);
  if (date === undefined) return addDays(today, -1);
  if (date < EARLIEST_DATE || date > today) throw new HttpError(400, 'INVALID_DATE', '日期超出可查询范围');
  return date;
}

async function ownFilter(db: Db, userId: number): Promise<{ filter: DigestFilter; displayName: string }> {
  const recipient = await findDigestRecipient(db, userId);
  if (!recipient) throw new HttpError(401, 'UNAUTHENTICATED', '请先登录');
  const s = effectiveSubscription(recipient.subscription, recipient.user.role);
  return { filter: { categories: s.categories, minLevel: s.minLevel }, displayName: recipient.user.displayName };
}

/** Subscription, sent digests (+ re-send), the 舆情日报 .docx and the e-mail preview. */
export const digestRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/digests/subscription',
    tag: 'digests',
    roles: ROLES.digest,
    summary:
      "The caller's digest settings in force (saved, or the role's defaults), whether they have an e-mail address, and the time zone.",
    handler: async ({ ctx, session }) => {
      const recipient = await findDigestRecipient(ctx.db, session.user.id);
      if (!recipient) throw new HttpError(404, 'NOT_FOUND', '用户不存在');
      return {
        subscription: effectiveSubscription(recipient.subscription, recipient.user.role),
        hasEmail: Boolean(recipient.user.email),
        timeZone: ctx.config.timeZone,
      };
    },
  }),
  route({
    method: 'put',
    path: '/digests/subscription',
    tag: 'digests',
    roles: ROLES.digest,
    body: subscriptionInputSchema,
    summary: "Save the caller's digest settings; absent fields keep their current value. Audited.",
    onInvalid: (error) => {
      const first = error.issues[0];
      return new HttpError(400, 'VALIDATION', `${first?.path.join('.') || '请求'}：${first?.message ?? '格式不正确'}`);
    },
    handler: async ({ ctx, body, session, actor }) => {
      const { db } = ctx;
      const userId = session.user.id;
      const recipient = await findDigestRecipient(db, userId);
      if (!recipient) throw new HttpError(404, 'NOT_FOUND', '用户不存在');
      // The first save starts from the defaults the user saw (a leader's "everything"), not the schema's.
      const base = effectiveSubscription(recipient.subscription, recipient.user.role);
      const saved = await saveDigestSubscriptionAudited(
        db,
        userId,
        {
          enabled: body.enabled ?? base.enabled,
          sendTime: body.sendTime ?? base.sendTime,
          categories: body.categories ?? base.categories,
          minLevel: body.minLevel ?? base.minLevel,
          attachDocx: body.attachDocx ?? base.attachDocx,
          reportKinds: body.reportKinds ?? base.reportKinds,
        },
        Object.keys(body),
        { actorId: userId, ip: actor.ip },
      );
      return {
        subscription: effectiveSubscription(saved, recipient.user.role),
        hasEmail: Boolean(recipient.user.email),
        timeZone: ctx.config.timeZone,
      };
    },
  }),
  route({
    method: 'get',
    path: '/digests/sent',
    tag: 'digests',
    roles: ROLES.digest,
    query: sentQuery,
    onInvalid: invalidInput,
    summary:
      "Sent-digest ledger, newest first: the caller's own; admins everyone's (filter by userId, status, date; keyset by beforeId).",
    handler: async ({ ctx, query, session }) => {
      const user = session.user;
      const isAdmin = user.role === 'admin';
      if (query.userId !== undefined && !isAdmin && query.userId !== user.id)
        throw new HttpError(403, 'FORBIDDEN', '只能查看自己的日报发送记录');
      const userId = isAdmin ? query.userId : user.id;
      const rows = await listSentDigests(ctx.db, {
        ...(userId === undefined ? {} : { userId }),
        ...(query.status ? { status: query.status } : {}),
        ...(query.date ? { digestDate: query.date } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.beforeId ? { beforeId: query.beforeId } : {}),
      });
      return {
        items: rows.map((r) => ({
          id: r.id,
          userId: r.userId,
          user: r.user,
          digestDate: r.digestDate,
          status: r.status,
          attempts: r.attempts,
          lastError: r.lastError,
          messageId: r.messageId,
          sentAt: r.sentAt,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
        })),
      };
    },
  }),
  route({
    method: 'post',
    path: '/digests/sent/:id/resend',
    tag: 'digests',
    roles: ROLES.admin,
    params: idParams,
    status: 202,
    summary: 'Re-queue a digest or scheduled report e-mail whose retries are exhausted (status failed only). Audited.',
    onInvalid: () => new HttpError(404, 'NOT_FOUND', '发送记录不存在'),
    handler: async ({ ctx, params, actor }) => {
      const row = await findSentDigestById(ctx.db, params.id);
      if (!row) throw new HttpError(404, 'NOT_FOUND', '发送记录不存在');
      if (row.status !== 'failed') {
        // The ledger holds the daily digest and the scheduled reports alike: name what this row is.
        const kind = sentLedgerKindName(row.digestDate);
        throw new HttpError(
          409,
          'NOT_FAILED',
          row.status === 'sent' ? `该${kind}已发送，不会重复发送` : `该${kind}正在发送中`,
        );
      }
      // No job id: the scheduler's job for this day may still sit in the failed set under its id. The ledger
      // row, not the job id, is what keeps the digest to one mail.
      // The ledger holds scheduled 周报/月报/季报/年报 too (key report-week:2026-W48): those go back as a
      // send-report job.
      const report = parseReportLedgerKey(row.digestDate);
      const options = {
        attempts: SEND_DIGEST_ATTEMPTS,
        backoff: { type: 'exponential', delay: SEND_DIGEST_RETRY_DELAY_MS },
      } as const;
      const jobId = report
        ? await ctx.queues.add('send-report', { userId: row.userId, ...report }, options)
        : await ctx.queues.add('send-digest', { userId: row.userId, date: row.digestDate }, options);
      await appendAudit(ctx.db, {
        ...actor,
        action: 'digest.resend',
        entityType: 'SentDigest',
        entityId: row.id,
        details: { userId: row.userId, digestDate: row.digestDate },
      });
      return { queued: true, jobId: jobId ?? null };
    },
  }),
  route({
    method: 'get',
    path: '/digests/briefing.docx',
    tag: 'digests',
    roles: ROLES.digest,
    query: documentQuery,
    onInvalid: invalidInput,
    produces: DOCX_TYPE,
    raw: true,
    summary: "The 舆情日报 of a day as .docx: complete by default, or the caller's own selection with scope=mine.",
    handler: async ({ ctx, query, session, res }) => {
      const date = reportDate(ctx, query.date);
      // The briefing is the bureau's document of record: complete unless the reader asks for their own selection.
      const filter = query.scope === 'mine' ? (await ownFilter(ctx.db, session.user.id)).filter : FULL_DIGEST_FILTER;
      const prepared = await prepareDigest(ctx.db, ctx.config, { date, filter, asOf: ctx.clock.now(), withDocx: true });
      res.setHeader('Content-Type', DOCX_TYPE);
      res.attachment(briefingFileName(date));
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(prepared.docx);
    },
  }),
  route({
    method: 'get',
    path: '/digests/preview',
    tag: 'digests',
    roles: ROLES.digest,
    query: documentQuery,
    onInvalid: invalidInput,
    produces: 'text/html',
    raw: true,
    document: true,
    summary: "The caller's digest e-mail of a day as HTML (scope=all: every issue), the chart inline as a data: URI.",
    handler: async ({ ctx, query, session, res }) => {
      const date = reportDate(ctx, query.date);
      const own = await ownFilter(ctx.db, session.user.id);
      const filter = query.scope === 'all' ? FULL_DIGEST_FILTER : own.filter;
      const prepared = await prepareDigest(ctx.db, ctx.config, {
        date,
        filter,
        asOf: ctx.clock.now(),
        recipientName: own.displayName,
      });
      // A browser cannot resolve cid: links, so the preview embeds the same PNG as a data: URI.
      const html = renderDigestEmail(prepared.content, {
        recipientName: own.displayName,
        chartSrc: `data:image/png;base64,${prepared.chartPng.toString('base64')}`,
      }).html;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(html);
    },
  }),
];
