// REST endpoints the dashboard mounts at /api/digests (behind its login, CSRF and error handling).
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createLogger, dateInZone, errorMessage, systemClock, type AppConfig, type Clock } from '@yuqing/core';
import { appendAudit, findDigestRecipient, findSentDigestById, listSentDigests, saveDigestSubscriptionAudited, type Db, type SentDigestStatus } from '@yuqing/db';
import type { JobQueues } from '@yuqing/queue';
import { briefingFileName } from './briefing-docx.ts';
import { FULL_DIGEST_FILTER, type DigestFilter } from './digest-content.ts';
import { prepareDigest, SEND_DIGEST_ATTEMPTS, SEND_DIGEST_RETRY_DELAY_MS } from './digest-delivery.ts';
import { addDays, isCalendarDate } from './digest-date.ts';
import { renderDigestEmail } from './digest-email.ts';
import { effectiveSubscription, subscriptionInputSchema } from './subscription.ts';

const log = createLogger('digest-api');

/** Options for {@link createDigestRouter}. */
export interface DigestRouterOptions {
  db: Db;
  config: AppConfig;
  /** @defaultValue the wall clock */
  clock?: Clock;
  /** Enables `POST /sent/:id/resend` (admins re-queue a digest whose retries are exhausted). */
  queues?: JobQueues;
}

/** Earliest date a briefing can be asked for; guards against typos like 0206-11-26. */
const EARLIEST_DATE = '2000-01-01';
const SENT_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

interface RequestUser {
  id: number;
  role: string;
}

/** The logged-in user the dashboard put on the request, read defensively. */
function currentUser(req: Request): RequestUser {
  const user = (req as unknown as { user?: unknown }).user as { id?: unknown; role?: unknown } | undefined;
  if (!user || typeof user.id !== 'number' || !Number.isInteger(user.id) || typeof user.role !== 'string') {
    throw new HttpError(401, 'UNAUTHENTICATED', '请先登录');
  }
  return { id: user.id, role: user.role };
}

type Handler = (req: Request, res: Response) => Promise<void>;

function route(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}

/**
 * `GET/PUT /subscription` (own), `GET /sent` (own; admins all, `?userId=&status=&date=&limit=&beforeId=`),
 * `POST /sent/:id/resend` (admins, when `queues` is given: re-queue a failed digest), `GET /briefing.docx?date=`
 * and `GET /preview?date=` (HTML of the e-mail). Dates default to yesterday in the configured zone. Errors
 * answer `{ error: { message, code, status } }`.
 */
