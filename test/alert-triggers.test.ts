// Alert triggers end to end on real PostgreSQL and Redis with a mocked clock and a loopback webhook: the
// `evaluate-alert-triggers` job, run on every tick, alerts a response deadline once when near and once when passed
// (not once per tick); a jump in an issue's negative share and a response submitted for approval each alert once; a burst of 10 flags on a channel limited to 3 a minute arrives as 3 messages plus one
// combined message with the other 7, and every delivery is logged as sent.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, SecretBox } from '@yuqing/core';
import { createIssue, createResponse, createUser, submitResponse } from '@yuqing/db';
import { installSchedules } from '@yuqing/pipeline';
import type { JobQueues } from '@yuqing/queue';
import { seedMention, sqlRows, startAlertWorker, type AlertWorker, type TestDatabase } from '@yuqing/testkit';
import { addWebhookChannel, runAlertJob, startWebhookReceiver, type WebhookReceiver } from './helpers/alert-system.ts';
import { waitUntil } from './helpers/net.ts';

const until = <T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean) =>
  waitUntil(what, read, done, 90_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What this file's body template sends. */
interface Body {
  issueId: string;
  title: string;
  reason: string;
  text: string;
}

let worker: AlertWorker;
let test: TestDatabase;
let queues: JobQueues;
let receiver: WebhookReceiver<Body>;
// A Monday afternoon (a working day), so the default on-duty schedule is beside the point.
const clock = new ManualClock(new Date('2026-12-07T14:00:00+08:00'));

beforeAll(async () => {
  receiver = await startWebhookReceiver<Body>();
  worker = await startAlertWorker({
    config: { allowedPrivateHosts: [receiver.host], publicUrl: 'https://yq.example.gov.cn' },
    clock,
    concurrency: 4,
    // With a key, every alert carries its signed 已知悉 link (the combined message one per held alert).
    secretKey: SecretBox.generateKey(),
  });
  ({ test, queues } = worker);
}, 60_000);

// Every body sent was JSON: a refused one would show only as an alert that never came.
afterEach(() => expect(receiver.refused).toEqual([]));

afterAll(async () => {
  await worker?.close();
  await receiver?.close();
});

const BODY = '{"issueId":"{{issue.id}}","title":"{{issue.title}}","reason":"{{issue.reason}}","text":"{{alert.text}}"}';

const addChannel = (name: string, path: string, filter: Record<string, unknown>) =>
  addWebhookChannel(test.db, receiver, { name, path, bodyTemplate: BODY, filter });

/** Runs one evaluation tick through the alert queue, as the every-minute scheduler does, and waits for it. */
async function tick(): Promise<void> {
  await runAlertJob(queues, 'evaluate-alert-triggers');
}

const deliveries = (issueIds: number[]) =>
  sqlRows<{ id: number; issueId: number; trigger: string; status: string; error: string | null }>(
    test.db,
    `SELECT id, "issueId", trigger, status, error FROM "AlertDelivery" WHERE "issueId" = ANY($1::int[]) ORDER BY id`,
    [issueIds],
  );

describe('alert triggers', () => {
  it('installs the evaluation as a repeating job on the alert queue', async () => {
    await installSchedules(queues, { timeZone: 'Asia/Shanghai' });
    const schedulers = await queues.queue('alert').getJobSchedulers();
    expect(schedulers.map((s) => s.name)).toContain('evaluate-alert-triggers');
    await queues.queue('alert').removeJobScheduler('evaluate-alert-triggers');
  });

  it('alerts a response deadline once when near and once when passed, not once per tick', async () => {
    await addChannel('时限提醒', '/hooks/deadline', { triggers: ['deadline-near', 'deadline-passed'] });
    const deadlineAt = new Date(clock.now().getTime() + 2 * HOUR);
    const issue = await createIssue(test.db, {
      title: '社保卡补办排队三小时无人管',
      category: '社会保障卡',
      status: 'confirmed',
      level: 'major',
      firstSeenAt: clock.now(),
      lastSeenAt: clock.now(),
      deadlineAt,
    });
    const mine = () => receiver.requests.filter((r) => r.path === '/hooks/deadline');

    // Two hours left of 48: inside the last sixth (8 h), so "near"; a second tick a minute later adds nothing.
    await tick();
    await until('the near alert', mine, (r) => r.length === 1);
    clock.advance(MINUTE);
    await tick();

    // Past the deadline: one "passed" alert however many ticks follow.
    clock.set(deadlineAt.getTime() + MINUTE);
    for (let k = 0; k < 4; k++) {
      await tick();
      clock.advance(MINUTE);
    }
    await until('the passed alert', mine, (r) => r.length === 2);
    // Ticks after the send must not add a third.
    await tick();
    await new Promise((r) => setTimeout(r, 1500));
    expect(mine()).toHaveLength(2);
    expect(mine()[0]!.body.reason).toMatch(/^回应时限将到：距时限还有约 \d+ 分钟/);
    expect(mine()[1]!.body.reason).toMatch(/^回应已超时/);
    expect(mine()[1]!.body.issueId).toBe(String(issue.id));
    const rows = await deliveries([issue.id]);
    expect(rows.map((r) => [r.trigger.split(':')[0], r.status])).toEqual([
      ['deadline-near', 'sent'],
      ['deadline-passed', 'sent'],
    ]);
  }, 180_000);

  it('sends a burst of 10 flags on a channel limited to 3 a minute as 3 messages plus one combined message', async () => {
    await addChannel('限流群', '/hooks/limited', { triggers: ['flag'], perMinute: 3 });
    // Near the end of a minute, so the batch job's first timer fires within seconds and finds the clock unmoved.
    clock.set(new Date('2026-12-07T15:30:57+08:00'));
    const issues = [];
    for (let k = 0; k < 10; k++)
      issues.push(
        await createIssue(test.db, {
          title: `欠薪投诉第${k + 1}起：工地工资拖欠`,
          category: '劳动关系',
          level: 'general',
          firstSeenAt: clock.now(),
          lastSeenAt: clock.now(),
        }),
      );
    for (const issue of issues)
      await queues.add(
        'issue-flagged',
        { issueId: issue.id, level: 'general', reason: '热度为基线的 6.0 倍' },
        { jobId: `flag:${issue.id}:general` },
      );
    const ids = issues.map((i) => i.id);
    const limited = () => receiver.requests.filter((r) => r.path === '/hooks/limited');

    const held = await until(
      '3 sent and 7 held',
      () => deliveries(ids),
      (rows) =>
        rows.length === 10 &&
        rows.filter((r) => r.status === 'sent').length === 3 &&
        rows.filter((r) => r.error?.startsWith('[ALERT_BATCHED]')).length === 7,
    );
    expect(held.filter((r) => r.status === 'pending')).toHaveLength(7);
    // The minute has not ended on the clock: the batch waits (its timer re-arms) and nothing more arrives.
    await new Promise((r) => setTimeout(r, 4000));
    expect(limited()).toHaveLength(3);

    clock.advance(MINUTE);
    await until('the combined message', limited, (r) => r.length === 4);
    const combined = limited()[3]!.body;
    expect(combined.title).toBe('7 条预警合并发送（超出渠道每分钟上限）');
    const listed = combined.reason.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(listed).toHaveLength(7);
    expect(listed[0]).toMatch(/^1\. 【一般·热点预警】欠薪投诉第\d+起/);
    const sentIds = new Set(
      limited()
        .slice(0, 3)
        .map((r) => Number(r.body.issueId)),
    );
    for (const id of ids.filter((i) => !sentIds.has(i)))
      expect(combined.reason).toContain(`https://yq.example.gov.cn/issues/${id}`);
    // Each held alert keeps its own 已知悉 link, signed for its own delivery.
    const heldIds = held.filter((r) => r.status === 'pending').map((r) => r.id);
    const links = listed.map((line) => /已知悉：https:\/\/yq\.example\.gov\.cn\/ack\/(\d+)\./.exec(line)?.[1]);
    expect(links.map(Number).sort((a, b) => a - b)).toEqual(heldIds.sort((a, b) => a - b));
    const settled = await until(
      'every delivery sent',
      () => deliveries(ids),
      (rows) => rows.every((r) => r.status === 'sent'),
    );
    expect(settled).toHaveLength(10);
    // Nothing else came: each flag reached the channel once.
    await new Promise((r) => setTimeout(r, 1500));
    expect(limited()).toHaveLength(4);
  }, 180_000);

  it('alerts a jump in the negative share and a response waiting for approval, once each', async () => {
    await addChannel('审批与负面', '/hooks/approval', { triggers: ['negative-jump', 'approval'] });
    clock.set(new Date('2026-12-08T10:00:00+08:00'));
    const now = clock.now();
    const issue = await createIssue(test.db, {
      title: '失业保险金申领被要求反复提交材料',
      category: '失业保险',
      status: 'confirmed',
      level: 'major',
      firstSeenAt: new Date(now.getTime() - 3 * HOUR),
      lastSeenAt: now,
      deadlineAt: new Date(now.getTime() + 40 * HOUR),
    });
    // Before the last hour: 2 of 10 negative (20%); in it: 8 of 10 (80%).
    for (let k = 0; k < 20; k++)
      await seedMention(test.db, {
        title: `失业金申领材料反复提交（${k + 1}）`,
        body: '申领失业保险金时窗口多次要求补交材料，跑了好几趟。',
        publishedAt: new Date(now.getTime() - (k < 10 ? 2 * HOUR : 30 * MINUTE) + k * 1000),
        sentiment: (k < 10 ? k < 2 : k < 18) ? 'negative' : 'neutral',
        issueId: issue.id,
      });
    const author = await createUser(test.db, {
      username: `spokes-${randomUUID().slice(0, 8)}`,
      displayName: '新闻发言人',
      passwordHash: 'x',
      role: 'spokesperson',
    });
    const actor = { actorId: author.id, ip: 'test' };
    const response = await createResponse(
      test.db,
      { issueId: issue.id, authorId: author.id, body: '关于失业保险金申领材料的说明……', now },
      actor,
    );
    await submitResponse(test.db, response.id, now, actor);
    const mine = () => receiver.requests.filter((r) => r.path === '/hooks/approval');

    await tick();
    await until('two alerts', mine, (r) => r.length === 2);
    clock.advance(MINUTE);
    await tick();
    await new Promise((r) => setTimeout(r, 1500));
    expect(mine()).toHaveLength(2);
    const reasons = mine()
      .map((r) => r.body.reason)
      .sort();
    expect(reasons[0]).toBe(`回应待审批：回应 #${response.id} 已提交，等待审批`);
    expect(reasons[1]).toMatch(/^负面占比骤升：由 20% 升至 80%（近一小时 10 条）/);
  }, 180_000);

  it('holds a flag for an office-hours channel until the next working morning, and not for an always-on one', async () => {
    const office = await addChannel('办公室白天', '/hooks/office', { triggers: ['flag'], onDuty: ['workday-hours'] });
    const duty = await addChannel('夜间值班', '/hooks/duty', {
      triggers: ['flag'],
      onDuty: ['after-hours', 'holidays'],
    });
    // Saturday 10 October 2026 is a 调休 working day; Friday 9 October 21:00 is after hours.
    clock.set(new Date('2026-10-09T21:00:00+08:00'));
    const issue = await createIssue(test.db, {
      title: '技工学校招生承诺不兑现',
      category: '职业能力建设',
      level: 'general',
      firstSeenAt: clock.now(),
      lastSeenAt: clock.now(),
    });
    await queues.add('issue-flagged', { issueId: issue.id, level: 'general', reason: '热度为基线的 5.0 倍' });
    await until(
      'the night channel alerted',
      () => receiver.requests.filter((r) => r.path === '/hooks/duty'),
      (r) => r.length === 1,
    );
    const jobs = await queues.queue('alert').getJobs(['delayed']);
    const held = jobs.filter((j) => j.name === 'deliver-alert' && j.data.channelId === office.id);
    expect(held).toHaveLength(1);
    // Until Saturday 08:30 (the 调休 working day), not Monday.
    expect(held[0]!.opts.delay).toBe(11.5 * HOUR);
    expect(jobs.some((j) => j.name === 'deliver-alert' && j.data.channelId === duty.id)).toBe(false);
    expect(receiver.requests.filter((r) => r.path === '/hooks/office')).toHaveLength(0);
  }, 180_000);
});
