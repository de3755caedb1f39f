import { describe, expect, it } from 'vitest';
import { errorCode, ManualClock } from '@yuqing/core';
import {
  lastCompleteReportPeriod,
  parseReportPeriod,
  periodDays,
  previousReportPeriod,
  reportPeriodAt,
} from './report-period.ts';

const SHANGHAI = 'Asia/Shanghai';

describe('report periods', () => {
  it('bounds an ISO week from Monday 00:00 to the next Monday in the bureau time zone', () => {
    const w = parseReportPeriod('week', '2026-W48', SHANGHAI);
    expect([w.startDate, w.endDate]).toEqual(['2026-11-23', '2026-11-30']);
    expect(w.start.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(w.label).toBe('2026年第48周（2026年11月23日至11月29日）');
    expect(periodDays(w)).toHaveLength(7);
  });

  it('knows ISO week years: week 1 of 2026 starts in 2025, 2026 has a week 53, 2025 has none', () => {
    const w1 = parseReportPeriod('week', '2026-W01', SHANGHAI);
    expect([w1.startDate, w1.endDate]).toEqual(['2025-12-29', '2026-01-05']);
    const w53 = parseReportPeriod('week', '2026-W53', SHANGHAI);
    expect([w53.startDate, w53.endDate]).toEqual(['2026-12-28', '2027-01-04']);
    expect(() => parseReportPeriod('week', '2025-W53', SHANGHAI)).toThrow(/2026-W48/);
    expect(previousReportPeriod(w1).key).toBe('2025-W52');
  });

  it('bounds months, quarters and years at local midnight', () => {
    const m = parseReportPeriod('month', '2026-02', SHANGHAI);
    expect([m.startDate, m.endDate, m.label]).toEqual(['2026-02-01', '2026-03-01', '2026年2月']);
    expect(m.start.toISOString()).toBe('2026-01-31T16:00:00.000Z');
    const q = parseReportPeriod('quarter', '2026-Q4', SHANGHAI);
    expect([q.startDate, q.endDate, q.label]).toEqual(['2026-10-01', '2027-01-01', '2026年第四季度']);
    expect(periodDays(q)).toHaveLength(92);
    const y = parseReportPeriod('year', '2028', SHANGHAI);
    expect(periodDays(y)).toHaveLength(366);
    expect(previousReportPeriod(q).key).toBe('2026-Q3');
    expect(previousReportPeriod(parseReportPeriod('month', '2026-01', SHANGHAI)).key).toBe('2025-12');
  });

  it('puts an instant in the period of its local date, not its UTC date', () => {
    // 23:30 on Sunday 22 November in Shanghai is 15:30 UTC the same day; 00:10 on Monday is still the 22nd in UTC.
    expect(reportPeriodAt('week', new Date('2026-11-22T23:30:00+08:00'), SHANGHAI).key).toBe('2026-W47');
    expect(reportPeriodAt('week', new Date('2026-11-23T00:10:00+08:00'), SHANGHAI).key).toBe('2026-W48');
    expect(reportPeriodAt('week', new Date('2026-11-23T00:10:00+08:00'), 'UTC').key).toBe('2026-W47');
    expect(reportPeriodAt('month', new Date('2026-11-30T16:30:00Z'), SHANGHAI).key).toBe('2026-12');
    expect(reportPeriodAt('year', new Date('2026-12-31T16:30:00Z'), SHANGHAI).key).toBe('2027');
  });

  it('follows daylight-saving changes: a New York March lasts 31 days minus one hour', () => {
    const m = parseReportPeriod('month', '2026-03', 'America/New_York');
    expect(m.start.toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(m.end.toISOString()).toBe('2026-04-01T04:00:00.000Z');
  });

  it('defaults to the last complete period', () => {
    const now = new Date('2026-12-05T10:00:00+08:00');
    expect(lastCompleteReportPeriod('week', now, SHANGHAI).key).toBe('2026-W48');
    expect(lastCompleteReportPeriod('month', now, SHANGHAI).key).toBe('2026-11');
    expect(lastCompleteReportPeriod('quarter', now, SHANGHAI).key).toBe('2026-Q3');
    expect(lastCompleteReportPeriod('year', now, SHANGHAI).key).toBe('2025');
  });

  it('rejects malformed keys with a usage error', () => {
    for (const [kind, key] of [
      ['week', '2026-48'],
      ['week', '2026-W54'],
      ['month', '2026-13'],
      ['quarter', '2026-Q5'],
      ['year', '26'],
    ] as const) {
      let caught: unknown;
      try {
        parseReportPeriod(kind, key, SHANGHAI);
      } catch (error) {
        caught = error;
      }
      expect(errorCode(caught), `${kind} ${key}`).toBe('USAGE');
    }
  });
});

describe('quarter and year periods at the bureau’s midnight (Asia/Shanghai, UTC+8)', () => {
  // Local midnight in Shanghai is 16:00 UTC the day before: the clock is set in UTC so the edge is explicit.
  const clock = new ManualClock(new Date('2026-09-30T15:59:59.999Z'));

  it('starts each quarter on 1 January, April, July and October and ends it the day after its last', () => {
    for (const [key, startDate, endDate, days] of [
      ['2026-Q1', '2026-01-01', '2026-04-01', 90],
      ['2026-Q2', '2026-04-01', '2026-07-01', 91],
      ['2026-Q3', '2026-07-01', '2026-10-01', 92],
      ['2026-Q4', '2026-10-01', '2027-01-01', 92],
      ['2028-Q1', '2028-01-01', '2028-04-01', 91],
    ] as const) {
      const q = parseReportPeriod('quarter', key, SHANGHAI);
      expect([q.startDate, q.endDate], key).toEqual([startDate, endDate]);
      expect(q.start.toISOString(), key).toBe(`${DAY_BEFORE[startDate]}T16:00:00.000Z`);
      expect(q.end.toISOString(), key).toBe(`${DAY_BEFORE[endDate]}T16:00:00.000Z`);
      expect(periodDays(q), key).toHaveLength(days);
      // The day after the period is the next period's first day: no gap, no overlap.
      expect(reportPeriodAt('quarter', q.end, SHANGHAI).startDate, key).toBe(endDate);
      expect(reportPeriodAt('quarter', new Date(q.end.getTime() - 1), SHANGHAI).key, key).toBe(key);
    }
    expect(parseReportPeriod('quarter', '2026-Q2', SHANGHAI).label).toBe('2026年第二季度');
  });

  it('starts a year on 1 January local and ends it on the next 1 January', () => {
    const y = parseReportPeriod('year', '2026', SHANGHAI);
    expect([y.startDate, y.endDate, y.label]).toEqual(['2026-01-01', '2027-01-01', '2026年']);
    expect(y.start.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(y.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(periodDays(y)).toHaveLength(365);
    expect(previousReportPeriod(y).key).toBe('2025');
    expect(previousReportPeriod(parseReportPeriod('quarter', '2026-Q1', SHANGHAI)).key).toBe('2025-Q4');
  });

  it('changes quarter at 16:00 UTC, not at UTC midnight', () => {
    clock.set(new Date('2026-09-30T15:59:59.999Z')); // 23:59:59.999 on 30 September in Shanghai
    expect(reportPeriodAt('quarter', clock.now(), SHANGHAI).key).toBe('2026-Q3');
    expect(lastCompleteReportPeriod('quarter', clock.now(), SHANGHAI).key).toBe('2026-Q2');
    clock.advance(1); // 00:00 on 1 October in Shanghai, still 30 September in UTC
    expect(reportPeriodAt('quarter', clock.now(), SHANGHAI).key).toBe('2026-Q4');
    expect(lastCompleteReportPeriod('quarter', clock.now(), SHANGHAI).key).toBe('2026-Q3');
    expect(reportPeriodAt('quarter', clock.now(), 'UTC').key).toBe('2026-Q3');
  });

  it('changes year at 16:00 UTC on 31 December', () => {
    clock.set(new Date('2026-12-31T15:59:59.999Z'));
    expect(reportPeriodAt('year', clock.now(), SHANGHAI).key).toBe('2026');
    expect(lastCompleteReportPeriod('year', clock.now(), SHANGHAI).key).toBe('2025');
    expect(lastCompleteReportPeriod('quarter', clock.now(), SHANGHAI).key).toBe('2026-Q3');
    clock.advance(1);
    expect(reportPeriodAt('year', clock.now(), SHANGHAI).key).toBe('2027');
    expect(lastCompleteReportPeriod('year', clock.now(), SHANGHAI).key).toBe('2026');
    expect(lastCompleteReportPeriod('quarter', clock.now(), SHANGHAI).key).toBe('2026-Q4');
    // In UTC it is still 2026 for eight more hours.
    expect(reportPeriodAt('year', clock.now(), 'UTC').key).toBe('2026');
  });
});

/** The UTC date on which Shanghai's midnight of each local date falls (the day before). */
const DAY_BEFORE: Record<string, string> = {
  '2026-01-01': '2025-12-31',
  '2026-04-01': '2026-03-31',
  '2026-07-01': '2026-06-30',
  '2026-10-01': '2026-09-30',
  '2027-01-01': '2026-12-31',
  '2028-01-01': '2027-12-31',
  '2028-04-01': '2028-03-31',
};
