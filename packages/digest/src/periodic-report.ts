// The content of a periodic report (周报, 月报, 季报, 年报): mention figures, issues by category and level, the
// response record (responses issued, time to first response, share answered in time, interpretation material)
// and each against the previous period, as the bureau's annual disclosure report sets figures against last year's.
import {
  listPeriodIssues,
  periodMentionStats,
  periodResponseActivity,
  type DbTx,
  type IssueLevel,
  type PeriodIssueRow,
  type PeriodMentionStats,
  type PeriodResponseActivity,
  UNCATEGORISED,
} from '@yuqing/db';
import { LEVEL_LABELS } from '@yuqing/domain';
import { DateTime } from 'luxon';
import { headlineFrom, issueUrl, type DigestHeadline, type TrendPoint } from './digest-content.ts';
import { previousReportPeriod, periodDays, type ReportPeriod } from './report-period.ts';

/** Levels counted in the statistics tables, least serious first (none is not a hot issue). */
export const REPORTED_LEVELS = ['general', 'major', 'severe'] as const satisfies readonly IssueLevel[];

/** Hot issues of one category, by level. */
export interface CategoryIssueRow {
  category: string;
  /** Relevant mentions of the category in the period, and in the previous one. */
  mentions: number;
  previousMentions: number;
  negative: number;
  /** Hot issues flagged in the period, by the highest level flagged in it. */
  issues: Record<(typeof REPORTED_LEVELS)[number], number>;
  issuesTotal: number;
}

/** Response figures of one period. */
export interface ResponseFigures {
  /** Hot issues flagged in the period, and those first flagged in it. */
  hotIssues: number;
  newHotIssues: number;
  issuesByLevel: Record<(typeof REPORTED_LEVELS)[number], number>;
  activity: PeriodResponseActivity;
  /** Interpretation material of the responses published in the period, all kinds. */
  materials: number;
  /** Median hours from an issue's first flag to its first published response (issues new in the period and answered). */
  medianFirstResponseHours: number | null;
  /** New issues answered so far, and those still unanswered. */
  answered: number;
  unanswered: number;
  /** New issues with a deadline, and those whose first response was published by it. */
  withDeadline: number;
  answeredInTime: number;
  /** answeredInTime / withDeadline in percent, one decimal; null without deadlines. */
  inTimePercent: number | null;
}

/** A hot issue as the report lists it. */
export interface ReportIssueItem {
  id: number;
  title: string;
  url: string;
  category: string | null;
  level: IssueLevel;
  levelLabel: string;
  mentionCount: number;
  newInPeriod: boolean;
  firstFlaggedAt: Date;
  firstPublishedAt: Date | null;
  /** Hours from the first flag to the first published response. */
  responseHours: number | null;
}

/** Everything a periodic report shows. */
export interface PeriodicReportContent {
  period: ReportPeriod;
  previous: ReportPeriod;
  /** e.g. 〔2026〕第48期 (the week, month or quarter number; 年度 for a year). */
  serial: string;
  generatedAt: Date;
  headline: DigestHeadline;
  mentions: PeriodMentionStats;
  previousMentions: PeriodMentionStats;
  categories: CategoryIssueRow[];
  responses: ResponseFigures;
  previousResponses: ResponseFigures;
  issues: ReportIssueItem[];
  /** Mentions per day (week, month), per ISO week (quarter) or per month (year). */
  trend: TrendPoint[];
  /** Relevant mentions by sentiment label. */
  sentiment: Record<string, number>;
  dashboardUrl: string;
}

/** Options for {@link buildPeriodicReport}. */
export interface BuildPeriodicReportOptions {
  period: ReportPeriod;
  /** Dashboard base URL without a trailing slash. */
  publicUrl: string;
  /** @defaultValue now */
  asOf?: Date;
}

const MS_PER_HOUR = 3_600_000;

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Median of the values (the mean of the middle two for an even count); null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function emptyLevels(): Record<(typeof REPORTED_LEVELS)[number], number> {
  return { general: 0, major: 0, severe: 0 };
}

/**
 * Response figures from the period's issues and workflow counts (pure). The clock runs from an issue's first
 * flag to its first publication; only issues first flagged in the period count, so an issue is measured once.
 */
export function responseFiguresFrom(issues: PeriodIssueRow[], activity: PeriodResponseActivity): ResponseFigures {
  const fresh = issues.filter((i) => i.newInPeriod);
  const answered = fresh.filter((i) => i.firstPublishedAt !== null);
  const withDeadline = fresh.filter((i) => i.deadlineAt !== null);
  const inTime = withDeadline.filter((i) => i.firstPublishedAt !== null && i.firstPublishedAt <= i.deadlineAt!);
  const byLevel = emptyLevels();
  for (const i of issues) if (i.level !== 'none') byLevel[i.level] += 1;
  const hours = median(answered.map((i) => (i.firstPublishedAt!.getTime() - i.firstFlaggedAt.getTime()) / MS_PER_HOUR));
  return {
    hotIssues: issues.length,
    newHotIssues: fresh.length,
    issuesByLevel: byLevel,
    activity,
    materials: Object.values(activity.materialsByKind).reduce((a, b) => a + b, 0),
    medianFirstResponseHours: hours === null ? null : round1(hours),
    answered: answered.length,
    unanswered: fresh.length - answered.length,
    withDeadline: withDeadline.length,
    answeredInTime: inTime.length,
    inTimePercent: withDeadline.length ? round1((inTime.length / withDeadline.length) * 100) : null,
  };
}

