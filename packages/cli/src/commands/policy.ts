// `yq policy assess`: the pre-release risk assessment of a draft policy (.docx, .pdf, .txt) against the database,
// written as a .docx report; a summary (or the whole assessment with --json) on stdout.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { NonRetryableError } from '@yuqing/core';
import type { PolicyAssessment } from '@yuqing/domain';
import { loadCommandConfig } from '../app-config.ts';
import { parseFlags } from '../command.ts';
import { openCommandDatabase } from '../command-database.ts';

const LEVEL_TEXT = { low: '低', medium: '中', high: '高' } as const;

function summary(a: PolicyAssessment): string {
  const lines = [
    `《${a.title}》：${a.clauses.length} 条，高风险 ${a.counts.high}、中风险 ${a.counts.medium}、低风险 ${a.counts.low}，总体 ${LEVEL_TEXT[a.level]}`,
  ];
  for (const c of a.clauses.filter((x) => x.level !== 'low'))
    lines.push(`  [${LEVEL_TEXT[c.level]}] ${c.heading || `第${c.index}段`} ${c.reasons.join('；')}`);
  lines.push(`解读问答建议 ${a.questions.length} 条`);
  return `${lines.join('\n')}\n`;
}

/** `yq policy assess --input draft.docx --out report.docx [--json]` */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'assess')
    throw new NonRetryableError('USAGE', `yq policy: expected the subcommand assess, got ${JSON.stringify(sub ?? '')}`);
  const { values } = parseFlags('policy assess', rest, {
    input: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!values.input)
    throw new NonRetryableError('USAGE', 'yq policy assess: --input <draft.docx|.pdf|.txt> is required');
  if (!values.out) throw new NonRetryableError('USAGE', 'yq policy assess: --out <report.docx> is required');
  const bytes = await readFile(resolve(values.input)).catch((error: NodeJS.ErrnoException) => {
    throw new NonRetryableError(
      'USAGE',
      `yq policy assess: cannot read ${values.input} (${error.code ?? error.message})`,
    );
  });
  const config = loadCommandConfig();
  const { assessPolicyDocument } = await import('@yuqing/pipeline');
  const database = await openCommandDatabase(config);
  try {
    const { assessment, report } = await assessPolicyDocument(database.db, bytes, {
      fileName: basename(values.input),
      now: new Date(),
      timeZone: config.timeZone,
    });
    const out = resolve(values.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, report);
    if (values.json) process.stdout.write(`${JSON.stringify({ report: out, ...assessment })}\n`);
    else process.stdout.write(`${summary(assessment)}已写入评估报告：${out}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
