// @yuqing/digest: daily digest e-mails and the 舆情日报 briefing (.docx). No HTTP: the dashboard serves
// /api/digests (dashboard/src/api/digests.ts) from these functions.
export {
  buildDigestContent,
  headlineFrom,
  issueItemsFrom,
  issueUrl,
  FULL_DIGEST_FILTER,
  TREND_DAYS,
  type DigestContent,
  type DigestFilter,
  type DigestHeadline,
  type DigestIssueItem,
  type DigestPendingItem,
  type DigestPublishedItem,
  type HeadlineFigure,
  type ShareFigure,
  type TrendPoint,
  type BuildDigestOptions,
} from './digest-content.ts';
export {
  addDays,
  briefingSerial,
  chineseDate,
  chineseWeekday,
  isCalendarDate,
  reportDateAt,
  sendTimeReached,
} from './digest-date.ts';
export {
  renderDigestEmail,
  digestSubject,
  summaryParagraph,
  describeChange,
  escapeHtml,
  TREND_CHART_CID,
  type RenderedDigestEmail,
  type RenderDigestEmailOptions,
} from './digest-email.ts';
export { renderTrendChart, niceAxisMax, TREND_CHART_WIDTH, TREND_CHART_HEIGHT, TREND_COLORS } from './trend-chart.ts';
export { renderBriefingDocx, briefingFileName, type BriefingDocxOptions } from './briefing-docx.ts';
export { DEFAULT_BRIEFING_ISSUER } from './gov-document.ts';
export {
  createDigestMailer,
  composeMessage,
  composeDigestMessage,
  classifyMailError,
  digestMessageId,
  OUTBOX_DIR_NAME,
  SMTP_CONNECTION_TIMEOUT_MS,
  SMTP_GREETING_TIMEOUT_MS,
  SMTP_SOCKET_TIMEOUT_MS,
  type DigestMailer,
  type DeliveryResult,
  type DigestMessageInput,
} from './mailer.ts';
export {
  createDigestHandlers,
  prepareDigest,
  scheduleDigests,
  sendDigest,
  sendDigestJobId,
  SEND_CLAIM_STALE_MS,
  SEND_DIGEST_ATTEMPTS,
  SEND_DIGEST_RETRY_DELAY_MS,
  type DigestHandlerOptions,
  type DigestDeliveryDeps,
  type PreparedDigest,
  type PrepareDigestOptions,
  type ScheduleDigestsOutcome,
  type SendDigestOutcome,
  type SendJobOptions,
} from './digest-delivery.ts';
export {
  effectiveSubscription,
  subscriptionInputSchema,
  levelRank,
  DEFAULT_SEND_TIME,
  type EffectiveSubscription,
  type SubscriptionInput,
} from './subscription.ts';
export { findCjkFont, CJK_FONT_CANDIDATES } from './chart-font.ts';
export { renderChartPng, renderChartSvg, type ChartRenderOptions, type ChartSpec } from './chart-render.ts';
export {
  lastCompleteReportPeriod,
  parseReportPeriod,
  periodDays,
  previousReportPeriod,
  reportPeriodAt,
  REPORT_PERIOD_KINDS,
  type ReportPeriod,
  type ReportPeriodKind,
} from './report-period.ts';
export {
  buildPeriodicReport,
  categoryRowsFrom,
  median,
  periodSerial,
  responseFiguresFrom,
  trendFrom,
  type PeriodicReportContent,
  type ResponseFigures,
} from './periodic-report.ts';
export { buildIssueReport, fillSpread, type IssueReportContent } from './issue-report.ts';
export { renderCategoryChart, renderSentimentChart, renderSpreadChart } from './report-charts.ts';
export {
  renderIssueReportDocx,
  renderPeriodicReportDocx,
  issueReportFileName,
  periodicReportFileName,
} from './report-docx.ts';
export {
  composeReportMessage,
  renderIssueReportEmail,
  renderPeriodicReportEmail,
  type RenderedReportEmail,
} from './report-email.ts';
export { prepareIssueReport, preparePeriodicReport, type PreparedReport } from './report-prepare.ts';
export { renderPolicyReportDocx, type PolicyReportDocxOptions } from './policy-report-docx.ts';
export {
  createReportHandlers,
  dueReportPeriod,
  parseReportLedgerKey,
  reportLedgerKey,
  scheduleReports,
  sendReport,
  sendReportJobId,
  sentLedgerKindName,
  REPORT_CATCH_UP_DAYS,
  REPORT_SEND_TIME,
  SCHEDULED_REPORT_KINDS,
  SENT_LEDGER_KIND_NAMES,
  type ReportHandlerOptions,
  type ScheduledReportKind,
  type ScheduleReportsOutcome,
  type SendReportOutcome,
} from './report-delivery.ts';
