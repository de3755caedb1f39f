// The pre-release risk assessment of a draft policy as a Word report, in the 舆情日报's document format: a red
// masthead, then the overall level, the clause table, the reasons of every medium and high clause, the related
// public opinion and the suggested Q&A for interpretation material.
import { AlignmentType, BorderStyle, Paragraph, Table } from 'docx';
import { LEVEL_LABELS, POLICY_RISK_LABELS, type AssessedClause, type PolicyAssessment } from '@yuqing/domain';
import {
  packDocument,
  bodyText,
  DEFAULT_BRIEFING_ISSUER,
  FONT,
  heading,
  para,
  RED,
  run,
  subheading,
  table,
} from './gov-document.ts';

/** Options for {@link renderPolicyReportDocx}. */
export interface PolicyReportDocxOptions {
  /** Issuing office. @defaultValue {@link DEFAULT_BRIEFING_ISSUER} */
  issuer?: string;
  /** The uploaded file's name, printed under the title. */
  fileName?: string;
  /** When the assessment ran (printed in the bureau's zone). */
  generatedAt: Date;
  /** @defaultValue 'Asia/Shanghai' */
  timeZone?: string;
}

/** Characters of a clause's text shown in the table. */
const CLAUSE_PREVIEW_CHARS = 80;

function preview(text: string): string {
  return text.length > CLAUSE_PREVIEW_CHARS ? `${text.slice(0, CLAUSE_PREVIEW_CHARS)}…` : text;
}

function levelCell(level: AssessedClause['level']): { text: string; color?: string } {
  return { text: POLICY_RISK_LABELS[level], ...(level === 'high' ? { color: RED } : {}) };
}

function clauseName(c: AssessedClause): string {
  return c.heading || `第${c.index}段`;
}

function evidenceText(c: AssessedClause): string {
  const e = c.evidence;
  if (!e || e.mentions === 0) return '无相关信息';
  const share = Math.round((e.negative / e.mentions) * 100);
  const issue = e.issues[0];
  return `${e.mentions} 条，负面 ${share}%${issue ? `；议题「${issue.title}」（${LEVEL_LABELS[issue.level as keyof typeof LEVEL_LABELS] ?? issue.level}）` : ''}`;
}

/** Renders a policy risk assessment as .docx bytes. */
export async function renderPolicyReportDocx(
  assessment: PolicyAssessment,
  options: PolicyReportDocxOptions,
): Promise<Buffer> {
  const issuer = options.issuer ?? DEFAULT_BRIEFING_ISSUER;
  const when = new Intl.DateTimeFormat('zh-CN', {
    timeZone: options.timeZone ?? 'Asia/Shanghai',
    dateStyle: 'long',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(options.generatedAt);
  const children: Array<Paragraph | Table> = [];
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 200 },
      children: [run('政策出台前风险评估报告', { font: FONT.masthead, size: 56, color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { style: BorderStyle.THICK_THIN_SMALL_GAP, size: 24, color: RED, space: 6 } },
      spacing: { after: 360 },
      children: [run(`${issuer}　${when}`)],
    }),
  );
  children.push(heading('一、评估结论'));
  const { counts } = assessment;
  children.push(
    bodyText(
      `评估对象：《${assessment.title}》${options.fileName ? `（文件：${options.fileName}）` : ''}。共拆分条款 ${assessment.clauses.length} 条，` +
        `其中高风险 ${counts.high} 条、中风险 ${counts.medium} 条、低风险 ${counts.low} 条，总体风险等级：${POLICY_RISK_LABELS[assessment.level]}。`,
    ),
  );
  children.push(heading('二、逐条评估'));
  children.push(
    table(
      [
        { title: '条款', share: 0.1, align: AlignmentType.CENTER },
        { title: '内容摘要', share: 0.32 },
        { title: '影响群体', share: 0.14 },
        { title: '可能关切', share: 0.14 },
        { title: '相关舆情', share: 0.22 },
        { title: '风险', share: 0.08, align: AlignmentType.CENTER },
      ],
      assessment.clauses.map((c) => [
        clauseName(c),
        preview(c.text),
        c.groups.join('、') || '—',
        c.concerns.join('、') || '—',
        evidenceText(c),
        levelCell(c.level),
      ]),
    ),
  );
  children.push(heading('三、风险点及理由'));
  const risky = assessment.clauses.filter((c) => c.level !== 'low');
  if (risky.length === 0) children.push(bodyText('未发现中、高风险条款。'));
  for (const c of risky) {
    children.push(subheading(`${clauseName(c)}（${POLICY_RISK_LABELS[c.level]}风险）`));
    for (const reason of c.reasons) children.push(bodyText(`● ${reason}`));
  }
  children.push(heading('四、解读问答建议'));
  if (assessment.questions.length === 0) children.push(bodyText('暂无。'));
  assessment.questions.forEach((q, n) => {
    children.push(para([run(`${n + 1}. 问：${q.question}`, { bold: true })], { indent: { firstLine: 640 } }));
    children.push(bodyText(`答：${q.answer}`));
  });
  return packDocument({ creator: issuer, title: `政策出台前风险评估报告：${assessment.title}`, children });
}
