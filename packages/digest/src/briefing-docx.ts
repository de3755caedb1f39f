// The 舆情日报 as a Word document, laid out after the government document format (GB/T 9704): red masthead,
// issue number, issuer and date over a red rule, then numbered sections in 黑体 with 仿宋 body text.
import { AlignmentType } from 'docx';
import { DIGEST_CHANGE_LABELS, LEVEL_LABELS } from '@yuqing/domain';
import type { DigestContent } from './digest-content.ts';
import { chineseDate, chineseWeekday } from './digest-date.ts';
import { describeChange, summaryParagraph } from './digest-email.ts';
import {
  bodyText,
  colophon,
  DEFAULT_BRIEFING_ISSUER,
  figure,
  heading,
  masthead,
  packDocument,
  RED,
  subheading,
  table,
  type DocumentBlock,
} from './gov-document.ts';
import { renderTrendChart, TREND_CHART_HEIGHT, TREND_CHART_WIDTH } from './trend-chart.ts';

/** Options for {@link renderBriefingDocx}. */
export interface BriefingDocxOptions {
  /** Issuing office. @defaultValue {@link DEFAULT_BRIEFING_ISSUER} */
  issuer?: string;
  /** Trend chart PNG; drawn from the content when absent. */
  chartPng?: Buffer;
}

function localDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  );
}

/** Renders the 舆情日报 of `content` as .docx bytes. */
export async function renderBriefingDocx(content: DigestContent, options: BriefingDocxOptions = {}): Promise<Buffer> {
  const issuer = options.issuer ?? DEFAULT_BRIEFING_ISSUER;
  const tz = content.timeZone;
  const h = content.headline;
  const chart = options.chartPng ?? renderTrendChart(content.trend);
  const children: DocumentBlock[] = [];

  children.push(
    ...masthead(
      '舆情日报',
      content.serial,
      issuer,
      `日期：${chineseDate(content.date)}（${chineseWeekday(content.date)}）`,
    ),
  );

  children.push(heading('一、总体情况'));
  children.push(bodyText(summaryParagraph(content)));
  if (content.filter.categories.length > 0 || content.filter.minLevel !== 'none') {
    const notes = [
      content.filter.categories.length ? `类别：${content.filter.categories.join('、')}` : '',
      content.filter.minLevel !== 'none' ? `级别：${LEVEL_LABELS[content.filter.minLevel]}及以上` : '',
    ].filter(Boolean);
    children.push(bodyText(`（本期按订阅设置筛选，${notes.join('；')}。）`));
  }
  const share = (v: number | null) => (v === null ? '—' : `${v}%`);
  children.push(
    table(
      [
        { title: '指标', share: 0.28 },
        { title: '当日', share: 0.18, align: AlignmentType.RIGHT },
        { title: '前日', share: 0.18, align: AlignmentType.RIGHT },
        { title: '变化', share: 0.36, align: AlignmentType.RIGHT },
      ],
      [
        ['信息总量（条）', String(h.mentions.value), String(h.mentions.previous), describeChange(h.mentions)],
        ['相关信息（条）', String(h.relevant.value), String(h.relevant.previous), describeChange(h.relevant)],
        ['负面信息（条）', String(h.negative.value), String(h.negative.previous), describeChange(h.negative)],
        [
          '负面占比',
          share(h.negativeShare.value),
          share(h.negativeShare.previous),
          h.negativeShare.changePoints === null
            ? '—'
            : `${h.negativeShare.changePoints > 0 ? '+' : ''}${h.negativeShare.changePoints}个百分点`,
        ],
      ],
    ),
  );
  children.push(
    ...figure(
      chart,
      `图1　近${content.trend.length}日信息量（蓝：信息总量；红：负面信息）`,
      { width: TREND_CHART_WIDTH, height: TREND_CHART_HEIGHT },
      { name: 'trend', title: '近7日信息量', description: '近7日信息总量（蓝）与负面信息（红）' },
    ),
  );

  children.push(heading('二、热点舆情'));
  if (content.issues.length === 0) {
    children.push(bodyText('当日无新增或升级的热点舆情。'));
  } else {
    children.push(
      table(
        [
          { title: '序号', share: 0.07, align: AlignmentType.CENTER },
          { title: '热点事项', share: 0.27 },
          { title: '级别', share: 0.08, align: AlignmentType.CENTER },
          { title: '动态', share: 0.1, align: AlignmentType.CENTER },
          { title: '热度', share: 0.09, align: AlignmentType.RIGHT },
          { title: '概要', share: 0.39 },
        ],
        content.issues.map((i, n) => [
          String(n + 1),
          i.title,
          { text: i.levelLabel, ...(i.level === 'severe' || i.level === 'major' ? { color: RED } : {}) },
          i.kind === 'escalated' && i.previousLevel
            ? `由${LEVEL_LABELS[i.previousLevel]}升级`
            : DIGEST_CHANGE_LABELS[i.kind],
          String(i.hotness),
          [i.category ? `〔${i.category}〕` : '', i.summary].join(''),
        ]),
      ),
    );
  }

  children.push(heading('三、回应处置情况'));
  children.push(subheading('（一）待回应事项'));
  if (content.pending.length === 0) {
    children.push(bodyText('无待回应事项。'));
  } else {
    children.push(
      table(
        [
          { title: '序号', share: 0.07, align: AlignmentType.CENTER },
          { title: '事项', share: 0.37 },
          { title: '级别', share: 0.09, align: AlignmentType.CENTER },
          { title: '办理状态', share: 0.17, align: AlignmentType.CENTER },
          { title: '回应时限', share: 0.18, align: AlignmentType.CENTER },
          { title: '超期', share: 0.12, align: AlignmentType.CENTER },
        ],
        content.pending.map((p, n) => [
          String(n + 1),
          p.issueTitle,
          p.levelLabel,
          p.statusLabel,
          p.deadlineAt ? localDateTime(p.deadlineAt, tz) : '—',
          p.overdue ? { text: '已超期', color: RED } : '否',
        ]),
      ),
    );
  }
  children.push(subheading('（二）已发布回应'));
  if (content.published.length === 0) {
    children.push(bodyText('当日无新发布的回应。'));
  } else {
    children.push(
      table(
        [
          { title: '序号', share: 0.07, align: AlignmentType.CENTER },
          { title: '事项', share: 0.43 },
          { title: '发布渠道', share: 0.32 },
          { title: '发布时间', share: 0.18, align: AlignmentType.CENTER },
        ],
        content.published.map((p, n) => [String(n + 1), p.issueTitle, p.channel, localTime(p.publishedAt, tz)]),
      ),
    );
  }

  children.push(colophon(issuer, content.serial));

  return packDocument({
    creator: issuer,
    title: `舆情日报 ${content.serial}`,
    description: `舆情日报 ${content.date}`,
    children,
  });
}

/** File name of the briefing of `date`, e.g. `舆情日报-2026-11-26.docx`. */
export function briefingFileName(date: string): string {
  return `舆情日报-${date}.docx`;
}
