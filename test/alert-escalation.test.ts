// Acknowledgement and escalation end to end on real PostgreSQL and Redis, with a mocked clock, a loopback webhook
// receiver and the real dashboard: each alert carries a signed 已知悉 link (`{{ack.url}}`); opening it (GET) changes
// nothing, its button (POST) acknowledges; an unacknowledged 重大 alert goes to the leader's channel after 10
// minutes (not at 9), an acknowledged one does not; two escalation ticks at once escalate a delivery once; a forged
// link answers 400, an expired one 410; the dashboard acknowledges with its CSRF header; every step is audited.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AckLinks, escalateAlerts, type EscalationTick } from '@yuqing/alerts';
import { ManualClock, SecretBox } from '@yuqing/core';
import { claimEscalation, createIssue, listEscalationRules, setEscalationRule } from '@yuqing/db';
import { DEFAULT_ACK_MINUTES, escalationTrigger } from '@yuqing/domain';
import { installSchedules } from '@yuqing/pipeline';
import {
  ApiClient,
  sqlRows,
  startAlertWorker,
  startTestDashboard,
  type AlertWorker,
  type TestDashboard,
} from '@yuqing/testkit';
import { waitFor } from './helpers/net.ts';
import { addWebhookChannel, runAlertJob, startWebhookReceiver, type WebhookReceiver } from './helpers/alert-system.ts';

const MINUTE = 60_000;
const SECRET_KEY = SecretBox.generateKey();
// A Monday afternoon: on duty by every default schedule.
const clock = new ManualClock(new Date('2026-12-07T14:00:00+08:00'));

/** What this file's body template sends. */
interface Body {
  issueId: string;
  reason: string;
  ack: string;
}

let receiver: WebhookReceiver<Body>;
let dash: TestDashboard;
let worker: AlertWorker;
let duty: { id: number };
let leader: { id: number };

const BODY = '{"issueId":"{{issue.id}}","reason":"{{issue.reason}}","ack":"{{ack.url}}"}';

beforeAll(async () => {
  receiver = await startWebhookReceiver<Body>();
  dash = await startTestDashboard({ clock, secretKey: SECRET_KEY, loginDelayScale: 0.01 });
  worker = await startAlertWorker({
    database: { db: dash.db, url: dash.databaseUrl },
    clock,
    concurrency: 4,
    config: { allowedPrivateHosts: [receiver.host], publicUrl: dash.url },
  });
  const channel = (name: string, path: string, filter: Record<string, unknown>) =>
    addWebhookChannel(dash.db, receiver, { name, path, bodyTemplate: BODY, filter });
  duty = await channel('值班群', '/hooks/duty', { minLevel: 'general' });
  // The leader's channel takes no flag directly (a keyword no issue has): only escalations reach it.
  leader = await channel('领导', '/hooks/leader', { minLevel: 'severe', keywords: ['仅接收升级通知'] });
  await setEscalationRule(dash.db, { channelId: duty.id, toChannelId: leader.id }, { actorId: null, ip: 'test' });
}, 90_000);

// Every body sent was JSON: a refused one would show only as an alert that never came.
afterEach(() => expect(receiver.refused).toEqual([]));

afterAll(async () => {
  await worker?.close();
  await dash?.close();
  await receiver?.close();
});

const at = (path: string) => receiver.requests.filter((r) => r.path === path);

/** Runs one escalation tick through the alert queue, as the every-minute scheduler does, and returns its outcome. */
function tick(): Promise<EscalationTick> {
  return runAlertJob<EscalationTick>(worker.queues, 'escalate-alerts');
}

async function flagged(title: string) {
  const issue = await createIssue(dash.db, {
    title,
    category: '养老保险',
    status: 'new',
    level: 'severe',
    firstSeenAt: clock.now(),
    lastSeenAt: clock.now(),
  });
  await worker.queues.add('issue-flagged', { issueId: issue.id, level: 'severe', reason: '热度为基线的 9 倍' });
  await waitFor('the duty message', async () => at('/hooks/duty').some((r) => r.body.issueId === String(issue.id)));
  return issue;
}

