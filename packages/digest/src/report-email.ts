// Reports as e-mail: the summary, the statistics table and the charts inline (PNG by Content-ID, as the daily
// digest does), the .docx attached; a plain-text alternative for clients that show no HTML.
import type Mail from 'nodemailer/lib/mailer';
import { formatMinuteInZone } from '@yuqing/core';
import { REPORT_KIND_LABELS } from '@yuqing/domain';
import { escapeHtml } from './digest-email.ts';
import type { IssueReportContent } from './issue-report.ts';
import type { PeriodicReportContent } from './periodic-report.ts';
import { periodicSummary, STATISTICS_NOTE, statisticsRows } from './report-text.ts';

/** An inline chart of a report e-mail. */
export interface ReportChartImage {
  /** Content-ID without angle brackets. */
  cid: string;
  fileName: string;
  png: Buffer;
  alt: string;
}

/** A rendered report e-mail. */
export interface RenderedReportEmail {
  subject: string;
  html: string;
  text: string;
  images: ReportChartImage[];
}

const TABLE = 'border-collapse:collapse;font-size:13px;margin:8px 0;';
const CELL = 'border:1px solid #d1d5db;padding:4px 8px;';

function htmlTable(head: string[], rows: string[][], rightFrom = 1): string {
  const th = head.map((h) => `<th style="${CELL}background:#f3f4f6;">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((v, i) => `<td style="${CELL}${i >= rightFrom ? 'text-align:right;' : ''}">${escapeHtml(v)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table style="${TABLE}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function img(image: ReportChartImage): string {
  return `<p><img src="cid:${escapeHtml(image.cid)}" width="640" alt="${escapeHtml(image.alt)}" style="display:block;max-width:100%;height:auto;border:0;"></p>`;
}

function page(title: string, parts: string[]): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:'Microsoft YaHei','PingFang SC',sans-serif;color:#111827;max-width:760px;">${parts.join('\n')}</body></html>`;
}

/** The e-mail of a periodic report; `charts` in the order trend, categories, sentiment. */
export function renderPeriodicReportEmail(
  content: PeriodicReportContent,
  charts: { trend: Buffer; categories: Buffer; sentiment: Buffer },
): RenderedReportEmail {
  const name = REPORT_KIND_LABELS[content.period.kind];
  const subject = `【${name}】${content.period.label} ${content.serial}`;
  const images: ReportChartImage[] = [
    { cid: 'report-trend@yuqing', fileName: 'trend.png', png: charts.trend, alt: '信息量走势' },
    { cid: 'report-categories@yuqing', fileName: 'categories.png', png: charts.categories, alt: '各类别相关信息量' },
    { cid: 'report-sentiment@yuqing', fileName: 'sentiment.png', png: charts.sentiment, alt: '情感倾向分布' },
  ];
  const stats = statisticsRows(content);
  const issues = content.issues.map((i, n) => [
    String(n + 1),
    i.title,
    i.levelLabel,
    String(i.mentionCount),
    i.responseHours === null ? '未回应' : `${i.responseHours}小时`,
  ]);
  const html = page(subject, [
    `<h2 style="color:#c00000;">${escapeHtml(name)}</h2>`,
    `<p>${escapeHtml(content.period.label)}　${escapeHtml(content.serial)}</p>`,
    `<p>${escapeHtml(periodicSummary(content))}</p>`,
    '<h3>一、总体情况</h3>',
    htmlTable(['统计指标', '单位', '本期', '上期', '增减'], stats, 2),
    `<p style="font-size:12px;color:#4b5563;">${escapeHtml(STATISTICS_NOTE)}</p>`,
    img(images[0]!),
    '<h3>二、分类统计</h3>',
    htmlTable(
      ['类别', '相关信息', '上期', '负面', '重大', '较大', '一般', '热点合计'],
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
    img(images[1]!),
    img(images[2]!),
    '<h3>三、热点舆情</h3>',
    issues.length
      ? htmlTable(['序号', '热点议题', '级别', '信息量', '首次回应用时'], issues, 3)
      : '<p>本期无热点议题。</p>',
    `<p><a href="${escapeHtml(content.dashboardUrl)}/reports">在舆情系统中查看与下载报告</a></p>`,
  ]);
  const text = [
    subject,
    '',
    periodicSummary(content),
    '',
    '一、总体情况（指标｜单位｜本期｜上期｜增减）',
    ...stats.map((r) => r.join('｜')),
    STATISTICS_NOTE,
    '',
    '二、分类统计（类别｜相关信息｜上期｜负面｜热点合计）',
    ...content.categories.map((c) =>
      [c.category, c.mentions, c.previousMentions, c.negative, c.issuesTotal].join('｜'),
    ),
    '',
    '三、热点舆情',
    ...(issues.length ? issues.map((r) => r.join('｜')) : ['本期无热点议题。']),
    '',
  ].join('\n');
  return { subject, html, text, images };
}

/** The e-mail of a 专报. */
export function renderIssueReportEmail(
  content: IssueReportContent,
  charts: { spread: Buffer; sentiment: Buffer },
): RenderedReportEmail {
  const tz = content.timeZone;
  const subject = `【${REPORT_KIND_LABELS.issue}】${content.issue.title}`;
  const images: ReportChartImage[] = [
    { cid: 'report-spread@yuqing', fileName: 'spread.png', png: charts.spread, alt: '每日信息量' },
    { cid: 'report-sentiment@yuqing', fileName: 'sentiment.png', png: charts.sentiment, alt: '情感倾向分布' },
  ];
  const timeline = content.timeline.map((e) => [formatMinuteInZone(e.at, tz), e.text]);
  const voices = content.mostLiked.map((m, n) => [String(n + 1), m.title, m.author ?? '—', String(m.likes)]);
  const authors = content.authors.map((a, n) => [
    String(n + 1),
    a.author,
    String(a.mentions),
    String(a.likes),
    String(a.reposts),
  ]);
  const html = page(subject, [
    `<h2 style="color:#c00000;">${escapeHtml(REPORT_KIND_LABELS.issue)}</h2>`,
    `<p><a href="${escapeHtml(content.url)}">${escapeHtml(content.issue.title)}</a>（${escapeHtml(content.levelLabel)}，${escapeHtml(content.statusLabel)}，信息${content.issue.mentionCount}条）</p>`,
    '<h3>一、事件脉络</h3>',
    htmlTable(['时间', '事项'], timeline, 2),
    '<h3>二、传播态势</h3>',
    img(images[0]!),
    img(images[1]!),
    '<h3>三、重点声音</h3>',
    voices.length ? htmlTable(['序号', '点赞最多的信息', '作者', '点赞数'], voices, 3) : '<p>暂无点赞数据。</p>',
    authors.length ? htmlTable(['序号', '作者', '发帖数', '获赞数', '被转发数'], authors, 2) : '',
    '<h3>四、回应处置记录</h3>',
    content.responses.length
      ? content.responses
          .map(
            (r) =>
              `<p>回应口径第${r.id}号（${escapeHtml(r.statusLabel)}，共${r.versions}版）：${escapeHtml(r.body)}</p>` +
              r.publications
                .map((p) => `<p>${escapeHtml(formatMinuteInZone(p.at, tz))} 经${escapeHtml(p.channel)}发布</p>`)
                .join(''),
          )
          .join('')
      : '<p>尚未起草回应。</p>',
  ]);
  const text = [
    subject,
    content.url,
    '',
    '一、事件脉络',
    ...timeline.map((r) => r.join('　')),
    '',
    '三、重点声音（点赞最多）',
    ...voices.map((r) => r.join('｜')),
    '',
    '四、回应处置记录',
    ...(content.responses.length
      ? content.responses.map((r) => `第${r.id}号（${r.statusLabel}）：${r.body}`)
      : ['尚未起草回应。']),
    '',
  ].join('\n');
  return { subject, html, text, images };
}

/** Inputs of {@link composeReportMessage}. */
export interface ReportMessageInput {
  rendered: RenderedReportEmail;
  docx?: Buffer | undefined;
  docxFileName: string;
  from: string;
  to: { name: string; address: string };
  /** Message-ID with angle brackets. */
  messageId: string;
  date: Date;
}

/** The nodemailer message of a report: HTML + text, charts inline by Content-ID, the .docx attached. */
export function composeReportMessage(input: ReportMessageInput): Mail.Options {
  const attachments: NonNullable<Mail.Options['attachments']> = input.rendered.images.map((i) => ({
    filename: i.fileName,
    content: i.png,
    contentType: 'image/png',
    cid: i.cid,
    contentDisposition: 'inline' as const,
  }));
  if (input.docx)
    attachments.push({
      filename: input.docxFileName,
      content: input.docx,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
  return {
    from: input.from,
    to: input.to,
    subject: input.rendered.subject,
    text: input.rendered.text,
    html: input.rendered.html,
    messageId: input.messageId,
    date: input.date,
    headers: { 'Auto-Submitted': 'auto-generated' },
    attachments,
  };
}
