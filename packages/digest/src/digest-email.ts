// Renders a digest as an e-mail: subject, HTML (table layout with inline styles, which is what mail
// clients render reliably) and the plain-text alternative. Pure: no I/O.
import type { DigestContent, HeadlineFigure, ShareFigure } from './digest-content.ts';
import { chineseDate, chineseWeekday } from './digest-date.ts';
import { DIGEST_CHANGE_LABELS, LEVEL_LABELS } from '@yuqing/domain';
import { TREND_CHART_HEIGHT, TREND_CHART_WIDTH, TREND_COLORS } from './trend-chart.ts';

/** Content-ID of the trend chart attachment; the HTML refers to it as `cid:…`. */
export const TREND_CHART_CID = 'trend-chart@yuqing';

/** Rendered e-mail parts. */
export interface RenderedDigestEmail {
  subject: string;
  html: string;
  text: string;
}

/** Options for {@link renderDigestEmail}. */
export interface RenderDigestEmailOptions {
  /** Greeting name (display name of the recipient). */
  recipientName?: string;
  /** Image source for the chart. @defaultValue `cid:${TREND_CHART_CID}` (a data: URI for browser previews) */
  chartSrc?: string;
  /** Whether a .docx is attached (the mail says so). */
  docxAttached?: boolean;
}

const LEVEL_COLORS: Record<string, string> = {
  severe: '#b91c1c',
  major: '#c2410c',
  general: '#a16207',
  none: '#4b5563',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** `+12，+8.5%`, `-3，-20%`, `持平` — the change of a count against the day before. */
export function describeChange(f: HeadlineFigure): string {
  if (f.change === 0) return '持平';
  const sign = f.change > 0 ? '+' : '';
  return f.changePercent === null ? `${sign}${f.change}，前日为0` : `${sign}${f.change}，${sign}${f.changePercent}%`;
}

/** `增加12条（+8.5%）`, `减少3条（-20%）`, `持平` — the same change in a sentence. */
function changeInWords(f: HeadlineFigure): string {
  if (f.change === 0) return '持平';
  const amount = `${f.change > 0 ? '增加' : '减少'}${Math.abs(f.change)}条`;
  return f.changePercent === null ? amount : `${amount}（${f.change > 0 ? '+' : ''}${f.changePercent}%）`;
}

function shareText(s: ShareFigure): string {
  return s.value === null ? '—' : `${s.value}%`;
}

function shareChange(s: ShareFigure): string {
  if (s.changePoints === null) return '无可比数据';
  if (s.changePoints === 0) return '持平';
  return `${s.changePoints > 0 ? '+' : ''}${s.changePoints}个百分点`;
}

/** Time of day (HH:mm) in the digest's zone. */
function timeOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  );
}

function dateTimeOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** Subject line, e.g. `【舆情日报】2026年11月26日 热点3起（重大1起） 负面占比23.5%`. */
export function digestSubject(content: DigestContent): string {
  const day = chineseDate(content.date);
  if (content.isEmpty) return `【舆情日报】${day} 无新增舆情`;
  const parts = [`【舆情日报】${day}`];
  if (content.issues.length > 0) {
    const severe = content.issues.filter((i) => i.level === 'severe').length;
    const major = content.issues.filter((i) => i.level === 'major').length;
    const serious = [severe ? `重大${severe}起` : '', major ? `较大${major}起` : ''].filter(Boolean).join('、');
    parts.push(`热点${content.issues.length}起${serious ? `（${serious}）` : ''}`);
  } else {
    parts.push('无新增热点');
  }
  parts.push(`信息${content.headline.mentions.value}条`);
  if (content.headline.negativeShare.value !== null) parts.push(`负面占比${content.headline.negativeShare.value}%`);
  return parts.join(' ');
}

