// Scheduled 周报, 月报, 季报 and 年报 on the real PostgreSQL, Redis and an SMTP server (smtp-server), with a manual
// clock: each goes out once, at 08:00 local on Monday, the 1st, or the first day of a quarter or year, to the digest's
// recipients who chose that kind, and never twice however often the scheduler runs, from how many schedulers, or
// after a restart of the workers.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock, type AppConfig } from '@yuqing/core';
import { createUser, findSentDigest, upsertDigestSubscription } from '@yuqing/db';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import { createReportHandlers, dueReportPeriod, parseReportLedgerKey, reportLedgerKey } from '@yuqing/digest';
import { createTestDatabase, digestFixtures, type TestDatabase } from '@yuqing/testkit';
import type { Redis } from 'ioredis';
import { waitFor } from './helpers/net.ts';
import { startSmtpCapture, type ReceivedMail, type SmtpCapture } from './helpers/smtp.ts';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

describe('due report periods (bureau time zone)', () => {
  it('makes last week due from Monday 08:00 and last month from the 1st 08:00, for three days', () => {
    expect(dueReportPeriod('week', at('2026-11-30T07:59:00'), TZ)).toBeNull();
    expect(dueReportPeriod('week', at('2026-11-30T08:00:00'), TZ)?.key).toBe('2026-W48');
    expect(dueReportPeriod('week', at('2026-12-03T07:59:00'), TZ)?.key).toBe('2026-W48');
    expect(dueReportPeriod('week', at('2026-12-03T08:00:00'), TZ)).toBeNull();
    // 08:00 in Shanghai is 00:00 UTC: the day boundary is the bureau's, not the server's.
    expect(dueReportPeriod('month', new Date('2026-11-30T23:59:00Z'), TZ)).toBeNull();
    expect(dueReportPeriod('month', new Date('2026-12-01T00:00:00Z'), TZ)?.key).toBe('2026-11');
    expect(dueReportPeriod('month', at('2026-11-30T08:00:00'), TZ)).toBeNull();
  });

  it('makes last quarter due from 08:00 on the first day of the next, for three days', () => {
    const clock = new ManualClock(at('2026-10-01T07:59:59'));
    expect(dueReportPeriod('quarter', clock.now(), TZ)).toBeNull();
    clock.advance(1000);
    expect(dueReportPeriod('quarter', clock.now(), TZ)?.key).toBe('2026-Q3');
    expect(dueReportPeriod('quarter', at('2026-10-04T07:59:00'), TZ)?.key).toBe('2026-Q3');
    expect(dueReportPeriod('quarter', at('2026-10-04T08:00:00'), TZ)).toBeNull();
    // The other months of a quarter start nothing.
    expect(dueReportPeriod('quarter', at('2026-11-01T08:00:00'), TZ)).toBeNull();
    expect(dueReportPeriod('quarter', at('2026-04-01T08:00:00'), TZ)?.key).toBe('2026-Q1');
  });

  it('makes last year (and its fourth quarter and December) due from 1 January 08:00 local = 00:00 UTC', () => {
    const clock = new ManualClock(new Date('2026-12-31T23:59:59Z'));
    for (const kind of ['month', 'quarter', 'year'] as const) expect(dueReportPeriod(kind, clock.now(), TZ)).toBeNull();
    clock.advance(1000);
    expect(dueReportPeriod('year', clock.now(), TZ)?.key).toBe('2026');
    expect(dueReportPeriod('quarter', clock.now(), TZ)?.key).toBe('2026-Q4');
    expect(dueReportPeriod('month', clock.now(), TZ)?.key).toBe('2026-12');
    // Midnight in Shanghai (16:00 UTC) starts the new year but not the report: that waits for 08:00.
    expect(dueReportPeriod('year', new Date('2026-12-31T16:00:00Z'), TZ)).toBeNull();
    expect(dueReportPeriod('year', at('2027-01-04T07:59:00'), TZ)?.key).toBe('2026');
    expect(dueReportPeriod('year', at('2027-01-04T08:00:00'), TZ)).toBeNull();
  });

  it('reads every kind back from its ledger key, and nothing else', () => {
    expect(parseReportLedgerKey(reportLedgerKey('quarter', '2026-Q4'))).toEqual({ kind: 'quarter', period: '2026-Q4' });
    expect(parseReportLedgerKey(reportLedgerKey('year', '2026'))).toEqual({ kind: 'year', period: '2026' });
    expect(parseReportLedgerKey('report-week:2026-W48')).toEqual({ kind: 'week', period: '2026-W48' });
    for (const key of ['2026-11-26', 'report-quarter:2026-11', 'report-year:2026-Q4', 'report-day:2026'])
      expect(parseReportLedgerKey(key), key).toBeNull();
  });
});

