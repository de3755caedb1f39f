// Periodic reports and the 专报 on a seeded PostgreSQL database: the statistics against counts computed here from
// the seeded rows, the .docx read back, and the e-mail through a local SMTP server, parsed by mailparser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AppConfig } from '@yuqing/core';
import { createUser } from '@yuqing/db';
import {
  composeReportMessage,
  createDigestMailer,
  parseReportPeriod,
  prepareIssueReport,
  preparePeriodicReport,
} from '@yuqing/digest';
import { createTestDatabase, digestFixtures as fx, type TestDatabase } from '@yuqing/testkit';
import { readZipEntry } from './helpers/zip.ts';
import { startSmtpCapture, type ReceivedMail, type SmtpCapture } from './helpers/smtp.ts';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
/** Week 48 of 2026 in Shanghai, written out here rather than taken from the code under test. */
const W48 = { start: at('2026-11-23T00:00:00'), end: at('2026-11-30T00:00:00') };
const W47 = { start: at('2026-11-16T00:00:00'), end: at('2026-11-23T00:00:00') };

interface MentionSpec {
  title: string;
  publishedAt: Date | null;
  createdAt?: Date;
  relevant: boolean;
  category: string | null;
  sentiment: string | null;
  issue?: keyof typeof ISSUES;
  author?: string;
  likes?: number;
  reposts?: number;
}

const ISSUES = {
  pension: { title: '养老金调整发放时间', category: '社会保险', deadline: at('2026-11-24T10:00:00') },
  jobs: { title: '招聘会现场秩序', category: '就业创业', deadline: at('2026-11-26T08:00:00') },
  wages: { title: '工地欠薪讨薪', category: '社会保险', deadline: at('2026-11-28T12:00:00') },
  older: { title: '社保卡换领排队', category: '社会保障卡', deadline: at('2026-11-19T08:00:00') },
  dismissed: { title: '与人社无关的广告', category: '就业创业', deadline: null },
} as const;

const MENTIONS: MentionSpec[] = [
  // Around the week's edges: 23:30 on Sunday belongs to week 47, 00:10 on Monday to week 48 (both the 22nd in UTC).
  {
    title: '周日深夜的帖子',
    publishedAt: at('2026-11-22T23:30:00'),
    relevant: true,
    category: '社会保险',
    sentiment: 'negative',
  },
  {
    title: '周一凌晨的帖子',
    publishedAt: at('2026-11-23T00:10:00'),
    relevant: true,
    category: '社会保险',
    sentiment: 'negative',
    issue: 'pension',
    author: '市民甲',
    likes: 120,
    reposts: 3,
  },
  {
    title: '养老金什么时候到账',
    publishedAt: at('2026-11-23T09:00:00'),
    relevant: true,
    category: '社会保险',
    sentiment: 'neutral',
    issue: 'pension',
    author: '市民乙',
    likes: 15,
    reposts: 40,
  },
  {
    title: '养老金到账了吗',
    publishedAt: at('2026-11-23T11:00:00'),
    relevant: true,
    category: '社会保险',
    sentiment: 'negative',
    issue: 'pension',
    author: '市民甲',
    likes: 30,
    reposts: 1,
  },
  {
    title: '养老金政策解读转发',
    publishedAt: at('2026-11-24T08:00:00'),
    relevant: true,
    category: '社会保险',
    sentiment: 'positive',
    issue: 'pension',
    author: '人社发布',
    likes: 5,
    reposts: 90,
  },
  {
    title: '招聘会人太多',
    publishedAt: at('2026-11-25T07:30:00'),
    relevant: true,
    category: '就业创业',
    sentiment: 'negative',
    issue: 'jobs',
    author: '求职者',
    likes: 8,
  },
  {
    title: '招聘会改期',
    publishedAt: at('2026-11-26T10:00:00'),
    relevant: true,
    category: '就业创业',
    sentiment: 'neutral',
    issue: 'jobs',
  },
  {
    title: '工地欠薪',
    publishedAt: at('2026-11-27T11:00:00'),
    relevant: true,
    category: '社会保险',
    sentiment: 'negative',
    issue: 'wages',
  },
  {
    title: '无发布时间按采集时间计',
    publishedAt: null,
    createdAt: at('2026-11-28T09:00:00'),
    relevant: true,
    category: null,
    sentiment: 'neutral',
  },
  { title: '无关新闻', publishedAt: at('2026-11-26T12:00:00'), relevant: false, category: null, sentiment: null },
  {
    title: '周日最后一分钟',
    publishedAt: at('2026-11-29T23:59:00'),
    relevant: true,
    category: '就业创业',
    sentiment: 'positive',
  },
  {
    title: '下周一零点',
    publishedAt: at('2026-11-30T00:00:00'),
    relevant: true,
    category: '就业创业',
    sentiment: 'negative',
  },
  {
    title: '上周的社保卡帖子',
    publishedAt: at('2026-11-18T07:00:00'),
    relevant: true,
    category: '社会保障卡',
    sentiment: 'negative',
    issue: 'older',
  },
  { title: '上周的无关帖子', publishedAt: at('2026-11-17T07:00:00'), relevant: false, category: null, sentiment: null },
];

