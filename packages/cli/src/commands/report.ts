// `yq report`: a periodic report (周报/月报/季报/年报) or the 专报 of one issue, written as .docx, saved as .eml
// or sent to one address.
import { NonRetryableError } from '@yuqing/core';
import type { ReportPeriodKind } from '@yuqing/digest';
import { loadCommandConfig } from '../app-config.ts';
import { parseFlags } from '../command.ts';
import { ADDRESS_PATTERN, saveAndSendMail, writeOutput } from '../mail-output.ts';
import { openCommandDatabase } from '../command-database.ts';

const KINDS: readonly ReportPeriodKind[] = ['week', 'month', 'quarter', 'year'];

function usage(message: string): NonRetryableError {
  return new NonRetryableError('USAGE', `yq report: ${message}`);
}

/** `yq report --period week|month|quarter|year [--week …] [--docx f] [--to a] [--dry-run --out f.eml]`, `--issue ID` */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('report', argv, {
    period: { type: 'string' },
    week: { type: 'string' },
    month: { type: 'string' },
    quarter: { type: 'string' },
    year: { type: 'string' },
    issue: { type: 'string' },
    docx: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    out: { type: 'string' },
  });
  if ((values.period === undefined) === (values.issue === undefined))
    throw usage('give either --period week|month|quarter|year or --issue ID');
  if (values.to !== undefined && !ADDRESS_PATTERN.test(values.to))
    throw usage(`--to expects an e-mail address, got ${JSON.stringify(values.to)}`);
  const config = loadCommandConfig();
  const digest = await import('@yuqing/digest');

  let period: ReturnType<typeof digest.parseReportPeriod> | undefined;
  let issueId: number | undefined;
  if (values.period !== undefined) {
    const kind = values.period as ReportPeriodKind;
    if (!KINDS.includes(kind))
      throw usage(`--period expects week, month, quarter or year, got ${JSON.stringify(values.period)}`);
    for (const other of KINDS)
      if (other !== kind && values[other] !== undefined) throw usage(`--${other} does not go with --period ${kind}`);
    const key = values[kind];
    period =
      key === undefined
        ? digest.lastCompleteReportPeriod(kind, new Date(), config.timeZone)
        : digest.parseReportPeriod(kind, key, config.timeZone);
    if (period.start.getTime() > Date.now()) throw usage(`${period.key} has not started yet`);
  } else {
    issueId = Number(values.issue);
    if (!Number.isInteger(issueId) || issueId <= 0)
      throw usage(`--issue expects an issue number, got ${JSON.stringify(values.issue)}`);
  }

  const dryRun = values['dry-run'] === true;
  const database = await openCommandDatabase(config);
  try {
    const prepared = period
      ? await digest.preparePeriodicReport(database.db, config, { period })
      : await digest.prepareIssueReport(database.db, config, { issueId: issueId! });
    process.stdout.write(`${prepared.email.subject}\n`);
    if (period) {
      const content = prepared.content as Awaited<ReturnType<typeof digest.buildPeriodicReport>>;
      process.stdout.write(
        `统计区间：${content.period.startDate} 至 ${content.period.endDate}（不含）${config.timeZone}\n`,
      );
    }
    if (values.docx !== undefined)
      process.stdout.write(`已写入 Word 报告：${await writeOutput(values.docx, prepared.docx)}\n`);
    const wantsMessage = values.out !== undefined || (values.to !== undefined && !dryRun);
    if (!wantsMessage) {
      if (values.docx === undefined)
        process.stdout.write('未输出文件（用 --docx 文件.docx 保存，或 --to 地址 发送）。\n');
      return 0;
    }
    const tag = period ? period.key : `issue${issueId}`;
    const host = (() => {
      try {
        return new URL(config.publicUrl).hostname || 'yuqing.localhost';
      } catch {
        return 'yuqing.localhost';
      }
    })();
    const message = digest.composeReportMessage({
      rendered: prepared.email,
      docx: prepared.docx,
      docxFileName: prepared.docxFileName,
      from: config.mailFrom,
      to: { name: values.to ?? '报告收件人', address: values.to ?? 'recipient@example.invalid' },
      messageId: `<report.${tag}.cli${Date.now().toString(36)}@${host}>`,
      date: new Date(),
    });
    await saveAndSendMail({
      message,
      out: values.out,
      to: values.to,
      dryRun,
      config,
      fileStem: `report-${tag}-cli-${Date.now()}`,
    });
    return 0;
  } finally {
    await database.close();
  }
}