describe('scheduled 周报, 月报, 季报 and 年报', () => {
  let testDb: TestDatabase;
  let smtp: SmtpCapture | undefined;
  let connection: Redis;
  let queues: JobQueues;
  let runner: WorkerRunner;
  let dataDir: string;
  let config: AppConfig;
  const received: ReceivedMail[] = [];
  const clock = new ManualClock(at('2026-11-30T07:59:00'));
  const prefix = `yqtest-${randomUUID()}`;
  const ids = { leader: 0, analyst: 0 };

  function startRunner(): WorkerRunner {
    const r = new WorkerRunner({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix,
      queues: ['digest'],
      handlers: createReportHandlers({ db: testDb.db, queues, config, clock }),
      concurrency: 2,
      handleSignals: false,
    });
    r.start();
    return r;
  }

  async function queueIdle(): Promise<boolean> {
    const counts = await queues.queue('digest').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  }

  /** Runs the repeating job's handler the way the queue does, and waits until everything it enqueued is done. */
  async function tick(): Promise<void> {
    await queues.add('schedule-reports', {});
    await waitFor('idle queue', queueIdle);
  }

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { db } = testDb;
    const started = await startSmtpCapture({ received });
    smtp = started;
    dataDir = await mkdtemp(join(tmpdir(), 'yq-report-'));
    config = loadConfig({
      SMTP_URL: `smtp://127.0.0.1:${started.port}`,
      PUBLIC_URL: 'https://yuqing.example.gov.cn',
      TZ,
      YQ_DATA_DIR: dataDir,
      MAIL_FROM: '舆情监测中心 <yuqing@example.gov.cn>',
    });
    const leader = await createUser(db, {
      username: 'leader',
      displayName: '王局长',
      email: 'leader@example.gov.cn',
      passwordHash: 'x',
      role: 'leader',
    });
    const analyst = await createUser(db, {
      username: 'analyst',
      displayName: '李分析',
      email: 'analyst@example.gov.cn',
      passwordHash: 'x',
      role: 'analyst',
    });
    await createUser(db, {
      username: 'spokes',
      displayName: '赵发言',
      email: 'spokes@example.gov.cn',
      passwordHash: 'x',
      role: 'spokesperson',
    });
    Object.assign(ids, { leader: leader.id, analyst: analyst.id });
    // The analyst subscribed to the digest without the .docx; the spokesperson never subscribed.
    await upsertDigestSubscription(db, analyst.id, { attachDocx: false });
    for (const [i, day] of ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-10'].entries())
      await digestFixtures.mention(db, {
        title: `养老金调整信息${i}`,
        publishedAt: at(`${day}T10:00:00`),
        relevant: true,
        sentiment: i === 0 ? 'negative' : 'neutral',
        category: '社会保险',
      });

    connection = createRedisConnection('redis://127.0.0.1:6379');
    queues = new JobQueues({ connection, prefix });
    runner = startRunner();
    await runner.waitUntilReady();
  });

  afterAll(async () => {
    await runner?.close();
    if (queues) {
      await Promise.all(queues.all().map((queue) => queue.obliterate({ force: true }).catch(() => {})));
      await queues.close();
    }
    connection?.disconnect();
    await smtp?.close();
    await testDb?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('sends nothing before Monday 08:00, then last week’s 周报 once to each digest recipient', async () => {
    await tick();
    expect(received).toHaveLength(0);

    clock.set(at('2026-11-30T08:05:00'));
    await tick();
    await waitFor('two reports', async () => received.length >= 2);
    expect(received.map((r) => r.to[0]).sort()).toEqual(['analyst@example.gov.cn', 'leader@example.gov.cn']);

    const byRecipient = new Map(received.map((r) => [r.to[0], r.raw]));
    const leaderMail = await simpleParser(byRecipient.get('leader@example.gov.cn')!);
    const analystMail = await simpleParser(byRecipient.get('analyst@example.gov.cn')!);
    expect(leaderMail.subject).toContain('周报');
    expect(leaderMail.subject).toContain('2026年第48周');
    expect(leaderMail.text).toContain('信息总量');
    expect(leaderMail.attachments.some((a) => a.filename?.endsWith('.docx'))).toBe(true);
    expect(analystMail.attachments.some((a) => a.filename?.endsWith('.docx'))).toBe(false);
    for (const userId of [ids.leader, ids.analyst])
      expect(await findSentDigest(testDb.db, userId, reportLedgerKey('week', '2026-W48'))).toMatchObject({
        status: 'sent',
        attempts: 1,
      });
  });

  it('does not send the 周报 again on later runs, from a second scheduler, or after the workers restart', async () => {
    clock.set(at('2026-11-30T08:10:00'));
    await tick();
    const second = await createReportHandlers({ db: testDb.db, queues, config, clock })['schedule-reports']();
    expect(second.due).toEqual({ week: '2026-W48' });
    expect(second.enqueued).toEqual([]);

    await runner.close();
    runner = startRunner();
    await runner.waitUntilReady();
    clock.set(at('2026-12-01T07:00:00'));
    await tick();
    // A job that slipped through (enqueued by hand) still finds the ledger row and sends nothing.
    const direct = await createReportHandlers({ db: testDb.db, queues, config, clock })['send-report']({
      userId: ids.leader,
      kind: 'week',
      period: '2026-W48',
    });
    expect(direct).toMatchObject({ status: 'already-sent' });
    expect(received).toHaveLength(2);
  });

  it('sends November’s 月报 from December 1st 08:00, once', async () => {
    clock.set(at('2026-12-01T08:01:00'));
    await tick();
    await waitFor('two monthly reports', async () => received.length >= 4);
    await tick();
    clock.set(at('2026-12-02T09:00:00'));
    await tick();
    expect(received).toHaveLength(4);
    const monthly = await Promise.all(received.slice(2).map((r) => simpleParser(r.raw)));
    for (const mail of monthly) {
      expect(mail.subject).toContain('月报');
      expect(mail.subject).toContain('2026年11月');
    }
    expect(await findSentDigest(testDb.db, ids.analyst, reportLedgerKey('month', '2026-11'))).toMatchObject({
      status: 'sent',
      attempts: 1,
    });
  });

  it('sends the 季报 and 年报 on 1 January 08:00 only to those who chose them, once', async () => {
    // The analyst keeps only the 季报; the leader is on the defaults (all four kinds).
    await upsertDigestSubscription(testDb.db, ids.analyst, { reportKinds: ['quarter'] });
    const before = received.length;
    clock.set(at('2026-12-31T23:59:00'));
    await tick();
    expect(received).toHaveLength(before);

    clock.set(at('2027-01-01T08:00:00'));
    await tick();
    await waitFor('four reports', async () => received.length >= before + 4);
    const mails = await Promise.all(
      received.slice(before).map(async (r) => ({ to: r.to[0], mail: await simpleParser(r.raw) })),
    );
    const subjects = (to: string) =>
      mails
        .filter((m) => m.to === to)
        .map((m) => m.mail.subject ?? '')
        .sort();
    expect(subjects('analyst@example.gov.cn')).toEqual([expect.stringContaining('2026年第四季度')]);
    expect(subjects('analyst@example.gov.cn')[0]).toContain('季报');
    const leader = subjects('leader@example.gov.cn');
    expect(leader).toHaveLength(3);
    expect(leader.some((s) => s.includes('季报') && s.includes('2026年第四季度'))).toBe(true);
    expect(leader.some((s) => s.includes('年报') && s.includes('2026年'))).toBe(true);
    expect(leader.some((s) => s.includes('月报') && s.includes('2026年12月'))).toBe(true);

    // The next ticks (five minutes on, the next day, a second scheduler) send nothing more.
    clock.set(at('2027-01-01T08:05:00'));
    await tick();
    const again = await createReportHandlers({ db: testDb.db, queues, config, clock })['schedule-reports']();
    expect(again.due).toMatchObject({ quarter: '2026-Q4', year: '2026' });
    expect(again.enqueued).toEqual([]);
    clock.set(at('2027-01-02T09:00:00'));
    await tick();
    expect(received).toHaveLength(before + 4);
    for (const userId of [ids.leader, ids.analyst])
      expect(await findSentDigest(testDb.db, userId, reportLedgerKey('quarter', '2026-Q4'))).toMatchObject({
        status: 'sent',
        attempts: 1,
      });
    expect(await findSentDigest(testDb.db, ids.analyst, reportLedgerKey('year', '2026'))).toBeNull();
    expect(await findSentDigest(testDb.db, ids.leader, reportLedgerKey('year', '2026'))).toMatchObject({
      status: 'sent',
    });
    // A send-report job for a kind the analyst dropped (re-queued by hand) sends nothing.
    const dropped = await createReportHandlers({ db: testDb.db, queues, config, clock })['send-report']({
      userId: ids.analyst,
      kind: 'year',
      period: '2026',
    });
    expect(dropped).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
    expect(received).toHaveLength(before + 4);
  });
});
