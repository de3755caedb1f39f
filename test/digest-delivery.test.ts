// Daily digests end to end on the real PostgreSQL, Redis and an SMTP server (smtp-server), with every
// delivered message parsed back by mailparser.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock, type AppConfig } from '@yuqing/core';
import { createUser, findSentDigest, upsertDigestSubscription } from '@yuqing/db';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import { createDigestHandlers, sendDigestJobId, TREND_CHART_CID } from '@yuqing/digest';
import { createTestDatabase, digestFixtures, type TestDatabase } from '@yuqing/testkit';
import type { Redis } from 'ioredis';
import { waitFor } from './helpers/net.ts';
import { startSmtpCapture, type ReceivedMail, type SmtpCapture } from './helpers/smtp.ts';

const PUBLIC_URL = 'https://yuqing.example.gov.cn';
const REPORT_DATE = '2026-11-26';
/** 08:30 in Shanghai on the day after the report date: past the default 08:00 send time. */
const SEND_MORNING = new Date('2026-11-27T08:30:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);

/** Reads one entry of a zip archive (a .docx is one), enough to prove the attachment opens. */
function readZipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt central directory');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const [nameLen, extraLen, commentLen] = [
      zip.readUInt16LE(p + 28),
      zip.readUInt16LE(p + 30),
      zip.readUInt16LE(p + 32),
    ];
    const local = zip.readUInt32LE(p + 42);
    if (zip.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 0 ? data : inflateRawSync(data);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${name} is not in the archive`);
}

describe('daily digest delivery', () => {
  let testDb: TestDatabase;
  let smtp: SmtpCapture | undefined;
  let connection: Redis;
  let queues: JobQueues;
  let otherScheduler: JobQueues;
  let runner: WorkerRunner;
  let dataDir: string;
  let config: AppConfig;
  const received: ReceivedMail[] = [];
  const clock = new ManualClock(SEND_MORNING);
  const prefix = `yqtest-${randomUUID()}`;
  const ids = {
    leader: 0,
    analyst: 0,
    spokesperson: 0,
    severe: 0,
    escalated: 0,
    yesterdayOnly: 0,
    dismissed: 0,
    overdueResponse: 0,
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { db } = testDb;
    const started = await startSmtpCapture({ received });
    smtp = started;
    dataDir = await mkdtemp(join(tmpdir(), 'yq-digest-'));
    config = loadConfig({
      SMTP_URL: `smtp://127.0.0.1:${started.port}`,
      PUBLIC_URL,
      TZ: 'Asia/Shanghai',
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
    const spokesperson = await createUser(db, {
      username: 'spokes',
      displayName: '赵发言',
      email: 'spokes@example.gov.cn',
      passwordHash: 'x',
      role: 'spokesperson',
    });
    await createUser(db, {
      username: 'nomail',
      displayName: '无邮箱领导',
      email: null,
      passwordHash: 'x',
      role: 'leader',
    });
    Object.assign(ids, { leader: leader.id, analyst: analyst.id, spokesperson: spokesperson.id });
    // The analyst wants only 社会保险 issues of level 较大 and up, without the .docx; the spokesperson never subscribed.
    await upsertDigestSubscription(db, analyst.id, { categories: ['社会保险'], minLevel: 'major', attachDocx: false });

    // Mentions: 6 on the report day (4 relevant, 2 of them negative), 3 the day before (2 relevant, 0 negative).
    for (const [i, m] of [
      { relevant: true, sentiment: 'negative', category: '劳动关系' },
      { relevant: true, sentiment: 'negative', category: '社会保险' },
      { relevant: true, sentiment: 'neutral', category: '社会保险' },
      { relevant: true, sentiment: 'positive', category: '就业创业' },
      { relevant: false, sentiment: null, category: null },
      { relevant: false, sentiment: null, category: null },
    ].entries())
      await digestFixtures.mention(db, {
        title: `当日信息${i}`,
        publishedAt: at(`2026-11-26T${String(9 + i).padStart(2, '0')}:00:00`),
        ...m,
      });
    await digestFixtures.mention(db, {
      title: '无发布时间的当日信息',
      publishedAt: null,
      createdAt: at('2026-11-26T23:30:00'),
      relevant: false,
    });
    for (const i of [0, 1, 2])
      await digestFixtures.mention(db, {
        title: `前日信息${i}`,
        publishedAt: at(`2026-11-25T1${i}:00:00`),
        relevant: i < 2,
        sentiment: 'neutral',
        category: '社会保险',
      });
    await digestFixtures.mention(db, {
      title: '次日信息',
      publishedAt: at('2026-11-27T00:10:00'),
      relevant: true,
      sentiment: 'negative',
      category: '社会保险',
    });

    const severe = await digestFixtures.issue(db, {
      title: '某科技公司拖欠员工工资三个月',
      category: '劳动关系',
      level: 'severe',
      hotness: 91,
      mentionCount: 42,
      firstSeenAt: at('2026-11-26T08:00:00'),
      flaggedAt: at('2026-11-26T10:00:00'),
      deadlineAt: at('2026-11-27T10:00:00'),
      places: ['高新区'],
      sentimentMix: { negative: 34, neutral: 8, positive: 0 },
    });
    await digestFixtures.flag(db, {
      issueId: severe.id,
      level: 'general',
      reason: '1小时内相关信息增至12条',
      createdAt: at('2026-11-26T10:00:00'),
    });
    await digestFixtures.flag(db, {
      issueId: severe.id,
      level: 'severe',
      reason: '涉及群体性讨薪，2小时内相关信息增至42条',
      createdAt: at('2026-11-26T15:00:00'),
    });
    await digestFixtures.hotness(db, { issueId: severe.id, at: at('2026-11-26T15:00:00'), hotness: 77.5 });
    await digestFixtures.hotness(db, { issueId: severe.id, at: at('2026-11-27T07:00:00'), hotness: 95 });

    const escalated = await digestFixtures.issue(db, {
      title: '城乡居民基础养老金调整引发热议',
      category: '社会保险',
      level: 'major',
      hotness: 64,
      mentionCount: 18,
      firstSeenAt: at('2026-11-24T09:00:00'),
      flaggedAt: at('2026-11-24T12:00:00'),
    });
    await digestFixtures.flag(db, {
      issueId: escalated.id,
      level: 'general',
      reason: '关注度上升',
      createdAt: at('2026-11-24T12:00:00'),
    });
    await digestFixtures.flag(db, {
      issueId: escalated.id,
      level: 'major',
      reason: '多家媒体转载',
      createdAt: at('2026-11-26T11:00:00'),
    });

    const yesterdayOnly = await digestFixtures.issue(db, {
      title: '前日的医保报销热点',
      category: '社会保险',
      level: 'major',
      hotness: 50,
      firstSeenAt: at('2026-11-25T09:00:00'),
      flaggedAt: at('2026-11-25T10:00:00'),
    });
    await digestFixtures.flag(db, {
      issueId: yesterdayOnly.id,
      level: 'major',
      reason: '前日预警',
      createdAt: at('2026-11-25T10:00:00'),
    });
    const dismissed = await digestFixtures.issue(db, {
      title: '已排除的误报事项',
      category: '社会保险',
      level: 'major',
      status: 'dismissed',
      firstSeenAt: at('2026-11-26T09:00:00'),
      flaggedAt: at('2026-11-26T09:30:00'),
    });
    await digestFixtures.flag(db, {
      issueId: dismissed.id,
      level: 'major',
      reason: '误报',
      createdAt: at('2026-11-26T09:30:00'),
    });
    Object.assign(ids, {
      severe: severe.id,
      escalated: escalated.id,
      yesterdayOnly: yesterdayOnly.id,
      dismissed: dismissed.id,
    });

    const overdue = await digestFixtures.response(db, {
      issueId: severe.id,
      authorId: spokesperson.id,
      status: 'submitted',
      deadlineAt: at('2026-11-26T20:00:00'),
      createdAt: at('2026-11-26T16:00:00'),
    });
    ids.overdueResponse = overdue.id;
    const published = await digestFixtures.response(db, {
      issueId: escalated.id,
      authorId: spokesperson.id,
      status: 'published',
      createdAt: at('2026-11-26T12:00:00'),
      publishedAt: at('2026-11-26T17:00:00'),
    });
    await digestFixtures.publish(db, {
      responseId: published.id,
      channel: '市人社局官网',
      url: 'https://hrss.example.gov.cn/zcjd/1.html',
      publishedAt: at('2026-11-26T17:00:00'),
      publishedById: spokesperson.id,
    });
    await digestFixtures.publish(db, {
      responseId: published.id,
      channel: '政务微博',
      publishedAt: at('2026-11-25T17:00:00'),
      publishedById: spokesperson.id,
    });

    connection = createRedisConnection('redis://127.0.0.1:6379');
    queues = new JobQueues({ connection, prefix });
    otherScheduler = new JobQueues({ connection, prefix });
    runner = new WorkerRunner({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix,
      queues: ['digest'],
      handlers: createDigestHandlers({ db, queues, config, clock }),
      concurrency: 2,
      handleSignals: false,
    });
    runner.start();
    await runner.waitUntilReady();
  });

  afterAll(async () => {
    await runner?.close();
    for (const q of [queues, otherScheduler]) {
      if (!q) continue;
      await Promise.all(q.all().map((queue) => queue.obliterate({ force: true }).catch(() => {})));
      await q.close();
    }
    connection?.disconnect();
    await smtp?.close();
    await testDb?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function queueIdle(): Promise<boolean> {
    const counts = await queues.queue('digest').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  }

  let leaderMail: ParsedMail;
  let analystMail: ParsedMail;

  it('sends nothing before the send time, then one digest to each recipient once it has passed', async () => {
    const handlers = createDigestHandlers({
      db: testDb.db,
      queues,
      config,
      clock: new ManualClock(at('2026-11-27T07:55:00')),
    });
    const early = await handlers['schedule-digests']();
    expect(early).toMatchObject({ date: REPORT_DATE, enqueued: [] });

    const scheduled = await createDigestHandlers({ db: testDb.db, queues, config, clock })['schedule-digests']();
    // Leaders get digests by default; the analyst subscribed; the spokesperson did not; a leader without e-mail cannot.
    expect(scheduled.enqueued.sort()).toEqual([ids.leader, ids.analyst].sort());
    await waitFor('two digests', async () => received.length >= 2);
    await waitFor('idle queue', queueIdle);
    expect(received).toHaveLength(2);

    const byRecipient = new Map(received.map((r) => [r.to[0], r.raw]));
    // keepCidLinks: mailparser would otherwise inline the image as a data: URI and hide the cid reference.
    leaderMail = await simpleParser(byRecipient.get('leader@example.gov.cn')!, { keepCidLinks: true });
    analystMail = await simpleParser(byRecipient.get('analyst@example.gov.cn')!);
    for (const userId of [ids.leader, ids.analyst]) {
      expect(await findSentDigest(testDb.db, userId, REPORT_DATE)).toMatchObject({
        status: 'sent',
        attempts: 1,
        lastError: null,
      });
    }
  });

  it('is multipart HTML + text with a Chinese subject, Chinese names and links into the dashboard', () => {
    expect(leaderMail.subject).toBe('【舆情日报】2026年11月26日 热点2起（重大1起、较大1起） 信息7条 负面占比50%');
    expect(leaderMail.from?.value[0]).toEqual({ name: '舆情监测中心', address: 'yuqing@example.gov.cn' });
    const to = Array.isArray(leaderMail.to) ? leaderMail.to[0] : leaderMail.to;
    expect(to?.value[0]).toEqual({ name: '王局长', address: 'leader@example.gov.cn' });
    expect(leaderMail.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    expect(leaderMail.messageId).toBe(`<digest.${REPORT_DATE}.u${ids.leader}@yuqing.example.gov.cn>`);

    const html = leaderMail.html as string;
    const text = leaderMail.text!;
    for (const part of [html, text]) {
      expect(part).toContain('某科技公司拖欠员工工资三个月');
      expect(part).toContain('城乡居民基础养老金调整引发热议');
      expect(part).toContain(`${PUBLIC_URL}/issues/${ids.severe}`);
      expect(part).toContain(`${PUBLIC_URL}/issues/${ids.escalated}`);
      expect(part).not.toContain('已排除的误报事项');
      // Flagged the day before: not among the day's hot issues, but still waiting for a response.
      const issuesSection = part.slice(part.indexOf('二、热点舆情'), part.indexOf('三、待回应事项'));
      const pendingSection = part.slice(part.indexOf('三、待回应事项'), part.indexOf('四、已发布回应'));
      expect(issuesSection).toContain('某科技公司拖欠员工工资三个月');
      expect(issuesSection).not.toContain('前日的医保报销热点');
      expect(pendingSection).toContain('前日的医保报销热点');
      expect(part).toContain('市人社局官网');
      expect(part).not.toContain('政务微博');
    }
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links.filter((l) => l.includes('/issues/')).every((l) => l.startsWith(`${PUBLIC_URL}/issues/`))).toBe(true);
    // Headline: 7 mentions (one counted by collection time) against 3, 4 relevant against 2, 2 of 4 negative.
    expect(text).toContain('信息总量：7条（较前日+4，+133.3%）');
    expect(text).toContain('相关信息：4条（较前日+2，+100%）');
    expect(text).toContain('负面占比：50%（较前日+50个百分点）');
    // The severe issue reached 重大 after a 一般 flag the same day: new, at the day's last hotness snapshot.
    expect(text).toContain('【重大】某科技公司拖欠员工工资三个月（新增，热度77.5）');
    expect(text).toContain('由一般升级为较大');
    expect(text).toMatch(/【已超期】某科技公司拖欠员工工资三个月（重大，待审批/);
    expect(text).toContain('近7日信息量');
  });

  it('carries the trend chart as an inline PNG referenced by Content-ID', () => {
    const chart = leaderMail.attachments.find((a) => a.contentType === 'image/png');
    expect(chart).toBeDefined();
    expect(chart!.cid).toBe(TREND_CHART_CID);
    expect(chart!.contentDisposition).toBe('inline');
    expect(chart!.related).toBe(true);
    expect(chart!.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(leaderMail.html).toContain(`src="cid:${TREND_CHART_CID}"`);
    expect(leaderMail.html).not.toMatch(/<img[^>]+src="https?:/);
  });

  it('attaches the 舆情日报 .docx when the subscription says so, and it holds the issue titles', () => {
    const docx = leaderMail.attachments.find((a) => a.filename?.endsWith('.docx'));
    expect(docx?.filename).toBe(`舆情日报-${REPORT_DATE}.docx`);
    const xml = readZipEntry(docx!.content, 'word/document.xml').toString('utf8');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('某科技公司拖欠员工工资三个月');
    expect(text).toContain('城乡居民基础养老金调整引发热议');
    expect(text).toContain('〔2026〕第330期');
    expect(analystMail.attachments.some((a) => a.filename?.endsWith('.docx'))).toBe(false);
  });

  it('filters each digest by the subscription (categories and minimum level)', () => {
    const text = analystMail.text!;
    expect(text).toContain('城乡居民基础养老金调整引发热议');
    expect(text).not.toContain('某科技公司拖欠员工工资三个月');
    expect(text).toContain('类别：社会保险');
    // Headline counts only 社会保险 mentions: 2 that day (1 negative), 3 the day before.
    expect(text).toContain('信息总量：2条（较前日-1，-33.3%）');
    expect(analystMail.subject).toBe('【舆情日报】2026年11月26日 热点1起（较大1起） 信息2条 负面占比50%');
  });

  it('sends the same day once however often it is scheduled or sent', async () => {
    const before = received.length;
    const again = createDigestHandlers({ db: testDb.db, queues: otherScheduler, config, clock });
    expect((await again['schedule-digests']()).enqueued).toEqual([]);
    // Jobs from a second scheduler with the same id are one job; a direct send is refused by the ledger.
    await otherScheduler.add(
      'send-digest',
      { userId: ids.leader, date: REPORT_DATE },
      { jobId: sendDigestJobId(ids.leader, REPORT_DATE) },
    );
    await queues.add('send-digest', { userId: ids.leader, date: REPORT_DATE }, { jobId: `retry-${randomUUID()}` });
    expect(await again['send-digest']({ userId: ids.leader, date: REPORT_DATE })).toMatchObject({
      status: 'already-sent',
    });
    await waitFor('idle queue', queueIdle);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.length).toBe(before);
    expect(await findSentDigest(testDb.db, ids.leader, REPORT_DATE)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('delivers one mail when two send jobs for the same recipient and day run at once', async () => {
    const leader2 = await createUser(testDb.db, {
      username: 'leader2',
      displayName: '陈副局长',
      email: 'leader2@example.gov.cn',
      passwordHash: 'x',
      role: 'leader',
    });
    const before = received.length;
    const a = createDigestHandlers({ db: testDb.db, queues, config, clock });
    const b = createDigestHandlers({ db: testDb.db, queues: otherScheduler, config, clock });
    const outcomes = await Promise.allSettled([
      a['send-digest']({ userId: leader2.id, date: REPORT_DATE }),
      b['send-digest']({ userId: leader2.id, date: REPORT_DATE }),
    ]);
    const sent = outcomes.filter((o) => o.status === 'fulfilled' && (o.value as { status: string }).status === 'sent');
    expect(sent).toHaveLength(1);
    // The loser either saw the finished row or was told to look again later (a retryable error).
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as { code?: string }).code).toBe('DIGEST_IN_PROGRESS');
    }
    expect(await b['send-digest']({ userId: leader2.id, date: REPORT_DATE })).toMatchObject({ status: 'already-sent' });
    expect(received.length - before).toBe(1);
    expect(await findSentDigest(testDb.db, leader2.id, REPORT_DATE)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