const FLAGS: Array<{ issue: keyof typeof ISSUES; level: 'general' | 'major' | 'severe'; at: Date }> = [
  { issue: 'pension', level: 'general', at: at('2026-11-23T10:00:00') },
  { issue: 'pension', level: 'major', at: at('2026-11-24T09:00:00') },
  { issue: 'jobs', level: 'severe', at: at('2026-11-25T08:00:00') },
  { issue: 'wages', level: 'general', at: at('2026-11-27T12:00:00') },
  { issue: 'older', level: 'general', at: at('2026-11-18T08:00:00') },
  { issue: 'older', level: 'general', at: at('2026-11-26T08:00:00') },
  { issue: 'dismissed', level: 'major', at: at('2026-11-24T08:00:00') },
];

/** Responses: created, decisions, publications (channel, time), material. */
const RESPONSES: Array<{
  issue: keyof typeof ISSUES;
  createdAt: Date;
  decisions: Array<{ decision: 'approved' | 'returned'; at: Date }>;
  publishes: Array<{ channel: string; at: Date }>;
  materials: Array<'qa' | 'explainer'>;
}> = [
  {
    issue: 'pension',
    createdAt: at('2026-11-23T12:00:00'),
    decisions: [{ decision: 'approved', at: at('2026-11-23T18:00:00') }],
    publishes: [
      { channel: '官方微博', at: at('2026-11-23T20:00:00') },
      { channel: '门户网站', at: at('2026-11-23T20:30:00') },
    ],
    materials: ['qa', 'explainer'],
  },
  {
    issue: 'jobs',
    createdAt: at('2026-11-25T10:00:00'),
    decisions: [
      { decision: 'returned', at: at('2026-11-25T15:00:00') },
      { decision: 'approved', at: at('2026-11-26T12:00:00') },
    ],
    publishes: [{ channel: '门户网站', at: at('2026-11-26T14:00:00') }],
    materials: [],
  },
  {
    issue: 'older',
    createdAt: at('2026-11-18T09:00:00'),
    decisions: [{ decision: 'approved', at: at('2026-11-19T09:00:00') }],
    publishes: [{ channel: '门户网站', at: at('2026-11-19T10:00:00') }],
    materials: ['qa'],
  },
];

const inWindow = (d: Date, w: { start: Date; end: Date }) => d >= w.start && d < w.end;
const mentionTime = (m: MentionSpec) => m.publishedAt ?? m.createdAt!;

