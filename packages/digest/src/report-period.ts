// Report periods (周报, 月报, 季报, 年报) and their boundaries in the bureau's time zone. Luxon does the calendar
// work: ISO weeks (Monday first, week 1 holds 4 January, so 2026-W53 exists and 2027-01-01 belongs to it) and
// local midnights turned into instants across any offset change.
import { NonRetryableError } from '@yuqing/core';
import { DateTime } from 'luxon';

/** Kinds of periodic report. */
export const REPORT_PERIOD_KINDS = ['week', 'month', 'quarter', 'year'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIOD_KINDS)[number];

/** One reporting period: the local calendar days [startDate, endDate) and the instants bounding them. */
export interface ReportPeriod {
  kind: ReportPeriodKind;
  /** 2026-W48, 2026-11, 2026-Q4 or 2026. */
  key: string;
  /** e.g. 2026年第48周（11月23日至11月29日）, 2026年11月, 2026年第四季度, 2026年 */
  label: string;
  /** First day, YYYY-MM-DD. */
  startDate: string;
  /** Day after the last, YYYY-MM-DD. */
  endDate: string;
  /** Local midnight of startDate in the time zone (inclusive). */
  start: Date;
  /** Local midnight of endDate (exclusive). */
  end: Date;
  timeZone: string;
}

const KEY_PATTERNS: Record<ReportPeriodKind, RegExp> = {
  week: /^(\d{4})-W(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
  quarter: /^(\d{4})-Q([1-4])$/,
  year: /^(\d{4})$/,
};
const KEY_EXAMPLES: Record<ReportPeriodKind, string> = {
  week: '2026-W48',
  month: '2026-11',
  quarter: '2026-Q4',
  year: '2026',
};
const QUARTER_NAMES = ['一', '二', '三', '四'] as const;
const LUXON_UNIT = { week: 'week', month: 'month', quarter: 'quarter', year: 'year' } as const;

function usage(kind: ReportPeriodKind, key: string): NonRetryableError {
  return new NonRetryableError(
    'USAGE',
    `expected a ${kind} written like ${KEY_EXAMPLES[kind]}, got ${JSON.stringify(key)}`,
  );
}

function periodFrom(kind: ReportPeriodKind, first: DateTime): ReportPeriod {
  const startLocal = first.startOf(LUXON_UNIT[kind], kind === 'week' ? { useLocaleWeeks: false } : undefined);
  const endLocal = startLocal.plus({ [`${LUXON_UNIT[kind]}s`]: 1 });
  const last = endLocal.minus({ days: 1 });
  const md = (d: DateTime) => `${d.month}月${d.day}日`;
  const key =
    kind === 'week'
      ? `${startLocal.weekYear}-W${String(startLocal.weekNumber).padStart(2, '0')}`
      : kind === 'month'
        ? startLocal.toFormat('yyyy-MM')
        : kind === 'quarter'
          ? `${startLocal.year}-Q${startLocal.quarter}`
          : String(startLocal.year);
  const label =
    kind === 'week'
      ? `${startLocal.weekYear}年第${startLocal.weekNumber}周（${startLocal.year}年${md(startLocal)}至${last.year === startLocal.year ? '' : `${last.year}年`}${md(last)}）`
      : kind === 'month'
        ? `${startLocal.year}年${startLocal.month}月`
        : kind === 'quarter'
          ? `${startLocal.year}年第${QUARTER_NAMES[startLocal.quarter - 1]}季度`
          : `${startLocal.year}年`;
  return {
    kind,
    key,
    label,
    startDate: startLocal.toISODate()!,
    endDate: endLocal.toISODate()!,
    start: startLocal.toJSDate(),
    end: endLocal.toJSDate(),
    timeZone: startLocal.zoneName ?? 'UTC',
  };
}

/**
 * The period named by `key` (2026-W48, 2026-11, 2026-Q4, 2026) in `timeZone`.
 * @throws NonRetryableError `USAGE` for a malformed key or one naming no real period (2026-W54, 2026-13).
 */
export function parseReportPeriod(kind: ReportPeriodKind, key: string, timeZone: string): ReportPeriod {
  const match = KEY_PATTERNS[kind].exec(key.trim());
  if (!match) throw usage(kind, key);
  const year = Number(match[1]);
  const n = Number(match[2] ?? 1);
  const zone = { zone: timeZone };
  const first =
    kind === 'week'
      ? DateTime.fromObject({ weekYear: year, weekNumber: n, weekday: 1 }, zone)
      : kind === 'month'
        ? DateTime.fromObject({ year, month: n, day: 1 }, zone)
        : kind === 'quarter'
          ? DateTime.fromObject({ year, month: (n - 1) * 3 + 1, day: 1 }, zone)
          : DateTime.fromObject({ year, month: 1, day: 1 }, zone);
  if (!first.isValid) throw usage(kind, key);
  // Luxon rolls week 53 of a 52-week year over into the next year: that is not the week the reader asked for.
  if (kind === 'week' && (first.weekYear !== year || first.weekNumber !== n)) throw usage(kind, key);
  return periodFrom(kind, first);
}

/** The period of `kind` that contains the instant `at` (local calendar in `timeZone`). */
export function reportPeriodAt(kind: ReportPeriodKind, at: Date, timeZone: string): ReportPeriod {
  return periodFrom(kind, DateTime.fromJSDate(at, { zone: timeZone }));
}

/** The period just before `period` (for the comparison column). */
export function previousReportPeriod(period: ReportPeriod): ReportPeriod {
  const start = DateTime.fromJSDate(period.start, { zone: period.timeZone });
  return periodFrom(period.kind, start.minus({ days: 1 }));
}

/** The last complete period of `kind` before `now`: what a report run without a key describes. */
export function lastCompleteReportPeriod(kind: ReportPeriodKind, now: Date, timeZone: string): ReportPeriod {
  return previousReportPeriod(reportPeriodAt(kind, now, timeZone));
}

/** Local calendar days of the period, YYYY-MM-DD, in order. */
export function periodDays(period: ReportPeriod): string[] {
  const days: string[] = [];
  let d = DateTime.fromISO(period.startDate, { zone: 'UTC' });
  const end = DateTime.fromISO(period.endDate, { zone: 'UTC' });
  while (d < end) {
    days.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return days;
}