/** The category table: relevant mentions and hot issues by level per category, most mentioned first (pure). */
export function categoryRowsFrom(
  mentions: PeriodMentionStats,
  previousMentions: PeriodMentionStats,
  issues: PeriodIssueRow[],
  uncategorised: string,
): CategoryIssueRow[] {
  const rows = new Map<string, CategoryIssueRow>();
  const row = (category: string) => {
    let r = rows.get(category);
    if (!r) {
      r = { category, mentions: 0, previousMentions: 0, negative: 0, issues: emptyLevels(), issuesTotal: 0 };
      rows.set(category, r);
    }
    return r;
  };
  for (const c of mentions.byCategory) Object.assign(row(c.category), { mentions: c.mentions, negative: c.negative });
  for (const c of previousMentions.byCategory) row(c.category).previousMentions = c.mentions;
  for (const i of issues) {
    if (i.level === 'none') continue;
    const r = row(i.category ?? uncategorised);
    r.issues[i.level] += 1;
    r.issuesTotal += 1;
  }
  return [...rows.values()].sort(
    (a, b) => b.mentions - a.mentions || b.issuesTotal - a.issuesTotal || a.category.localeCompare(b.category, 'zh-CN'),
  );
}

/** Serial number of a period: 〔2026〕第48期 (week 48), 第11期 (November), 第4期 (Q4), 年度 for a year. */
export function periodSerial(period: ReportPeriod): string {
  const year = period.key.slice(0, 4);
  const n = /(\d+)$/.exec(period.key.slice(4))?.[1];
  return n === undefined ? `〔${year}〕年度` : `〔${year}〕第${Number(n)}期`;
}

/** Chart points: days for a week or month, ISO weeks for a quarter, months for a year (pure). */
export function trendFrom(period: ReportPeriod, byDay: PeriodMentionStats['byDay']): TrendPoint[] {
  const counts = new Map(byDay.map((d) => [d.day, d]));
  const days = periodDays(period);
  if (period.kind === 'week' || period.kind === 'month') {
    return days.map((date) => ({
      date,
      mentions: counts.get(date)?.mentions ?? 0,
      negative: counts.get(date)?.negative ?? 0,
    }));
  }
  const buckets = new Map<string, TrendPoint>();
  for (const date of days) {
    const d = DateTime.fromISO(date, { zone: 'UTC' });
    // A bucket is named by its first day inside the period, so the chart labels stay dates.
    const key = period.kind === 'quarter' ? `${d.weekYear}-W${d.weekNumber}` : date.slice(0, 7);
    const bucket = buckets.get(key) ?? { date, mentions: 0, negative: 0 };
    bucket.mentions += counts.get(date)?.mentions ?? 0;
    bucket.negative += counts.get(date)?.negative ?? 0;
    buckets.set(key, bucket);
  }
  return [...buckets.values()];
}

/** Builds the periodic report of `options.period` from the database. */
export async function buildPeriodicReport(
  db: DbTx,
  options: BuildPeriodicReportOptions,
): Promise<PeriodicReportContent> {
  const { period, publicUrl } = options;
  const previous = previousReportPeriod(period);
  const [mentions, previousMentions, issues, previousIssues, activity, previousActivity] = await Promise.all([
    periodMentionStats(db, period, period.timeZone),
    periodMentionStats(db, previous, period.timeZone),
    listPeriodIssues(db, period),
    listPeriodIssues(db, previous),
    periodResponseActivity(db, period),
    periodResponseActivity(db, previous),
  ]);
  return {
    period,
    previous,
    serial: periodSerial(period),
    generatedAt: options.asOf ?? new Date(),
    headline: headlineFrom(mentions, previousMentions),
    mentions,
    previousMentions,
    categories: categoryRowsFrom(mentions, previousMentions, issues, UNCATEGORISED),
    responses: responseFiguresFrom(issues, activity),
    previousResponses: responseFiguresFrom(previousIssues, previousActivity),
    issues: issues.map((i) => ({
      id: i.id,
      title: i.title,
      url: issueUrl(publicUrl, i.id),
      category: i.category,
      level: i.level,
      levelLabel: LEVEL_LABELS[i.level],
      mentionCount: i.mentionCount,
      newInPeriod: i.newInPeriod,
      firstFlaggedAt: i.firstFlaggedAt,
      firstPublishedAt: i.firstPublishedAt,
      responseHours:
        i.firstPublishedAt === null
          ? null
          : round1((i.firstPublishedAt.getTime() - i.firstFlaggedAt.getTime()) / MS_PER_HOUR),
    })),
    trend: trendFrom(period, mentions.byDay),
    sentiment: mentions.bySentiment,
    dashboardUrl: publicUrl,
  };
}