/** The expected figures of a window, counted from the specs above. */
function expected(w: { start: Date; end: Date }) {
  const ms = MENTIONS.filter((m) => inWindow(mentionTime(m), w));
  const flagged = Object.keys(ISSUES).filter(
    (k) => k !== 'dismissed' && FLAGS.some((f) => f.issue === k && inWindow(f.at, w)),
  ) as Array<keyof typeof ISSUES>;
  const firstFlag = (k: string) => Math.min(...FLAGS.filter((f) => f.issue === k).map((f) => f.at.getTime()));
  const firstPublish = (k: string) => {
    const times = RESPONSES.filter((r) => r.issue === k).flatMap((r) => r.publishes.map((p) => p.at.getTime()));
    return times.length ? Math.min(...times) : null;
  };
  const fresh = flagged.filter((k) => inWindow(new Date(firstFlag(k)), w));
  const hours = fresh
    .filter((k) => firstPublish(k) !== null)
    .map((k) => (firstPublish(k)! - firstFlag(k)) / 3_600_000)
    .sort((a, b) => a - b);
  const median =
    hours.length === 0
      ? null
      : hours.length % 2
        ? hours[(hours.length - 1) / 2]!
        : (hours[hours.length / 2 - 1]! + hours[hours.length / 2]!) / 2;
  const withDeadline = fresh.filter((k) => ISSUES[k].deadline !== null);
  const inTime = withDeadline.filter(
    (k) => firstPublish(k) !== null && firstPublish(k)! <= ISSUES[k].deadline!.getTime(),
  );
  const published = RESPONSES.filter((r) => r.publishes.some((p) => inWindow(p.at, w)));
  return {
    mentions: ms.length,
    relevant: ms.filter((m) => m.relevant).length,
    negative: ms.filter((m) => m.relevant && m.sentiment === 'negative').length,
    hotIssues: flagged.length,
    newHotIssues: fresh.length,
    median,
    inTimePercent: withDeadline.length ? Math.round((inTime.length / withDeadline.length) * 1000) / 10 : null,
    drafted: RESPONSES.filter((r) => inWindow(r.createdAt, w)).length,
    approved: RESPONSES.flatMap((r) => r.decisions).filter((d) => d.decision === 'approved' && inWindow(d.at, w))
      .length,
    returned: RESPONSES.flatMap((r) => r.decisions).filter((d) => d.decision === 'returned' && inWindow(d.at, w))
      .length,
    responsesPublished: published.length,
    publications: RESPONSES.flatMap((r) => r.publishes).filter((p) => inWindow(p.at, w)).length,
    materials: published.reduce((n, r) => n + r.materials.length, 0),
  };
}

