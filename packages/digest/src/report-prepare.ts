// One call per report that gathers the content, draws the charts once and renders the document and the e-mail
// from them: what the CLI and the dashboard both need.
import type { AppConfig } from '@yuqing/core';
import type { DbTx } from '@yuqing/db';
import { buildIssueReport, type IssueReportContent } from './issue-report.ts';
import { buildPeriodicReport, type PeriodicReportContent } from './periodic-report.ts';
import { renderCategoryChart, renderSentimentChart, renderSpreadChart } from './report-charts.ts';
import {
  issueReportFileName,
  periodicReportFileName,
  renderIssueReportDocx,
  renderPeriodicReportDocx,
} from './report-docx.ts';
import { renderIssueReportEmail, renderPeriodicReportEmail, type RenderedReportEmail } from './report-email.ts';
import type { ReportPeriod } from './report-period.ts';

/** A report ready to save or send. */
export interface PreparedReport<C> {
  content: C;
  email: RenderedReportEmail;
  docx: Buffer;
  docxFileName: string;
}

type ReportConfig = Pick<AppConfig, 'timeZone' | 'publicUrl' | 'cjkFont'>;

/** Builds a 周报/月报/季报/年报 with its charts, .docx and e-mail. */
export async function preparePeriodicReport(
  db: DbTx,
  config: ReportConfig,
  options: { period: ReportPeriod; asOf?: Date },
): Promise<PreparedReport<PeriodicReportContent>> {
  const content = await buildPeriodicReport(db, {
    period: options.period,
    publicUrl: config.publicUrl,
    ...(options.asOf ? { asOf: options.asOf } : {}),
  });
  const charts = {
    trend: renderSpreadChart(content.trend, `${content.period.label}信息量走势`, config.cjkFont),
    categories: renderCategoryChart(content.categories, '各类别相关信息量', config.cjkFont),
    sentiment: renderSentimentChart(content.sentiment, '相关信息情感倾向', config.cjkFont),
  };
  const docx = await renderPeriodicReportDocx(content, charts);
  return {
    content,
    email: renderPeriodicReportEmail(content, charts),
    docx,
    docxFileName: periodicReportFileName(content),
  };
}

/** Builds the 专报 of one issue with its charts, .docx and e-mail. @throws NotFoundError for an unknown issue */
export async function prepareIssueReport(
  db: DbTx,
  config: ReportConfig,
  options: { issueId: number; asOf?: Date },
): Promise<PreparedReport<IssueReportContent>> {
  const content = await buildIssueReport(db, {
    issueId: options.issueId,
    timeZone: config.timeZone,
    publicUrl: config.publicUrl,
    ...(options.asOf ? { asOf: options.asOf } : {}),
  });
  const charts = {
    spread: renderSpreadChart(content.spread, '每日信息量', config.cjkFont),
    sentiment: renderSentimentChart(content.sentiment, '情感倾向分布', config.cjkFont),
  };
  const docx = await renderIssueReportDocx(content, charts);
  return {
    content,
    email: renderIssueReportEmail(content, charts),
    docx,
    docxFileName: issueReportFileName(content.issue.id),
  };
}
