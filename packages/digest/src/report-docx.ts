// Periodic reports and the 专报 as Word documents, in the 舆情日报's government format (briefing-docx.ts): red
// masthead, number, issuer and date over a red rule, numbered sections, statistics tables, charts as PNG.
import { AlignmentType, Paragraph } from 'docx';
import { formatMinuteInZone } from '@yuqing/core';
import { MATERIAL_KIND_LABELS, REPORT_KIND_LABELS } from '@yuqing/domain';
import {
  bodyText,
  colophon,
  DEFAULT_BRIEFING_ISSUER,
  figure,
  FONT,
  heading,
  masthead,
  packDocument,
  RED,
  run,
  SIZE,
  subheading,
  table,
  type DocumentBlock,
} from './gov-document.ts';
import type { IssueReportContent } from './issue-report.ts';
import type { PeriodicReportContent } from './periodic-report.ts';
import { REPORT_CHART_HEIGHT, REPORT_CHART_WIDTH } from './report-charts.ts';
import { materialEntries, periodicSummary, STATISTICS_NOTE, statisticsRows } from './report-text.ts';

/** The report charts' own size in pixels (sets their height on the page). */
const REPORT_CHART_PIXELS = { width: REPORT_CHART_WIDTH, height: REPORT_CHART_HEIGHT };

/** Chart PNGs of a periodic report (rendered by the caller, so e-mail and document share them). */
export interface PeriodicReportCharts {
  trend: Buffer;
  categories: Buffer;
  sentiment: Buffer;
}

/** Chart PNGs of a 专报. */
export interface IssueReportCharts {
  spread: Buffer;
  sentiment: Buffer;
}

/** Options for the report documents. */
export interface ReportDocxOptions {
  /** Issuing office. @defaultValue the 舆情日报's issuer */
  issuer?: string;
}

/** Closes the document with the 版记 and packs it. */
function pack(title: string, issuer: string, serial: string, children: DocumentBlock[]): Promise<Buffer> {
  children.push(colophon(issuer, serial));
  return packDocument({ creator: issuer, title: `${title} ${serial}`, children });
}

function localDateTime(at: Date, timeZone: string): string {
  return formatMinuteInZone(at, timeZone);
}

