// The 已知悉 page behind the link each alert carries (no login): GET shows what is being acknowledged and a button,
// and changes nothing, because chat apps open links to preview them; POST (the button) acknowledges. A forged
// link answers 400, an expired one 410, an alert already acknowledged says by whom and when.
import express, { type Request, type Response, type Router } from 'express';
import { ackLinksOf } from '@yuqing/alerts';
import { errorCode, formatMinuteInZone } from '@yuqing/core';
import { acknowledgeAlertDelivery, alertAckState, type AckState } from '@yuqing/db';
import { LEVEL_LABELS } from '@yuqing/domain';
import { clientIp, sessionOf, type DashboardContext } from './context.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A small page of its own (no scripts): the link works on a phone without the dashboard's app. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · 舆情监测</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body data-page="ack">
<main id="main" class="ack-page">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function send(res: Response, status: number, title: string, body: string): void {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.send(page(title, body));
}

function alertLines(state: AckState, timeZone: string): string {
  const level = state.level === 'none' ? '' : LEVEL_LABELS[state.level];
  const rows: [string, string][] = [
    ['事件', state.issueTitle ?? (state.issueId === null ? '渠道测试消息' : '（议题已删除）')],
    ['级别', level || '未分级'],
    ['渠道', state.channelName],
    ['发送时间', state.sentAt ? formatMinuteInZone(state.sentAt, timeZone) : '尚未发出'],
  ];
  return `<dl class="ack-facts">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function acknowledgedLine(state: AckState, timeZone: string): string {
  const who = state.acknowledgedBy ?? (state.acknowledgedVia === 'link' ? '通过预警消息中的链接' : '未知用户');
  const when = state.acknowledgedAt ? formatMinuteInZone(state.acknowledgedAt, timeZone) : '';
  return `<p class="ack-done" data-acknowledged-at="${escapeHtml(state.acknowledgedAt?.toISOString() ?? '')}">已由 ${escapeHtml(who)} 于 ${escapeHtml(when)} 确认已知悉。</p>`;
}

/** Mounts GET and POST `/ack/:token`. */
export function ackRouter(ctx: DashboardContext): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '1kb' }));

  /** The delivery a token names, or the error page already sent. */
  const resolve = async (req: Request, res: Response): Promise<AckState | undefined> => {
    const links = ackLinksOf({ db: ctx.db });
    if (!links) {
      send(res, 503, '无法确认', '<p>系统未配置密钥，无法校验确认链接。请登录系统在预警记录中确认。</p>');
      return undefined;
    }
    const check = links.check(String(req.params.token ?? ''), ctx.clock.now());
    if (!check.ok) {
      if (check.reason === 'expired')
        send(res, 410, '链接已过期', '<p>此确认链接已超过有效期。请登录系统，在“预警推送”的发送记录中确认。</p>');
      else send(res, 400, '链接无效', '<p>此确认链接无效或已被改动。</p>');
      return undefined;
    }
    try {
      return await alertAckState(ctx.db, check.deliveryId);
    } catch (error) {
      if (errorCode(error) !== 'NOT_FOUND') throw error;
      send(res, 404, '预警不存在', '<p>这条预警记录已被删除（渠道可能已移除）。</p>');
      return undefined;
    }
  };

  router.get('/ack/:token', async (req, res, next) => {
    try {
      const state = await resolve(req, res);
      if (!state) return;
      const tz = ctx.config.timeZone;
      if (state.acknowledgedAt) return send(res, 200, '已确认', alertLines(state, tz) + acknowledgedLine(state, tz));
      send(
        res,
        200,
        '确认已知悉',
        `${alertLines(state, tz)}
<form method="post" action="/ack/${escapeHtml(String(req.params.token))}">
<button type="submit" class="primary">已知悉</button>
</form>
<p class="hint">确认后，此预警不再升级通知下一渠道。</p>`,
      );
    } catch (error) {
      next(error);
    }
  });

  router.post('/ack/:token', async (req, res, next) => {
    try {
      const state = await resolve(req, res);
      if (!state) return;
      // Whoever holds the link may acknowledge; a logged-in user is recorded by name.
      const result = await acknowledgeAlertDelivery(ctx.db, state.id, {
        via: 'link',
        at: ctx.clock.now(),
        actor: { actorId: sessionOf(res)?.user.id ?? null, ip: clientIp(req) },
      });
      const tz = ctx.config.timeZone;
      send(
        res,
        200,
        result.outcome === 'acknowledged' ? '已确认已知悉' : '已确认',
        alertLines(result.state, tz) + acknowledgedLine(result.state, tz),
      );
    } catch (error) {
      next(error);
    }
  });
  return router;
}
