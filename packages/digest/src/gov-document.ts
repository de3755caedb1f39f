// Building blocks of the bureau's 公文-style Word documents after GB/T 9704 (the 舆情日报, the periodic reports and
// 专报, the policy risk report): fonts and sizes, A4 page and margins, red masthead over a red rule, numbered headings
// in 黑体 with 仿宋 body text, ruled tables, captioned charts, the 版记 and page numbers.
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

/** Default issuing office printed under the masthead. */
export const DEFAULT_BRIEFING_ISSUER = '市人力资源和社会保障局舆情监测工作组';

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

/** A paragraph or a table: what a document body is made of. */
export type DocumentBlock = Paragraph | Table;

/** Masthead: red title, serial number, then issuer and `dateLine` over the red double rule. */
export function masthead(title: string, serial: string, issuer: string, dateLine: string): DocumentBlock[] {
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 200 },
      children: [run(title, { font: FONT.masthead, size: SIZE.masthead, color: RED, characterSpacing: 120 })],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(serial)] }),
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { bottom: { style: BorderStyle.THICK_THIN_SMALL_GAP, size: 24, color: RED, space: 6 } },
      spacing: { after: 360 },
      children: [run(issuer), run(`\t${dateLine}`)],
    }),
  ];
}

/**
 * A chart centred at {@link CHART_WIDTH_PX} with its caption under it; `pixels` is the PNG's own size, which sets
 * the height on the page. `altText` defaults to the caption.
 */
export function figure(
  png: Buffer,
  caption: string,
  pixels: { width: number; height: number },
  altText: { name: string; title: string; description: string } = {
    name: caption,
    title: caption,
    description: caption,
  },
): DocumentBlock[] {
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 200 },
      children: [
        new ImageRun({
          type: 'png',
          data: png,
          transformation: {
            width: CHART_WIDTH_PX,
            height: Math.round((CHART_WIDTH_PX * pixels.height) / pixels.width),
          },
          altText,
        }),
      ],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      children: [run(caption, { size: SIZE.small })],
    }),
  ];
}

/** 版记: the issuing line between two rules, as the format closes a document. */
export function colophon(issuer: string, serial: string): Paragraph {
  const rule = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 };
  return new Paragraph({
    spacing: { before: 480 },
    tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
    border: { top: rule, bottom: rule },
    children: [run(`编发：${issuer}`, { size: SIZE.colophon }), run(`\t${serial}`, { size: SIZE.colophon })],
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
