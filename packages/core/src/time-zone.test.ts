import { describe, expect, it } from 'vitest';
import { dateInZone, dayBounds, formatMinuteInZone, zonedTimeToUtc } from './time-zone.ts';

describe('time zones', () => {
  it('computes Shanghai day bounds as UTC instants', () => {
    const { start, end } = dayBounds('2026-11-27', 'Asia/Shanghai');
    expect(start.toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('crosses month ends', () => {
    expect(dayBounds('2026-12-31', 'Asia/Shanghai').end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('maps local wall time to UTC and back to the local date', () => {
    const at = zonedTimeToUtc(2019, 3, 2, 10, 5, 0, 'Asia/Shanghai');
    expect(at.toISOString()).toBe('2019-03-02T02:05:00.000Z');
    expect(dateInZone(new Date('2026-11-26T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-27');
  });

  it('handles a zone with daylight saving', () => {
    expect(zonedTimeToUtc(2026, 7, 1, 12, 0, 0, 'Europe/Berlin').toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(zonedTimeToUtc(2026, 1, 1, 12, 0, 0, 'Europe/Berlin').toISOString()).toBe('2026-01-01T11:00:00.000Z');
  });

  it('rejects malformed dates', () => {
    expect(() => dayBounds('27/11/2026', 'Asia/Shanghai')).toThrow(/YYYY-MM-DD/);
  });
});

describe('formatMinuteInZone', () => {
  it('shows the minute in the given zone as 2026/12/04 21:30, midnight as 00', () => {
    expect(formatMinuteInZone(new Date('2026-12-04T13:30:00Z'), 'Asia/Shanghai')).toBe('2026/12/04 21:30');
    expect(formatMinuteInZone(new Date('2026-12-04T16:05:00Z'), 'Asia/Shanghai')).toBe('2026/12/05 00:05');
    expect(formatMinuteInZone(new Date('2026-12-04T16:05:00Z'), 'UTC')).toBe('2026/12/04 16:05');
  });
});
