// Sentences and table rows shared by the report's .docx and e-mail, in the style of the bureau's annual
// disclosure report: a figure, then what it comprises, then how it compares with the previous period.
import { LEVEL_LABELS, MATERIAL_KIND_LABELS } from '@yuqing/domain';
import { REPORTED_LEVELS, type PeriodicReportContent, type ResponseFigures } from './periodic-report.ts';

/** `增加12（+8.5%）`, `减少3（-20%）`, `持平`, `增加5（上期为0）` */
export function changeText(value: number, previous: number, unit = ''): string {
  if (value === previous) return '持平';
  const diff = value - previous;
  const amount = `${diff > 0 ? '增加' : '减少'}${Math.abs(Math.round(diff * 10) / 10)}${unit}`;
  if (previous === 0) return `${amount}（上期为0）`;
  const pct = Math.round((diff / previous) * 1000) / 10;
  return `${amount}（${pct > 0 ? '+' : ''}${pct}%）`;
}

function pointsChange(value: number | null, previous: number | null, unit: string): string {
  if (value === null || previous === null) return '—';
  const diff = Math.round((value - previous) * 10) / 10;
  return diff === 0 ? '持平' : `${diff > 0 ? '+' : ''}${diff}${unit}`;
}

function fmt(value: number | null, unit = ''): string {
  return value === null ? '—' : `${value}${unit}`;
}

function levelBreakdown(r: ResponseFigures): string {
  const parts = [...REPORTED_LEVELS]
    .reverse()
    .filter((l) => r.issuesByLevel[l] > 0)
    .map((l) => `${LEVEL_LABELS[l]}${r.issuesByLevel[l]}起`);
  return parts.length ? `（${parts.join('、')}）` : '';
}

/** Material counts in the order the dashboard lists the kinds (file, Q&A, explainer), unknown kinds last. */
export function materialEntries(byKind: Record<string, number>): Array<[string, number]> {
  const order = Object.keys(MATERIAL_KIND_LABELS);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(byKind).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The opening paragraph: the period's figures against the previous period. */
export function periodicSummary(c: PeriodicReportContent): string {
  const h = c.headline;
  const r = c.responses;
  const share = h.negativeShare.value === null ? '' : `，占相关信息的${h.negativeShare.value}%`;
  const materials = materialEntries(r.activity.materialsByKind)
    .map(([k, n]) => `${MATERIAL_KIND_LABELS[k as keyof typeof MATERIAL_KIND_LABELS] ?? k}${n}件`)
    .join('、');
  return [
    `${c.period.label}，共监测到网络信息${h.mentions.value}条，较上期${changeText(h.mentions.value, h.mentions.previous, '条')}；`,
    `其中与人力资源和社会保障工作相关的信息${h.relevant.value}条，负面信息${h.negative.value}条${share}。`,
    `本期出现热点议题${r.hotIssues}起${levelBreakdown(r)}，其中新增${r.newHotIssues}起，较上期${changeText(r.hotIssues, c.previousResponses.hotIssues, '起')}。`,
    `发布回应${r.activity.responsesPublished}条、${r.activity.publications}次`,
    r.medianFirstResponseHours === null ? '' : `，首次回应时间中位数${r.medianFirstResponseHours}小时`,
    r.inTimePercent === null ? '' : `，按时回应率${r.inTimePercent}%`,
    `；同步发布政策解读材料${r.materials}件${materials ? `（${materials}）` : ''}。`,
  ].join('');
}

/** Rows of the disclosure-style statistics table: 指标, 单位, 本期, 上期, 增减. */
export function statisticsRows(c: PeriodicReportContent): string[][] {
  const h = c.headline;
  const r = c.responses;
  const p = c.previousResponses;
  const count = (name: string, unit: string, value: number, previous: number) => [
    name,
    unit,
    String(value),
    String(previous),
    changeText(value, previous),
  ];
  const rows = [
    count('网络信息总量', '条', h.mentions.value, h.mentions.previous),
    count('　其中：相关信息', '条', h.relevant.value, h.relevant.previous),
    count('　　　　负面信息', '条', h.negative.value, h.negative.previous),
    [
      '负面信息占比',
      '%',
      fmt(h.negativeShare.value),
      fmt(h.negativeShare.previous),
      pointsChange(h.negativeShare.value, h.negativeShare.previous, '个百分点'),
    ],
    count('热点议题', '起', r.hotIssues, p.hotIssues),
    ...[...REPORTED_LEVELS]
      .reverse()
      .map((l) => count(`　其中：${LEVEL_LABELS[l]}`, '起', r.issuesByLevel[l], p.issuesByLevel[l])),
    count('新增热点议题', '起', r.newHotIssues, p.newHotIssues),
    count('起草回应口径', '条', r.activity.drafted, p.activity.drafted),
    count('审批通过', '次', r.activity.approved, p.activity.approved),
    count('退回修改', '次', r.activity.returned, p.activity.returned),
    count('发布回应', '条', r.activity.responsesPublished, p.activity.responsesPublished),
    count('　发布次数（按渠道）', '次', r.activity.publications, p.activity.publications),
    [
      '首次回应时间中位数',
      '小时',
      fmt(r.medianFirstResponseHours),
      fmt(p.medianFirstResponseHours),
      pointsChange(r.medianFirstResponseHours, p.medianFirstResponseHours, '小时'),
    ],
    [
      '按时回应率',
      '%',
      fmt(r.inTimePercent),
      fmt(p.inTimePercent),
      pointsChange(r.inTimePercent, p.inTimePercent, '个百分点'),
    ],
    count('新增热点尚未回应', '起', r.unanswered, p.unanswered),
    count('发布政策解读材料', '件', r.materials, p.materials),
  ];
  return rows;
}

/** How the response figures are counted (printed under the table). */
export const STATISTICS_NOTE =
  '注：热点议题指本期内被预警的议题（已排除、已合并的除外），级别取本期内的最高预警级别；首次回应时间自议题首次预警起至首次发布回应止，按本期新增热点议题计算；按时回应率为本期新增热点议题中在回应时限内发布首次回应的比例；政策解读材料按本期发布回应所附材料计。';