/** The summary paragraph shared by the e-mail and the briefing. */
export function summaryParagraph(content: DigestContent): string {
  const h = content.headline;
  const day = chineseDate(content.date);
  if (content.isEmpty) {
    return `${day}未监测到新的相关信息，无新增热点舆情，无新发布的回应。${content.pending.length > 0 ? `尚有${content.pending.length}项回应待办，见下文。` : ''}`;
  }
  const parts = [
    `${day}共监测到信息${h.mentions.value}条，较前日${changeInWords(h.mentions)}；其中与人社业务相关${h.relevant.value}条，较前日${changeInWords(h.relevant)}`,
  ];
  if (h.negativeShare.value !== null)
    parts.push(
      `负面信息${h.negative.value}条，占相关信息的${h.negativeShare.value}%，较前日${shareChange(h.negativeShare)}`,
    );
  const counts = { new: 0, escalated: 0, ongoing: 0 };
  for (const i of content.issues) counts[i.kind] += 1;
  parts.push(
    content.issues.length === 0
      ? '当日无新增或升级的热点舆情'
      : `新增热点舆情${counts.new}起、升级${counts.escalated}起${counts.ongoing ? `、持续${counts.ongoing}起` : ''}`,
  );
  const overdue = content.pending.filter((p) => p.overdue).length;
  parts.push(
    `待回应事项${content.pending.length}项${overdue ? `（其中已超期${overdue}项）` : ''}，当日发布回应${content.published.length}次`,
  );
  return `${parts.join('；')}。`;
}

function filterNote(content: DigestContent): string | null {
  const notes: string[] = [];
  if (content.filter.categories.length > 0) notes.push(`类别：${content.filter.categories.join('、')}`);
  if (content.filter.minLevel !== 'none') notes.push(`级别：${LEVEL_LABELS[content.filter.minLevel]}及以上`);
  return notes.length ? `按您的订阅设置筛选（${notes.join('；')}）` : null;
}

/** Renders the e-mail of a digest. */
export function renderDigestEmail(content: DigestContent, options: RenderDigestEmailOptions = {}): RenderedDigestEmail {
  const subject = digestSubject(content);
  return { subject, html: renderHtml(content, subject, options), text: renderText(content, options) };
}

function renderText(content: DigestContent, options: RenderDigestEmailOptions): string {
  const tz = content.timeZone;
  const h = content.headline;
  const lines: string[] = [];
  lines.push(`舆情日报 ${content.serial}`, `${chineseDate(content.date)} ${chineseWeekday(content.date)}`, '');
  if (options.recipientName) lines.push(`${options.recipientName}：`, '');
  lines.push(summaryParagraph(content));
  const note = filterNote(content);
  if (note) lines.push(note);
  lines.push('', '一、主要数据');
  lines.push(`  信息总量：${h.mentions.value}条（较前日${describeChange(h.mentions)}）`);
  lines.push(`  相关信息：${h.relevant.value}条（较前日${describeChange(h.relevant)}）`);
  lines.push(`  负面占比：${shareText(h.negativeShare)}（较前日${shareChange(h.negativeShare)}）`);
  lines.push('', `  近${content.trend.length}日信息量（总量/负面）：`);
  for (const p of content.trend) lines.push(`    ${p.date.slice(5)}  ${p.mentions} / ${p.negative}`);
  lines.push('', '二、热点舆情');
  if (content.issues.length === 0) lines.push('  当日无新增或升级的热点舆情。');
  content.issues.forEach((i, n) => {
    const change =
      i.kind === 'escalated' && i.previousLevel
        ? `由${LEVEL_LABELS[i.previousLevel]}升级为${i.levelLabel}`
        : DIGEST_CHANGE_LABELS[i.kind];
    lines.push(`  ${n + 1}. 【${i.levelLabel}】${i.title}（${change}，热度${i.hotness}）`);
    if (i.summary) lines.push(`     ${i.summary}`);
    lines.push(`     ${i.url}`);
  });
  lines.push('', '三、待回应事项');
  if (content.pending.length === 0) lines.push('  无。');
  content.pending.forEach((p, n) => {
    const deadline = p.deadlineAt ? `，时限${dateTimeOf(p.deadlineAt, tz)}` : '';
    lines.push(
      `  ${n + 1}. ${p.overdue ? '【已超期】' : ''}${p.issueTitle}（${p.levelLabel}，${p.statusLabel}${deadline}）`,
    );
    lines.push(`     ${p.issueUrl}`);
  });
  lines.push('', '四、已发布回应');
  if (content.published.length === 0) lines.push('  当日无。');
  content.published.forEach((p, n) => {
    lines.push(
      `  ${n + 1}. ${p.issueTitle}：${timeOf(p.publishedAt, tz)}发布于${p.channel}${p.url ? ` ${p.url}` : ''}`,
    );
  });
  lines.push('', `打开舆情监测平台：${content.dashboardUrl}/`);
  if (options.docxAttached) lines.push('附件：舆情日报（Word 文档）。');
  lines.push('本邮件由舆情监测系统自动发送，订阅设置可在平台“日报订阅”中修改。');
  return `${lines.join('\n')}\n`;
}

