import { describe, expect, it } from 'vitest';
import { addDays, briefingSerial, chineseDate, isCalendarDate, reportDateAt, sendTimeReached } from './digest-date.ts';

describe('digest dates', () => {
  it('numbers a briefing by year and day of the year', () => {
    expect(briefingSerial('2026-11-27')).toBe('〔2026〕第331期');
    expect(briefingSerial('2026-01-01')).toBe('〔2026〕第1期');
    expect(briefingSerial('2024-12-31')).toBe('〔2024〕第366期');
  });

  it('moves across month and year ends and rejects impossible dates', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(() => addDays('yesterday', 1)).toThrow(RangeError);
    expect(chineseDate('2026-11-06')).toBe('2026年11月6日');
  });

  it('reports on yesterday in the configured zone, not in UTC', () => {
    // 2026-11-27 01:00 in Shanghai is still 2026-11-26 in UTC.
    const at = new Date('2026-11-26T17:00:00Z');
    expect(reportDateAt(at, 'Asia/Shanghai')).toBe('2026-11-26');
    expect(reportDateAt(at, 'UTC')).toBe('2026-11-25');
  });

  it('knows when the local send time has come', () => {
    const before = new Date('2026-11-27T07:59:00+08:00');
    const after = new Date('2026-11-27T08:00:00+08:00');
    expect(sendTimeReached(before, '08:00', 'Asia/Shanghai')).toBe(false);
    expect(sendTimeReached(after, '08:00', 'Asia/Shanghai')).toBe(true);
    expect(sendTimeReached(after, '23:30', 'Asia/Shanghai')).toBe(false);
    expect(sendTimeReached(after, '8:00', 'Asia/Shanghai')).toBe(false);
  });
});
