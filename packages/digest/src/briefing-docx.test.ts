import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { renderBriefingDocx } from './briefing-docx.ts';
import { headlineFrom, type DigestContent } from './digest-content.ts';
import { renderDigestEmail } from './digest-email.ts';

function sampleContent(overrides: Partial<DigestContent> = {}): DigestContent {
  const url = 'https://yuqing.example.gov.cn';
  return {
    date: '2026-11-26',
    previousDate: '2026-11-25',
    timeZone: 'Asia/Shanghai',
    serial: '〔2026〕第330期',
    generatedAt: new Date('2026-11-27T00:30:00Z'),
    filter: { categories: [], minLevel: 'none' },
    headline: headlineFrom({ mentions: 120, relevant: 80, negative: 20 }, { mentions: 100, relevant: 50, negative: 5 }),
    issues: [
      {
        id: 7,
        title: '某科技公司拖欠员工工资三个月',
        url: `${url}/issues/7`,
        level: 'severe',
        levelLabel: '重大',
        kind: 'new',
        previousLevel: null,
        hotness: 88.5,
        category: '劳动关系',
        mentionCount: 42,
        negativePercent: 81,
        reason: '2小时内相关信息增至42条',
        summary: '2小时内相关信息增至42条；负面占81%',
        flaggedAt: new Date('2026-11-26T02:00:00Z'),
      },
      {
        id: 9,
        title: '城乡居民养老金调整政策引关注',
        url: `${url}/issues/9`,
        level: 'major',
        levelLabel: '较大',
        kind: 'escalated',
        previousLevel: 'general',
        hotness: 61,
        category: '社会保险',
        mentionCount: 18,
        negativePercent: 30,
        reason: '热度持续上升',
        summary: '热度持续上升',
        flaggedAt: new Date('2026-11-26T05:00:00Z'),
      },
    ],
    pending: [
      {
        issueId: 7,
        issueTitle: '某科技公司拖欠员工工资三个月',
        issueUrl: `${url}/issues/7`,
        level: 'severe',
        levelLabel: '重大',
        responseId: 3,
        status: 'submitted',
        statusLabel: '待审批',
        deadlineAt: new Date('2026-11-26T12:00:00Z'),
        overdue: true,
      },
    ],
    published: [
      {
        issueId: 9,
        issueTitle: '城乡居民养老金调整政策引关注',
        issueUrl: `${url}/issues/9`,
        responseId: 4,
        channel: '市人社局官网',
        url: 'https://hrss.example.gov.cn/news/1',
        publishedAt: new Date('2026-11-26T08:00:00Z'),
      },
    ],
    trend: Array.from({ length: 7 }, (_, i) => ({ date: `2026-11-${20 + i}`, mentions: 50 + i * 10, negative: i * 3 })),
    dashboardUrl: url,
    isEmpty: false,
    ...overrides,
  };
}

async function documentText(docx: Buffer): Promise<{ xml: string; text: string; files: string[] }> {
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  return { xml, text: xml.replace(/<[^>]+>/g, ''), files: Object.keys(zip.files) };
}

describe('舆情日报 .docx', () => {
  it('opens as a Word package with the masthead, number, date, issues, responses and the chart', async () => {
    const docx = await renderBriefingDocx(sampleContent());
    const { text, files } = await documentText(docx);
    expect(files).toContain('[Content_Types].xml');
    expect(files.some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);
    for (const expected of [
      '舆情日报',
      '〔2026〕第330期',
      '日期：2026年11月26日',
      '一、总体情况',
      '二、热点舆情',
      '三、回应处置情况',
      '某科技公司拖欠员工工资三个月',
      '城乡居民养老金调整政策引关注',
      '重大',
      '由一般升级',
      '已超期',
      '市人社局官网',
      '共监测到信息120条',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('says plainly when the day had nothing', async () => {
    const empty = sampleContent({
      issues: [],
      pending: [],
      published: [],
      isEmpty: true,
      headline: headlineFrom({ mentions: 0, relevant: 0, negative: 0 }, { mentions: 3, relevant: 1, negative: 0 }),
    });
    const { text } = await documentText(await renderBriefingDocx(empty));
    expect(text).toContain('未监测到新的相关信息');
    expect(text).toContain('当日无新增或升级的热点舆情');
    expect(renderDigestEmail(empty).subject).toBe('【舆情日报】2026年11月26日 无新增舆情');
  });
});

describe('digest e-mail rendering', () => {
  it('escapes titles and links every issue into the dashboard', () => {
    const content = sampleContent();
    content.issues[0]!.title = '<script>alert(1)</script>欠薪';
    const { html, text, subject } = renderDigestEmail(content, { recipientName: '张局长' });
    expect(subject).toBe('【舆情日报】2026年11月26日 热点2起（重大1起、较大1起） 信息120条 负面占比25%');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('href="https://yuqing.example.gov.cn/issues/7"');
    expect(html).toContain('src="cid:trend-chart@yuqing"');
    expect(text).toContain('https://yuqing.example.gov.cn/issues/9');
    expect(text).toContain('负面占比：25%（较前日+15个百分点）');
    expect(text).toContain('信息总量：120条（较前日+20，+20%）');
  });
});