export function createDigestRouter(options: DigestRouterOptions): Router {
  const { db, config } = options;
  const clock = options.clock ?? systemClock;
  const router = express.Router();
  router.use(express.json({ limit: '32kb' }));

  function dateParam(req: Request): string {
    const raw = req.query.date;
    if (raw === undefined || raw === '') return addDays(dateInZone(clock.now(), config.timeZone), -1);
    if (typeof raw !== 'string' || !isCalendarDate(raw)) throw new HttpError(400, 'INVALID_DATE', '日期格式应为 YYYY-MM-DD');
    if (raw < EARLIEST_DATE || raw > dateInZone(clock.now(), config.timeZone)) throw new HttpError(400, 'INVALID_DATE', '日期超出可查询范围');
    return raw;
  }

  async function ownFilter(userId: number): Promise<{ filter: DigestFilter; displayName: string }> {
    const recipient = await findDigestRecipient(db, userId);
    if (!recipient) throw new HttpError(401, 'UNAUTHENTICATED', '请先登录');
    const s = effectiveSubscription(recipient.subscription, recipient.user.role);
    return { filter: { categories: s.categories, minLevel: s.minLevel }, displayName: recipient.user.displayName };
  }

  router.get('/subscription', route(async (req, res) => {
    const user = currentUser(req);
    const recipient = await findDigestRecipient(db, user.id);
    if (!recipient) throw new HttpError(404, 'NOT_FOUND', '用户不存在');
    res.json({ subscription: effectiveSubscription(recipient.subscription, recipient.user.role), hasEmail: Boolean(recipient.user.email), timeZone: config.timeZone });
  }));

  router.put('/subscription', route(async (req, res) => {
    const user = currentUser(req);
    const parsed = subscriptionInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new HttpError(400, 'VALIDATION', `${first?.path.join('.') || '请求'}：${first?.message ?? '格式不正确'}`);
    }
    const recipient = await findDigestRecipient(db, user.id);
    if (!recipient) throw new HttpError(404, 'NOT_FOUND', '用户不存在');
    // The first save starts from the defaults the user saw (a leader's "everything"), not the schema's.
    const base = effectiveSubscription(recipient.subscription, recipient.user.role);
    const saved = await saveDigestSubscriptionAudited(db, user.id, {
      enabled: parsed.data.enabled ?? base.enabled, sendTime: parsed.data.sendTime ?? base.sendTime, categories: parsed.data.categories ?? base.categories,
      minLevel: parsed.data.minLevel ?? base.minLevel, attachDocx: parsed.data.attachDocx ?? base.attachDocx,
    }, Object.keys(parsed.data), { actorId: user.id, ip: req.ip ?? null });
    res.json({ subscription: effectiveSubscription(saved, recipient.user.role), hasEmail: Boolean(recipient.user.email), timeZone: config.timeZone });
  }));

  router.get('/sent', route(async (req, res) => {
    const user = currentUser(req);
    const isAdmin = user.role === 'admin';
    const q = req.query;
    const int = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
    const status = typeof q.status === 'string' && (SENT_STATUSES as readonly string[]).includes(q.status) ? (q.status as SentDigestStatus) : undefined;
    if (q.status !== undefined && status === undefined) throw new HttpError(400, 'VALIDATION', `status 应为 ${SENT_STATUSES.join('、')} 之一`);
    const date = typeof q.date === 'string' && q.date !== '' ? q.date : undefined;
    if (date !== undefined && !isCalendarDate(date)) throw new HttpError(400, 'INVALID_DATE', '日期格式应为 YYYY-MM-DD');
    const requestedUser = int(q.userId);
    if (requestedUser !== undefined && !isAdmin && requestedUser !== user.id) throw new HttpError(403, 'FORBIDDEN', '只能查看自己的日报发送记录');
    const userId = isAdmin ? requestedUser : user.id;
    const rows = await listSentDigests(db, {
      ...(userId === undefined ? {} : { userId }), ...(status ? { status } : {}), ...(date ? { digestDate: date } : {}),
      ...(int(q.limit) ? { limit: int(q.limit)! } : {}), ...(int(q.beforeId) ? { beforeId: int(q.beforeId)! } : {}),
    });
    res.json({
      items: rows.map((r) => ({
        id: r.id, userId: r.userId, user: r.user, digestDate: r.digestDate, status: r.status, attempts: r.attempts, lastError: r.lastError,
        messageId: r.messageId, sentAt: r.sentAt, createdAt: r.createdAt, updatedAt: r.updatedAt,
      })),
    });
  }));

  router.post('/sent/:id/resend', route(async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'admin') throw new HttpError(403, 'FORBIDDEN', '只有管理员可以重新发送日报');
    if (!options.queues) throw new HttpError(503, 'QUEUE_UNAVAILABLE', '任务队列未连接，无法重新发送');
    const id = Number(req.params.id);
    const row = Number.isInteger(id) && id > 0 ? await findSentDigestById(db, id) : null;
    if (!row) throw new HttpError(404, 'NOT_FOUND', '发送记录不存在');
    if (row.status !== 'failed') throw new HttpError(409, 'NOT_FAILED', row.status === 'sent' ? '该日报已发送，不会重复发送' : '该日报正在发送中');
    // No job id: the scheduler's job for this day may still sit in the failed set under its id. The ledger
    // row, not the job id, is what keeps the digest to one mail.
    const jobId = await options.queues.add('send-digest', { userId: row.userId, date: row.digestDate }, { attempts: SEND_DIGEST_ATTEMPTS, backoff: { type: 'exponential', delay: SEND_DIGEST_RETRY_DELAY_MS } });
    await appendAudit(db, { actorId: user.id, action: 'digest.resend', entityType: 'SentDigest', entityId: row.id, details: { userId: row.userId, digestDate: row.digestDate }, ip: req.ip ?? null });
    res.status(202).json({ queued: true, jobId: jobId ?? null });
  }));

  router.get('/briefing.docx', route(async (req, res) => {
    const user = currentUser(req);
    const date = dateParam(req);
    // The briefing is the bureau's document of record: complete unless the reader asks for their own selection.
    const filter = req.query.scope === 'mine' ? (await ownFilter(user.id)).filter : FULL_DIGEST_FILTER;
    const prepared = await prepareDigest(db, config, { date, filter, asOf: clock.now(), withDocx: true });
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    res.attachment(briefingFileName(date));
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(prepared.docx);
  }));

  router.get('/preview', route(async (req, res) => {
    const user = currentUser(req);
    const date = dateParam(req);
    const own = await ownFilter(user.id);
    const filter = req.query.scope === 'all' ? FULL_DIGEST_FILTER : own.filter;
    const prepared = await prepareDigest(db, config, { date, filter, asOf: clock.now(), recipientName: own.displayName });
    // A browser cannot resolve cid: links, so the preview embeds the same PNG as a data: URI.
    const html = renderDigestEmail(prepared.content, { recipientName: own.displayName, chartSrc: `data:image/png;base64,${prepared.chartPng.toString('base64')}` }).html;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(html);
  }));

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { message: error.message, code: error.code, status: error.status } });
      return;
    }
    const status = (error as { type?: string; status?: number }).type === 'entity.parse.failed' ? 400 : undefined;
    if (status) {
      res.status(400).json({ error: { message: '请求体不是有效的 JSON', code: 'INVALID_JSON', status: 400 } });
      return;
    }
    log.error({ err: errorMessage(error) }, 'digest request failed');
    res.status(500).json({ error: { message: '服务器内部错误', code: 'INTERNAL', status: 500 } });
  });
  return router;
}