/** Renders a 周报/月报/季报/年报 as .docx bytes. */
export async function renderPeriodicReportDocx(
  content: PeriodicReportContent,
  charts: PeriodicReportCharts,
  options: ReportDocxOptions = {},
): Promise<Buffer> {
  const issuer = options.issuer ?? DEFAULT_BRIEFING_ISSUER;
  const title = REPORT_KIND_LABELS[content.period.kind];
  const tz = content.period.timeZone;
  const children: DocumentBlock[] = masthead(title, content.serial, issuer, `统计周期：${content.period.label}`);

  children.push(bodyText(`${periodicSummary(content)}现将有关情况报告如下：`));

  children.push(heading('一、总体情况'));
  children.push(
    table(
      [
        { title: '统计指标', share: 0.34 },
        { title: '单位', share: 0.08, align: AlignmentType.CENTER },
        { title: '本期', share: 0.14, align: AlignmentType.RIGHT },
        { title: '上期', share: 0.14, align: AlignmentType.RIGHT },
        { title: '增减', share: 0.3, align: AlignmentType.RIGHT },
      ],
      statisticsRows(content),
    ),
  );
  children.push(para(STATISTICS_NOTE));
  children.push(
    ...figure(charts.trend, `图1　${content.period.label}信息量走势（蓝：信息量；红：负面信息）`, REPORT_CHART_PIXELS),
  );

  children.push(heading('二、分类统计'));
  if (content.categories.length === 0) {
    children.push(bodyText('本期未监测到相关信息。'));
  } else {
    children.push(
      table(
        [
          { title: '类别', share: 0.22 },
          { title: '相关信息', share: 0.12, align: AlignmentType.RIGHT },
          { title: '上期', share: 0.1, align: AlignmentType.RIGHT },
          { title: '负面', share: 0.1, align: AlignmentType.RIGHT },
          { title: '重大', share: 0.1, align: AlignmentType.RIGHT },
          { title: '较大', share: 0.1, align: AlignmentType.RIGHT },
          { title: '一般', share: 0.1, align: AlignmentType.RIGHT },
          { title: '热点合计', share: 0.16, align: AlignmentType.RIGHT },
        ],
        content.categories.map((c) => [
          c.category,
          String(c.mentions),
          String(c.previousMentions),
          String(c.negative),
          String(c.issues.severe),
          String(c.issues.major),
          String(c.issues.general),
          String(c.issuesTotal),
        ]),
      ),
    );
    children.push(...figure(charts.categories, '图2　各类别相关信息量', REPORT_CHART_PIXELS));
  }
  children.push(...figure(charts.sentiment, '图3　相关信息情感倾向分布', REPORT_CHART_PIXELS));

  children.push(heading('三、热点舆情'));
  if (content.issues.length === 0) {
    children.push(bodyText('本期无热点议题。'));
  } else {
    children.push(
      table(
        [
          { title: '序号', share: 0.07, align: AlignmentType.CENTER },
          { title: '热点议题', share: 0.33 },
          { title: '类别', share: 0.14 },
          { title: '级别', share: 0.08, align: AlignmentType.CENTER },
          { title: '信息量', share: 0.1, align: AlignmentType.RIGHT },
          { title: '首次预警', share: 0.14, align: AlignmentType.CENTER },
          { title: '首次回应用时', share: 0.14, align: AlignmentType.RIGHT },
        ],
        content.issues.map((i, n) => [
          String(n + 1),
          `${i.title}${i.newInPeriod ? '' : '（延续）'}`,
          i.category ?? '—',
          { text: i.levelLabel, ...(i.level === 'severe' || i.level === 'major' ? { color: RED } : {}) },
          String(i.mentionCount),
          localDateTime(i.firstFlaggedAt, tz),
          i.responseHours === null ? '未回应' : `${i.responseHours}小时`,
        ]),
      ),
    );
  }

  children.push(heading('四、回应处置情况'));
  const r = content.responses;
  children.push(
    bodyText(
      `本期起草回应口径${r.activity.drafted}条，审批通过${r.activity.approved}次、退回修改${r.activity.returned}次，发布回应${r.activity.responsesPublished}条（${r.activity.publications}次）。` +
        `本期新增热点议题${r.newHotIssues}起，已回应${r.answered}起、尚未回应${r.unanswered}起；` +
        (r.withDeadline
          ? `设有回应时限的${r.withDeadline}起中，按时回应${r.answeredInTime}起。`
          : '本期新增热点均未设回应时限。'),
    ),
  );
  const kinds = materialEntries(r.activity.materialsByKind);
  children.push(
    bodyText(
      kinds.length
        ? `同步发布政策解读材料${r.materials}件，其中${kinds
            .map(([k, n]) => `${MATERIAL_KIND_LABELS[k as keyof typeof MATERIAL_KIND_LABELS] ?? k}${n}件`)
            .join('、')}。`
        : '本期发布的回应未附政策解读材料。',
    ),
  );
  return pack(title, issuer, content.serial, children);
}

function para(text: string): Paragraph {
  return new Paragraph({ spacing: { before: 80 }, children: [run(text, { size: SIZE.small })] });
}

