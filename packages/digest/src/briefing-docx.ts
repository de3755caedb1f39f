// The 舆情日报 as a Word document, laid out after the government document format (GB/T 9704): red masthead,
// issue number, issuer and date over a red rule, then numbered sections in 黑体 with 仿宋 body text.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IParagraphOptions,
  type IRunOptions,
} from 'docx';
import type { DigestContent } from './digest-content.ts';
import { chineseDate, chineseWeekday } from './digest-date.ts';
import { describeChange, summaryParagraph } from './digest-email.ts';
import { DIGEST_CHANGE_LABELS, LEVEL_LABELS } from '@yuqing/domain';
import { renderTrendChart, TREND_CHART_HEIGHT, TREND_CHART_WIDTH } from './trend-chart.ts';

/** Default issuing office printed under the masthead. */
export const DEFAULT_BRIEFING_ISSUER = '市人力资源和社会保障局舆情监测工作组';

/** Options for {@link renderBriefingDocx}. */
export interface BriefingDocxOptions {
  /** Issuing office. @defaultValue {@link DEFAULT_BRIEFING_ISSUER} */
  issuer?: string;
  /** Trend chart PNG; drawn from the content when absent. */
  chartPng?: Buffer;
}

export const RED = 'C00000';
/** Font sizes in half-points (docx units): masthead 36 pt, headings 三号 16 pt, body 小三 15 pt, tables 11 pt. */
export const SIZE = { masthead: 72, heading: 32, body: 30, colophon: 28, table: 22, small: 21 } as const;
export const FONT = {
  masthead: { ascii: 'SimSun', hAnsi: 'SimSun', eastAsia: '方正小标宋简体' },
  heading: { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体' },
  body: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' },
  kai: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '楷体_GB2312' },
} as const;
/** A4 in twips, margins per GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm). */
export const PAGE = {
  width: 11906,
  height: 16838,
  margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 },
} as const;
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;
/** Chart width on the page in pixels at 96 dpi (≈ 15 cm). */
export const CHART_WIDTH_PX = 560;

export function run(text: string, options: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: FONT.body, size: SIZE.body, ...options });
}

export function para(children: TextRun[] | string, options: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    children: typeof children === 'string' ? [run(children)] : children,
    spacing: { line: 560, lineRule: 'exact' as const },
    ...options,
  });
}

export function heading(text: string): Paragraph {
  return para([run(text, { font: FONT.heading, size: SIZE.heading })], {
    spacing: { before: 240, after: 120 },
    indent: { firstLine: 640 },
  });
}

export function subheading(text: string): Paragraph {
  return para([run(text, { font: FONT.kai, size: SIZE.body, bold: true })], {
    spacing: { before: 120, after: 60 },
    indent: { firstLine: 640 },
  });
}

export function bodyText(text: string): Paragraph {
  return para(text, { indent: { firstLine: 640 }, alignment: AlignmentType.JUSTIFIED });
}

function tableCell(
  text: string,
  width: number,
  options: { header?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; color?: string } = {},
): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
    ...(options.header ? { shading: { fill: 'F2F2F2', type: 'clear' as const, color: 'auto' } } : {}),
    children: [
      new Paragraph({
        alignment: options.align ?? (options.header ? AlignmentType.CENTER : AlignmentType.LEFT),
        children: [
          run(text, {
            size: SIZE.table,
            bold: options.header ?? false,
            ...(options.header ? { font: FONT.heading } : {}),
            ...(options.color ? { color: options.color } : {}),
          }),
        ],
      }),
    ],
  });
}

/** A table whose column widths are fractions of the text width. */
export function table(
  columns: Array<{ title: string; share: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType] }>,
  rows: Array<Array<string | { text: string; color?: string }>>,
): Table {
  const widths = columns.map((c) => Math.floor(TEXT_WIDTH * c.share));
  const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
    rows: [
      new TableRow({
        tableHeader: true,
        children: columns.map((c, i) => tableCell(c.title, widths[i]!, { header: true })),
      }),
      ...rows.map(
        (cells) =>
          new TableRow({
            cantSplit: true,
            children: cells.map((value, i) => {
              const v = typeof value === 'string' ? { text: value } : value;
              return tableCell(v.text, widths[i]!, {
                align: columns[i]?.align ?? AlignmentType.LEFT,
                ...(v.color ? { color: v.color } : {}),
              });
            }),
          }),
      ),
    ],
  });
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
  const children: Array<Paragraph | Table> = [];

  // Masthead: title, number, issuer | date, red rule.
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 200 },
      children: [run('舆情日报', { font: FONT.masthead, size: SIZE.masthead, color: RED, characterSpacing: 120 })],
    }),
  );
  children.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(content.serial)] }),
  );
  children.push(
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { bottom: { style: BorderStyle.THICK_THIN_SMALL_GAP, size: 24, color: RED, space: 6 } },
      spacing: { after: 360 },
      children: [run(issuer), run(`\t日期：${chineseDate(content.date)}（${chineseWeekday(content.date)}）`)],
    }),
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
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 200 },
      children: [
        new ImageRun({
          type: 'png',
          data: chart,
          transformation: {
            width: CHART_WIDTH_PX,
            height: Math.round((CHART_WIDTH_PX * TREND_CHART_HEIGHT) / TREND_CHART_WIDTH),
          },
          altText: { name: 'trend', title: '近7日信息量', description: '近7日信息总量（蓝）与负面信息（红）' },
        }),
      ],
    }),
  );
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      children: [run(`图1　近${content.trend.length}日信息量（蓝：信息总量；红：负面信息）`, { size: SIZE.small })],
    }),
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

  // 版记: issuing line between two rules, as the format closes a document.
  const rule = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 };
  children.push(
    new Paragraph({
      spacing: { before: 480 },
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { top: rule, bottom: rule },
      children: [run(`编发：${issuer}`, { size: SIZE.colophon }), run(`\t${content.serial}`, { size: SIZE.colophon })],
    }),
  );

  return packDocument({
    creator: issuer,
    title: `舆情日报 ${content.serial}`,
    description: `舆情日报 ${content.date}`,
    children,
  });
}

/**
 * Packs the body paragraphs of a 公文-style document (A4, the bureau's margins and fonts, page numbers as
 * — 1 — centred in the footer): one page setup for the 舆情日报, the periodic reports and the policy report.
 */
export function packDocument(options: {
  creator: string;
  title: string;
  description?: string;
  children: (Paragraph | Table)[];
}): Promise<Buffer> {
  const document = new Document({
    creator: options.creator,
    title: options.title,
    ...(options.description ? { description: options.description } : {}),
    styles: { default: { document: { run: { font: FONT.body, size: SIZE.body } } } },
    sections: [
      {
        properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: PAGE.margin } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FONT.body, size: 28 })],
              }),
            ],
          }),
        },
        children: options.children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** File name of the briefing of `date`, e.g. `舆情日报-2026-11-26.docx`. */
export function briefingFileName(date: string): string {
  return `舆情日报-${date}.docx`;
}