/** The text of a .docx body: the runs of word/document.xml joined. */
function docxText(docx: Buffer): string {
  const xml = readZipEntry(docx, 'word/document.xml')!.toString('utf8');
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

describe('periodic reports and the 专报 on PostgreSQL', () => {
  let testDb: TestDatabase;
  let smtp: SmtpCapture;
  let config: AppConfig;
  let dataDir: string;
  const received: ReceivedMail[] = [];
  const issueIds = {} as Record<keyof typeof ISSUES, number>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { db } = testDb;
    const started = await startSmtpCapture({ received });
    smtp = started;
    dataDir = await mkdtemp(join(tmpdir(), 'yq-report-'));
    config = loadConfig({
      SMTP_URL: `smtp://127.0.0.1:${started.port}`,
      TZ,
      YQ_DATA_DIR: dataDir,
      PUBLIC_URL: 'https://yuqing.example.gov.cn',
    });
    const author = await createUser(db, {
      username: 'spokes',
      displayName: '赵发言',
      email: null,
      passwordHash: 'x',
      role: 'spokesperson',
    });
    const leader = await createUser(db, {
      username: 'leader',
      displayName: '王局长',
      email: null,
      passwordHash: 'x',
      role: 'leader',
    });
    for (const [key, spec] of Object.entries(ISSUES) as Array<
      [keyof typeof ISSUES, (typeof ISSUES)[keyof typeof ISSUES]]
    >) {
      const flags = FLAGS.filter((f) => f.issue === key);
      const row = await fx.issue(testDb, {
        title: spec.title,
        category: spec.category,
        level: flags.at(-1)?.level ?? 'none',
        status: key === 'dismissed' ? 'dismissed' : 'confirmed',
        mentionCount: MENTIONS.filter((m) => m.issue === key).length,
        firstSeenAt: flags[0]!.at,
        lastSeenAt: flags.at(-1)!.at,
        flaggedAt: flags[0]!.at,
        deadlineAt: spec.deadline,
      });
      issueIds[key] = row.id;
      for (const f of flags)
        await fx.flag(testDb, { issueId: row.id, level: f.level, reason: 'flagged: burst', createdAt: f.at });
    }
    for (const m of MENTIONS)
      await fx.mention(testDb, {
        title: m.title,
        publishedAt: m.publishedAt,
        ...(m.createdAt ? { createdAt: m.createdAt } : {}),
        relevant: m.relevant,
        category: m.category,
        sentiment: m.sentiment,
        issueId: m.issue ? issueIds[m.issue] : null,
        author: m.author ?? null,
        likes: m.likes ?? 0,
        reposts: m.reposts ?? 0,
      });
    for (const r of RESPONSES) {
      const response = await fx.response(testDb, {
        issueId: issueIds[r.issue],
        authorId: author.id,
        status: 'published',
        body: `关于${ISSUES[r.issue].title}的回应口径`,
        createdAt: r.createdAt,
        publishedAt: r.publishes[0]!.at,
      });
      for (const d of r.decisions)
        await fx.approval(testDb, {
          responseId: response.id,
          version: 1,
          decision: d.decision,
          deciderId: leader.id,
          createdAt: d.at,
        });
      for (const p of r.publishes)
        await fx.publish(testDb, {
          responseId: response.id,
          channel: p.channel,
          publishedAt: p.at,
          publishedById: author.id,
        });
      for (const kind of r.materials)
        await fx.material(testDb, {
          responseId: response.id,
          issueId: issueIds[r.issue],
          kind,
          title: `${kind}材料`,
          createdById: author.id,
        });
    }
  }, 120_000);

  afterAll(async () => {
    await smtp.close();
    await rm(dataDir, { recursive: true, force: true });
    await testDb.drop();
  });

  it('counts a week and the week before as the seeded rows say, at Shanghai day boundaries', async () => {
    const period = parseReportPeriod('week', '2026-W48', TZ);
    expect([period.start, period.end]).toEqual([W48.start, W48.end]);
    const { content } = await preparePeriodicReport(testDb.db, config, { period, asOf: at('2026-12-01T09:00:00') });
    for (const [w, h, r] of [
      [W48, content.headline, content.responses],
      [W47, null, content.previousResponses],
    ] as const) {
      const e = expected(w);
      if (h)
        expect([h.mentions.value, h.relevant.value, h.negative.value]).toEqual([e.mentions, e.relevant, e.negative]);
      expect({
        hotIssues: r.hotIssues,
        newHotIssues: r.newHotIssues,
        median: r.medianFirstResponseHours,
        inTimePercent: r.inTimePercent,
        drafted: r.activity.drafted,
        approved: r.activity.approved,
        returned: r.activity.returned,
        responsesPublished: r.activity.responsesPublished,
        publications: r.activity.publications,
        materials: r.materials,
      }).toEqual({
        hotIssues: e.hotIssues,
        newHotIssues: e.newHotIssues,
        median: e.median,
        inTimePercent: e.inTimePercent,
        drafted: e.drafted,
        approved: e.approved,
        returned: e.returned,
        responsesPublished: e.responsesPublished,
        publications: e.publications,
        materials: e.materials,
      });
    }
    const e48 = expected(W48);
    const e47 = expected(W47);
    expect(content.headline.mentions.previous).toBe(e47.mentions);
    // The seeded week: 10 mentions (00:10 Monday and 23:59 Sunday in, midnight next Monday out), 4 hot issues
    // (the dismissed one left out), medians of 10 h and 30 h.
    expect([e48.mentions, e48.hotIssues, e48.median]).toEqual([10, 4, 20]);
    // Categories: relevant mentions per category, issues by their highest level in the week.
    const pension = content.categories.find((c) => c.category === '社会保险')!;
    expect(pension.mentions).toBe(
      MENTIONS.filter((m) => m.relevant && m.category === '社会保险' && inWindow(mentionTime(m), W48)).length,
    );
    expect(pension.issues).toEqual({ general: 1, major: 1, severe: 0 });
    expect(content.categories.find((c) => c.category === '就业创业')!.issues).toEqual({
      general: 0,
      major: 0,
      severe: 1,
    });
    expect(content.categories.find((c) => c.category === '未分类')!.mentions).toBe(1);
    expect(content.responses.activity.materialsByKind).toEqual({ qa: 1, explainer: 1 });
    expect(content.trend.map((p) => p.date)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    expect(content.trend.reduce((n, p) => n + p.mentions, 0)).toBe(e48.mentions);
  });

  it('writes the 周报 as a .docx whose tables carry the figures', async () => {
    const period = parseReportPeriod('week', '2026-W48', TZ);
    const { docx, docxFileName } = await preparePeriodicReport(testDb.db, config, { period });
    expect(docxFileName).toBe('舆情周报-2026-W48.docx');
    const text = docxText(docx);
    expect(text).toContain('舆情周报');
    expect(text).toContain('〔2026〕第48期');
    expect(text).toContain('2026年第48周（2026年11月23日至11月29日），共监测到网络信息10条');
    expect(text).toContain('首次回应时间中位数20小时');
    expect(text).toContain('按时回应率33.3%');
    expect(text).toContain('同步发布政策解读材料2件（问答1件、通俗解读1件）');
    for (const title of ['养老金调整发放时间', '招聘会现场秩序', '工地欠薪讨薪', '社保卡换领排队'])
      expect(text).toContain(title);
    expect(text).not.toContain('与人社无关的广告');
    // The three charts are embedded as PNG images.
    const { zipEntryNames } = await import('./helpers/zip.ts');
    expect(zipEntryNames(docx).filter((n) => n.startsWith('word/media/') && n.endsWith('.png'))).toHaveLength(3);
  });

  it('sends the 月报 by e-mail with inline charts and the .docx attached', async () => {
    const period = parseReportPeriod('month', '2026-11', TZ);
    const prepared = await preparePeriodicReport(testDb.db, config, { period });
    const mailer = createDigestMailer(config);
    try {
      await mailer.send(
        composeReportMessage({
          rendered: prepared.email,
          docx: prepared.docx,
          docxFileName: prepared.docxFileName,
          from: config.mailFrom,
          to: { name: '王局长', address: 'leader@example.gov.cn' },
          messageId: '<report.2026-11.test@yuqing.example.gov.cn>',
          date: at('2026-12-01T09:00:00'),
        }),
        'report-test',
      );
    } finally {
      mailer.close();
    }
    expect(received).toHaveLength(1);
    const mail = await simpleParser(received[0]!.raw);
    expect(mail.subject).toBe('【舆情月报】2026年11月 〔2026〕第11期');
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.cid).sort()).toEqual([
      'report-categories@yuqing',
      'report-sentiment@yuqing',
      'report-trend@yuqing',
    ]);
    // mailparser inlines cid: images as data: URIs; the raw message must reference each by Content-ID.
    const raw = received[0]!.raw.toString('latin1');
    for (const image of images) expect(raw).toContain(`Content-ID: <${image.cid}>`);
    expect((mail.html || '').match(/<img /g)).toHaveLength(3);
    const word = mail.attachments.find((a) => a.filename === '舆情月报-2026-11.docx');
    expect(word).toBeDefined();
    expect(docxText(word!.content)).toContain('舆情月报');
    // November holds both weeks: every seeded mention but the two outside November's days… none are outside.
    const november = { start: at('2026-11-01T00:00:00'), end: at('2026-12-01T00:00:00') };
    expect(mail.text).toContain(`共监测到网络信息${expected(november).mentions}条`);
  });

  it('writes the 专报 of one issue: timeline, key voices with counts, response record', async () => {
    const { content, docx } = await prepareIssueReport(testDb.db, config, { issueId: issueIds.pension });
    expect(content.spread.map((p) => [p.date, p.mentions])).toEqual([
      ['2026-11-23', 3],
      ['2026-11-24', 1],
    ]);
    expect(content.mostLiked[0]!.title).toBe('周一凌晨的帖子');
    expect(content.mostReposted[0]!.title).toBe('养老金政策解读转发');
    expect(content.authors[0]).toEqual({ author: '市民甲', mentions: 2, likes: 150, reposts: 4 });
    expect(content.sentiment).toEqual({ negative: 2, neutral: 1, positive: 1 });
    const text = docxText(docx);
    expect(text).toContain('关于“养老金调整发放时间”的舆情专报');
    expect(text).toContain('预警为一般热点');
    expect(text).toContain('预警为较大热点');
    expect(text).toContain('王局长批准第1版');
    expect(text).toContain('经官方微博发布');
    expect(text).toContain('关于养老金调整发放时间的回应口径');
    expect(text).toContain('市民甲');
    await expect(prepareIssueReport(testDb.db, config, { issueId: 999_999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