/** Renders the 专报 of one issue as .docx bytes. */
export async function renderIssueReportDocx(
  content: IssueReportContent,
  charts: IssueReportCharts,
  options: ReportDocxOptions = {},
): Promise<Buffer> {
  const issuer = options.issuer ?? DEFAULT_BRIEFING_ISSUER;
  const tz = content.timeZone;
  const i = content.issue;
  const serial = `第${i.id}号`;
  const title = REPORT_KIND_LABELS.issue;
  const children: DocumentBlock[] = masthead(
    title,
    serial,
    issuer,
    `生成时间：${localDateTime(content.generatedAt, tz)}`,
  );
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [run(`关于“${i.title}”的舆情专报`, { font: FONT.heading, size: SIZE.heading })],
    }),
  );
  const negative = content.sentiment.negative ?? 0;
  const total = Object.values(content.sentiment).reduce((a, b) => a + b, 0);
  children.push(
    bodyText(
      `该议题于${localDateTime(i.firstSeenAt, tz)}首次监测到，至${localDateTime(i.lastSeenAt, tz)}共监测到相关信息${i.mentionCount}条，` +
        `其中负面信息${negative}条${total ? `（占${Math.round((negative / total) * 1000) / 10}%）` : ''}；` +
        `当前级别${content.levelLabel}，状态${content.statusLabel}${i.category ? `，类别${i.category}` : ''}` +
        `${i.places.length ? `，涉及${i.places.slice(0, 5).join('、')}` : ''}。`,
    ),
  );

  children.push(heading('一、事件脉络'));
  children.push(
    table(
      [
        { title: '时间', share: 0.24, align: AlignmentType.CENTER },
        { title: '事项', share: 0.76 },
      ],
      content.timeline.map((e) => [localDateTime(e.at, tz), e.text]),
    ),
  );

  children.push(heading('二、传播态势'));
  children.push(...figure(charts.spread, '图1　每日信息量（蓝：信息量；红：负面信息）', REPORT_CHART_PIXELS));
  children.push(...figure(charts.sentiment, '图2　情感倾向分布', REPORT_CHART_PIXELS));

  children.push(heading('三、重点声音'));
  const voiceTable = (rows: IssueReportContent['mostLiked'], metric: 'likes' | 'reposts', label: string) =>
    table(
      [
        { title: '序号', share: 0.07, align: AlignmentType.CENTER },
        { title: '标题', share: 0.45 },
        { title: '作者', share: 0.16 },
        { title: '来源', share: 0.16 },
        { title: label, share: 0.16, align: AlignmentType.RIGHT },
      ],
      rows.map((m, n) => [String(n + 1), m.title, m.author ?? '—', m.siteName ?? '—', String(m[metric])]),
    );
  children.push(subheading('（一）点赞最多的信息'));
  children.push(
    content.mostLiked.length ? voiceTable(content.mostLiked, 'likes', '点赞数') : bodyText('暂无点赞数据。'),
  );
  children.push(subheading('（二）转发最多的信息'));
  children.push(
    content.mostReposted.length ? voiceTable(content.mostReposted, 'reposts', '转发数') : bodyText('暂无转发数据。'),
  );
  children.push(subheading('（三）发帖最多的作者'));
  children.push(
    content.authors.length
      ? table(
          [
            { title: '序号', share: 0.08, align: AlignmentType.CENTER },
            { title: '作者', share: 0.38 },
            { title: '发帖数', share: 0.18, align: AlignmentType.RIGHT },
            { title: '获赞数', share: 0.18, align: AlignmentType.RIGHT },
            { title: '被转发数', share: 0.18, align: AlignmentType.RIGHT },
          ],
          content.authors.map((a, n) => [
            String(n + 1),
            a.author,
            String(a.mentions),
            String(a.likes),
            String(a.reposts),
          ]),
        )
      : bodyText('暂无作者信息。'),
  );

  children.push(heading('四、回应处置记录'));
  if (content.responses.length === 0) {
    children.push(bodyText(`尚未起草回应。${i.deadlineAt ? `回应时限：${localDateTime(i.deadlineAt, tz)}。` : ''}`));
  }
  content.responses.forEach((r, n) => {
    children.push(
      subheading(
        `（${'一二三四五六七八九十'[n] ?? n + 1}）回应口径第${r.id}号（${r.statusLabel}，共${r.versions}版，起草人${r.author}）`,
      ),
    );
    children.push(bodyText(r.body));
    for (const d of r.decisions)
      children.push(
        bodyText(
          `${localDateTime(d.at, tz)}　${d.decider}${d.decisionLabel}第${d.version}版${d.comment ? `：${d.comment}` : ''}`,
        ),
      );
    for (const p of r.publications)
      children.push(bodyText(`${localDateTime(p.at, tz)}　经${p.channel}发布${p.url ? `（${p.url}）` : ''}`));
    if (r.materials.length)
      children.push(bodyText(`解读材料：${r.materials.map((m) => `${m.title}（${m.kindLabel}）`).join('；')}`));
  });
  children.push(bodyText(`议题链接：${content.url}`));
  return pack(title, issuer, serial, children);
}

/** File name of a periodic report, e.g. `舆情周报-2026-W48.docx`. */
export function periodicReportFileName(content: PeriodicReportContent): string {
  return `${REPORT_KIND_LABELS[content.period.kind]}-${content.period.key}.docx`;
}

/** File name of a 专报, e.g. `舆情专报-议题12.docx`. */
export function issueReportFileName(issueId: number): string {
  return `${REPORT_KIND_LABELS.issue}-议题${issueId}.docx`;
}
