import { formatMinuteInZone } from '@yuqing/core';
import { formatHeat, hotListPlatformLabel, LEVEL_LABELS, timeZoneLabel, type IssueAlert } from '@yuqing/domain';

/** The alert as people read it in a group chat: a title line and a few labelled lines, zh-CN. */
export interface AlertText {
  /** One line: 【舆情预警·较大】title. */
  title: string;
  /** Markdown for robots that render it (企业微信, 钉钉). */
  markdown: string;
  /** Plain text (飞书 text messages, SMS gateways). */
  text: string;
  /** The markdown's last line, the 已知悉 link, when the alert has one: kept whole when a robot's limit cuts. */
  ackMarkdown?: string;
}

/** Renders an alert in Chinese for chat robots and gateways. */
export function alertText(alert: IssueAlert, timeZone: string): AlertText {
  const level = LEVEL_LABELS[alert.level];
  const raised = alert.reopened
    ? '（已处置议题再次出现热点，重新打开）'
    : alert.previousLevel && alert.previousLevel !== 'none'
      ? `（由${LEVEL_LABELS[alert.previousLevel]}升级）`
      : '';
  const title = `【舆情预警·${level}】${alert.title}`;
  const lines: [string, string][] = [
    ['级别', `${level}${raised}`],
    ['类别', alert.category || '未分类'],
    ['原因', alert.reason],
    ...hotListLine(alert),
    ['提及', `${alert.mentionCount} 条`],
    ['时间', `${formatMinuteInZone(alert.at, timeZone)}（${timeZoneLabel(timeZone)}）`],
  ];
  const markdown = [
    `### ${title}`,
    ...lines.map(([k, v]) => `> **${k}**：${v}`),
    '',
    `[查看舆情事件](${alert.url})`,
    ...(alert.ackUrl ? ['', ackMarkdownLine(alert.ackUrl)] : []),
  ].join('\n');
  const text = [
    title,
    ...lines.map(([k, v]) => `${k}：${v}`),
    `查看：${alert.url}`,
    ...(alert.ackUrl ? [`已知悉请点：${alert.ackUrl}`] : []),
  ].join('\n');
  return { title, markdown, text, ...(alert.ackUrl ? { ackMarkdown: ackMarkdownLine(alert.ackUrl) } : {}) };
}

function ackMarkdownLine(url: string): string {
  return `[已知悉（点击确认）](${url})`;
}

/**
 * Cuts markdown to `maxBytes` like {@link cutToBytes}, but keeps `tail` (the 已知悉 link, at its end) whole: a cut
 * link would lead nowhere, a shortened reason still reads.
 */
export function cutKeepingTail(markdown: string, tail: string | undefined, maxBytes: number): string {
  if (!tail || Buffer.byteLength(markdown, 'utf8') <= maxBytes || !markdown.endsWith(tail))
    return cutToBytes(markdown, maxBytes);
  const kept = `\n\n${tail}`;
  const body = markdown.slice(0, markdown.length - tail.length).trimEnd();
  return cutToBytes(body, maxBytes - Buffer.byteLength(kept, 'utf8')) + kept;
}

/** The 热榜 line of a hot-list alert: platform, rank and heat, the same in every channel kind. */
function hotListLine(alert: IssueAlert): [string, string][] {
  const hot = alert.hotList;
  if (!hot) return [];
  const heat = hot.heat === null ? '' : `，热度 ${formatHeat(hot.heat)}`;
  return [['热榜', `${hotListPlatformLabel(hot.platform)} 第 ${hot.rank} 名${heat}`]];
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character, marking the cut with an ellipsis. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let out = '';
  let bytes = Buffer.byteLength(ellipsis, 'utf8');
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > maxBytes) break;
    out += ch;
    bytes += b;
  }
  return out + ellipsis;
}

/**
 * The alert as one short SMS text (cut into parts by the sender): title, level, size, time and the link; no
 * markdown, no labels, so that most alerts fit in two parts.
 */
export function alertSmsText(alert: IssueAlert, timeZone: string): string {
  const level = LEVEL_LABELS[alert.level];
  const raised = alert.reopened ? '，重新打开' : '';
  const hot = alert.hotList ? `，${hotListPlatformLabel(alert.hotList.platform)}第${alert.hotList.rank}名` : '';
  return `【舆情预警·${level}${raised}】${alert.title}（${alert.category || '未分类'}${hot}，${alert.mentionCount}条，${formatMinuteInZone(alert.at, timeZone)}）${alert.url}`;
}

/** An alert e-mail, ready for a mailer. */
export interface AlertMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** The instant alert mail: the alert's title as subject (after `subjectPrefix`), its lines as text and as HTML. */
export function alertMail(
  alert: IssueAlert,
  options: { from: string; to: string[]; subjectPrefix?: string | undefined; timeZone: string },
): AlertMail {
  const text = alertText(alert, options.timeZone);
  const lines = text.text.split('\n');
  const html = [
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(text.title)}</h2>`,
    '<table>',
    ...lines.slice(1, alert.ackUrl ? -2 : -1).map((line) => {
      const [k, ...v] = line.split('：');
      return `<tr><th align="left">${escapeHtml(k ?? '')}</th><td>${escapeHtml(v.join('：'))}</td></tr>`;
    }),
    '</table>',
    `<p><a href="${escapeHtml(alert.url)}">查看舆情事件</a></p>`,
    ...(alert.ackUrl ? [`<p><a href="${escapeHtml(alert.ackUrl)}">已知悉（点击确认，无需登录）</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return {
    from: options.from,
    to: options.to,
    subject: `${options.subjectPrefix ?? ''}${text.title}`,
    text: text.text,
    html,
  };
}