const deliveryRows = (issueId: number) =>
  sqlRows<{
    id: number;
    channelId: number;
    trigger: string;
    status: string;
    acknowledgedAt: Date | null;
    acknowledgedVia: string | null;
    acknowledgedById: number | null;
    escalatedAt: Date | null;
    escalatedFromId: number | null;
  }>(dash.databaseUrl, `SELECT * FROM "AlertDelivery" WHERE "issueId" = $1 ORDER BY id`, [issueId]);

const audit = (action: string) =>
  sqlRows<{ entityId: string; details: Record<string, unknown>; actorId: number | null }>(
    dash.databaseUrl,
    `SELECT "entityId", details, "actorId" FROM "AuditLog" WHERE action = $1 ORDER BY id`,
    [action],
  );

/** The link page at `url`: a form POST as the browser sends it from the page itself. */
const postAck = (url: string) =>
  fetch(url, { method: 'POST', headers: { origin: dash.url, 'content-type': 'application/x-www-form-urlencoded' } });

describe('alert acknowledgement and escalation', () => {
  it('installs the escalation check as a repeating job on the alert queue', async () => {
    await installSchedules(worker.queues, { timeZone: 'Asia/Shanghai' });
    const schedulers = await worker.queues.queue('alert').getJobSchedulers();
    expect(schedulers.find((s) => s.name === 'escalate-alerts')?.every).toBe(60_000);
    // The ticks below are run by hand on the mocked clock.
    for (const queue of worker.queues.all())
      for (const s of await queue.getJobSchedulers()) await queue.removeJobScheduler(s.key);
  });

  it('escalates an unacknowledged 重大 alert to the next channel after 10 minutes; an acknowledged one stays', async () => {
    const start = clock.now().getTime();
    const open = await flagged('养老金调整后到账金额不一致');
    const acked = await flagged('社保缴费基数上调引发讨论');
    const openMessage = at('/hooks/duty').find((r) => r.body.issueId === String(open.id))!;
    const ackedMessage = at('/hooks/duty').find((r) => r.body.issueId === String(acked.id))!;
    // Every message carries its own signed link under PUBLIC_URL.
    expect(openMessage.body.ack).toMatch(new RegExp(`^${dash.url}/ack/\\d+\\.\\d+\\.[A-Za-z0-9_-]{22}$`));
    expect(openMessage.body.ack).not.toBe(ackedMessage.body.ack);

    // Opening the link (as a chat app's previewer does) shows the page and changes nothing.
    const page = await fetch(ackedMessage.body.ack);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('社保缴费基数上调引发讨论');
    expect(html).toContain('<button type="submit" class="primary">已知悉</button>');
    expect((await deliveryRows(acked.id))[0]?.acknowledgedAt).toBeNull();
    // Its button acknowledges, without a login.
    const done = await postAck(ackedMessage.body.ack);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('通过预警消息中的链接');
    const [ackRow] = await deliveryRows(acked.id);
    expect(ackRow).toMatchObject({ acknowledgedVia: 'link', acknowledgedById: null });
    expect(ackRow?.acknowledgedAt?.getTime()).toBe(clock.now().getTime());

    clock.set(start + 9 * MINUTE);
    expect(await tick()).toEqual({ candidates: 0, escalated: 0, requeued: 0 });
    clock.set(start + 10 * MINUTE);
    expect(await tick()).toEqual({ candidates: 1, escalated: 1, requeued: 0 });
    await waitFor('the escalation at the leader', async () => at('/hooks/leader').length === 1);
    const escalation = at('/hooks/leader')[0]!;
    expect(escalation.body.issueId).toBe(String(open.id));
    expect(escalation.body.reason).toContain('已发送 10 分钟仍无人确认');
    expect(escalation.body.reason).toContain('首发渠道：值班群');
    // The escalated message carries a link of its own (its own delivery).
    expect(escalation.body.ack).not.toBe(openMessage.body.ack);

    const rows = await deliveryRows(open.id);
    expect(rows.map((r) => [r.channelId, r.trigger, r.status])).toEqual([
      [duty.id, 'issue.flagged', 'sent'],
      [leader.id, `escalation:${rows[0]!.id}`, 'sent'],
    ]);
    expect(rows[1]?.escalatedFromId).toBe(rows[0]!.id);
    expect(rows[0]?.escalatedAt).not.toBeNull();
    expect(await deliveryRows(acked.id)).toHaveLength(1);

    // Later ticks add nothing: the first delivery was escalated once, the leader has no rule of its own.
    clock.set(start + 40 * MINUTE);
    expect(await tick()).toEqual({ candidates: 0, escalated: 0, requeued: 0 });
    expect(at('/hooks/leader')).toHaveLength(1);

    const escalated = await audit('alert.escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toMatchObject({
      entityId: String(rows[0]!.id),
      details: { issueId: open.id, level: 'severe', fromChannelId: duty.id, toChannelId: leader.id, afterMinutes: 10 },
    });
    expect((await audit('alert.acknowledged')).map((a) => a.details.via)).toEqual(['link']);
  });

  it('never escalates one delivery twice when two ticks run at once', async () => {
    const issue = await flagged('工伤认定结果迟迟不出');
    clock.advance(10 * MINUTE);
    const deps = { db: dash.db, queues: worker.queues, clock, ackMinutes: DEFAULT_ACK_MINUTES };
    const outcomes = await Promise.all([escalateAlerts(deps), escalateAlerts(deps), escalateAlerts(deps)]);
    expect(outcomes.reduce((n, o) => n + o.escalated, 0)).toBe(1);
    await waitFor('the escalation', async () => (await deliveryRows(issue.id)).length === 2);
    await waitFor('the leader message', async () =>
      at('/hooks/leader').some((r) => r.body.issueId === String(issue.id)),
    );
    expect(at('/hooks/leader').filter((r) => r.body.issueId === String(issue.id))).toHaveLength(1);
    expect((await audit('alert.escalated')).filter((a) => a.details.issueId === issue.id)).toHaveLength(1);
  });

  it('sends a step whose worker died between claiming it and queueing its delivery, once, two minutes later', async () => {
    const issue = await flagged('灵活就业人员医保断缴无法补缴');
    clock.advance(10 * MINUTE);
    const [first] = await deliveryRows(issue.id);
    const [rule] = await listEscalationRules(dash.db);
    // What a worker killed right after its claim leaves behind: the claim, its audit row and the pending step.
    const claimed = await claimEscalation(
      dash.db,
      {
        fromDeliveryId: first!.id,
        fromChannelId: duty.id,
        toChannelId: leader.id,
        ruleId: rule!.id,
        issueId: issue.id,
        level: 'severe',
        afterMinutes: 10,
        trigger: escalationTrigger(first!.id),
      },
      clock.now(),
    );
    expect(claimed).toBe(true);
    const pending = (await deliveryRows(issue.id))[1];
    expect(pending).toMatchObject({ channelId: leader.id, status: 'pending', escalatedFromId: first!.id });
    // A minute on, the step may still be on its way to the queue: left alone.
    clock.advance(MINUTE);
    expect(await tick()).toEqual({ candidates: 0, escalated: 0, requeued: 0 });
    clock.advance(2 * MINUTE);
    expect((await tick()).requeued).toBe(1);
    await waitFor('the recovered escalation', async () =>
      at('/hooks/leader').some((r) => r.body.issueId === String(issue.id)),
    );
    const message = at('/hooks/leader').find((r) => r.body.issueId === String(issue.id))!;
    expect(message.body.reason).toContain('已发送 10 分钟仍无人确认');
    expect(message.body.reason).toContain('首发渠道：值班群');
    expect((await deliveryRows(issue.id))[1]).toMatchObject({ id: pending!.id, status: 'sent' });
    // Sent: later ticks find nothing to recover, and the leader got it once.
    clock.advance(5 * MINUTE);
    expect((await tick()).requeued).toBe(0);
    expect(at('/hooks/leader').filter((r) => r.body.issueId === String(issue.id))).toHaveLength(1);
  });

  it('acknowledges from the dashboard with the CSRF header, once; the link then says by whom and when', async () => {
    const issue = await flagged('失业金申领页面无法打开');
    const [row] = await deliveryRows(issue.id);
    const analyst = await ApiClient.login(dash.url, dash.users.analyst);
    const noCsrf = await analyst.request('POST', `/api/alert-deliveries/${row!.id}/ack`, {}, { 'x-csrf-token': '' });
    expect(noCsrf.status).toBe(403);
    const first = await analyst.post(`/api/alert-deliveries/${row!.id}/ack`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'acknowledged', state: { acknowledgedBy: 'analyst 用户' } });
    const admin = await ApiClient.login(dash.url, dash.users.admin);
    const second = await admin.post(`/api/alert-deliveries/${row!.id}/ack`);
    expect(second.body).toMatchObject({ outcome: 'already', state: { acknowledgedBy: 'analyst 用户' } });
    const log = await admin.get('/api/alert-deliveries');
    expect(log.body.items.find((d: { id: number }) => d.id === row!.id)).toMatchObject({
      acknowledgedVia: 'dashboard',
      acknowledgedBy: { displayName: 'analyst 用户' },
    });
    const acks = (await audit('alert.acknowledged')).filter((a) => a.entityId === String(row!.id));
    expect(acks).toEqual([expect.objectContaining({ actorId: dash.users.analyst.id })]);

    const link = at('/hooks/duty').find((r) => r.body.issueId === String(issue.id))!.body.ack;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('已由 analyst 用户 于');
    expect(html).not.toContain('<button');
    // Acknowledged, so past its 10 minutes it does not escalate.
    clock.advance(15 * MINUTE);
    await tick();
    expect(at('/hooks/leader').filter((r) => r.body.issueId === String(issue.id))).toHaveLength(0);
  });

  it('answers a forged link 400 and an expired one 410, on GET and POST, and acknowledges nothing', async () => {
    const issue = await flagged('医保报销比例调整传言');
    const [row] = await deliveryRows(issue.id);
    const link = at('/hooks/duty').find((r) => r.body.issueId === String(issue.id))!.body.ack;
    const token = link.slice(link.lastIndexOf('/') + 1);
    const [id, expires, mac] = token.split('.') as [string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const forged = [
      `${id}.${expires}.${flip(mac)}`, // altered signature
      `${Number(id) + 1}.${expires}.${mac}`, // another delivery
      `${id}.${Number(expires) + 86_400}.${mac}`, // stretched validity
      `${id}.${expires}.${new AckLinks(Buffer.alloc(32, 7)).token(Number(id), clock.now()).split('.')[2]}`, // other key
      'not-a-token',
    ];
    for (const t of forged) {
      expect((await fetch(`${dash.url}/ack/${t}`)).status, t).toBe(400);
      expect((await postAck(`${dash.url}/ack/${t}`)).status, t).toBe(400);
    }
    // The same installation's key, signed 25 hours ago: genuine but expired.
    const old = AckLinks.fromSecretBox(SecretBox.fromBase64(SECRET_KEY)).token(
      row!.id,
      new Date(clock.now().getTime() - 25 * 60 * MINUTE),
    );
    const expired = await fetch(`${dash.url}/ack/${old}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('链接已过期');
    expect((await postAck(`${dash.url}/ack/${old}`)).status).toBe(410);
    expect((await deliveryRows(issue.id))[0]?.acknowledgedAt).toBeNull();
    // The real link still works, and a cross-site POST of it is refused.
    const cross = await fetch(link, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect((await postAck(link)).status).toBe(200);
  });
});