function cell(content: string, style = ''): string {
  return `<td style="padding:8px 10px;border-bottom:1px solid #e5e7eb;vertical-align:top;${style}">${content}</td>`;
}

function headlineCell(label: string, value: string, change: string): string {
  return (
    `<td width="33%" style="padding:12px;text-align:center;background:#f9fafb;border:1px solid #e5e7eb;">` +
    `<div style="font-size:13px;color:#6b7280;">${escapeHtml(label)}</div>` +
    `<div style="font-size:24px;font-weight:bold;color:#111827;margin:4px 0;">${escapeHtml(value)}</div>` +
    `<div style="font-size:12px;color:#6b7280;">较前日 ${escapeHtml(change)}</div></td>`
  );
}

function sectionTitle(text: string): string {
  return `<h2 style="font-size:17px;color:#991b1b;margin:24px 0 8px;border-left:4px solid #b91c1c;padding-left:8px;">${escapeHtml(text)}</h2>`;
}

function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}" style="color:#1d4ed8;text-decoration:none;">${escapeHtml(text)}</a>`;
}

function renderHtml(content: DigestContent, subject: string, options: RenderDigestEmailOptions): string {
  const tz = content.timeZone;
  const h = content.headline;
  const chartSrc = options.chartSrc ?? `cid:${TREND_CHART_CID}`;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
  );
  out.push(`<title>${escapeHtml(subject)}</title></head>`);
  out.push(
    "<body style=\"margin:0;padding:0;background:#f3f4f6;font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#1f2937;\">",
  );
  out.push(
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:16px 8px;">',
  );
  out.push(
    '<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="max-width:640px;width:100%;background:#ffffff;border-top:6px solid #b91c1c;"><tr><td style="padding:20px 24px;">',
  );
  out.push(`<h1 style="margin:0;text-align:center;font-size:28px;letter-spacing:6px;color:#b91c1c;">舆情日报</h1>`);
  out.push(
    `<p style="margin:6px 0 0;text-align:center;font-size:14px;color:#4b5563;">${escapeHtml(content.serial)}　${escapeHtml(chineseDate(content.date))} ${escapeHtml(chineseWeekday(content.date))}</p>`,
  );
  out.push('<hr style="border:none;border-top:2px solid #b91c1c;margin:12px 0 16px;">');
  if (options.recipientName) out.push(`<p style="margin:0 0 8px;">${escapeHtml(options.recipientName)}：</p>`);
  out.push(`<p style="margin:0 0 8px;line-height:1.7;">${escapeHtml(summaryParagraph(content))}</p>`);
  const note = filterNote(content);
  if (note) out.push(`<p style="margin:0 0 8px;font-size:12px;color:#6b7280;">${escapeHtml(note)}</p>`);

  out.push(sectionTitle('一、主要数据'));
  out.push('<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>');
  out.push(headlineCell('信息总量', `${h.mentions.value}`, describeChange(h.mentions)));
  out.push(headlineCell('相关信息', `${h.relevant.value}`, describeChange(h.relevant)));
  out.push(headlineCell('负面占比', shareText(h.negativeShare), shareChange(h.negativeShare)));
  out.push('</tr></table>');
  const trendAlt = `近${content.trend.length}日信息量：${content.trend.map((p) => `${p.date.slice(5)} 总量${p.mentions}条、负面${p.negative}条`).join('；')}`;
  out.push(
    `<p style="margin:16px 0 4px;font-size:13px;color:#4b5563;">近${content.trend.length}日信息量　<span style="color:${TREND_COLORS.mentions};">■</span> 信息总量　<span style="color:${TREND_COLORS.negative};">■</span> 负面信息</p>`,
  );
  out.push(
    `<img src="${escapeHtml(chartSrc)}" width="${TREND_CHART_WIDTH}" height="${TREND_CHART_HEIGHT}" alt="${escapeHtml(trendAlt)}" style="display:block;max-width:100%;height:auto;border:0;">`,
  );

  out.push(sectionTitle('二、热点舆情'));
  if (content.issues.length === 0) {
    out.push('<p style="margin:0;color:#6b7280;">当日无新增或升级的热点舆情。</p>');
  } else {
    out.push(
      '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="font-size:14px;border-collapse:collapse;">',
    );
    out.push(
      `<tr style="background:#f9fafb;color:#6b7280;font-size:12px;">${cell('级别')}${cell('热点')}${cell('热度', 'text-align:right;')}</tr>`,
    );
    for (const i of content.issues) {
      const change =
        i.kind === 'escalated' && i.previousLevel
          ? `由${LEVEL_LABELS[i.previousLevel]}升级`
          : DIGEST_CHANGE_LABELS[i.kind];
      const badge = `<span style="display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;background:${LEVEL_COLORS[i.level] ?? '#4b5563'};white-space:nowrap;">${escapeHtml(i.levelLabel)}</span>`;
      const body =
        `<div style="font-weight:bold;">${link(i.url, i.title)}</div>` +
        `<div style="font-size:12px;color:#6b7280;margin-top:2px;">${escapeHtml([change, i.category ?? '未分类', `${timeOf(i.flaggedAt, tz)}预警`].join(' · '))}</div>` +
        (i.summary ? `<div style="font-size:13px;margin-top:4px;">${escapeHtml(i.summary)}</div>` : '');
      out.push(
        `<tr>${cell(badge, 'white-space:nowrap;')}${cell(body)}${cell(escapeHtml(String(i.hotness)), 'text-align:right;font-variant-numeric:tabular-nums;')}</tr>`,
      );
    }
    out.push('</table>');
  }

  out.push(sectionTitle('三、待回应事项'));
  if (content.pending.length === 0) {
    out.push('<p style="margin:0;color:#6b7280;">无。</p>');
  } else {
    out.push(
      '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="font-size:14px;border-collapse:collapse;">',
    );
    for (const p of content.pending) {
      const flag = p.overdue ? '<span style="color:#b91c1c;font-weight:bold;">已超期 </span>' : '';
      const deadline = p.deadlineAt ? `时限 ${dateTimeOf(p.deadlineAt, tz)}` : '未设时限';
      out.push(
        `<tr>${cell(`${flag}${link(p.issueUrl, p.issueTitle)}`)}${cell(escapeHtml(`${p.levelLabel} · ${p.statusLabel}`), 'white-space:nowrap;color:#4b5563;')}${cell(escapeHtml(deadline), `white-space:nowrap;${p.overdue ? 'color:#b91c1c;' : 'color:#4b5563;'}`)}</tr>`,
      );
    }
    out.push('</table>');
  }

  out.push(sectionTitle('四、已发布回应'));
  if (content.published.length === 0) {
    out.push('<p style="margin:0;color:#6b7280;">当日无。</p>');
  } else {
    out.push('<ul style="margin:0;padding-left:20px;font-size:14px;line-height:1.8;">');
    for (const p of content.published) {
      const where = p.url ? link(p.url, p.channel) : escapeHtml(p.channel);
      out.push(`<li>${link(p.issueUrl, p.issueTitle)}：${escapeHtml(timeOf(p.publishedAt, tz))} 发布于 ${where}</li>`);
    }
    out.push('</ul>');
  }

  out.push('<hr style="border:none;border-top:1px solid #e5e7eb;margin:24px 0 12px;">');
  out.push(`<p style="margin:0;font-size:13px;">${link(`${content.dashboardUrl}/`, '打开舆情监测平台')}</p>`);
  if (options.docxAttached)
    out.push('<p style="margin:4px 0 0;font-size:12px;color:#6b7280;">附件：舆情日报（Word 文档）。</p>');
  out.push(
    '<p style="margin:4px 0 0;font-size:12px;color:#9ca3af;">本邮件由舆情监测系统自动发送，订阅设置可在平台“日报订阅”中修改。</p>',
  );
  out.push('</td></tr></table></td></tr></table></body></html>');
  return out.join('\n');
}
