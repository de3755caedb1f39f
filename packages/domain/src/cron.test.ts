import { describe, expect, it } from 'vitest';
import { cronMatches, isDue, parseCron, previousFireTime } from './cron.ts';

const at = (iso: string) => new Date(iso);

describe('cron', () => {
  it('parses steps, ranges, lists and aliases; rejects bad fields with a clear message', () => {
    const s = parseCron('*/15 9-17 * * 1-5');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(parseCron('@daily').source).toBe('@daily');
    expect(() => parseCron('61 * * * *')).toThrow(/minute field "61" is out of range/);
    expect(() => parseCron('* * *')).toThrow(/expected 5 cron fields/);
  });

  it('matches in the configured time zone', () => {
    const s = parseCron('0 8 * * *');
    // 08:00 in Shanghai is 00:00 UTC.
    expect(cronMatches(s, at('2026-11-27T00:00:30Z'), 'Asia/Shanghai')).toBe(true);
    expect(cronMatches(s, at('2026-11-27T08:00:00Z'), 'Asia/Shanghai')).toBe(false);
    expect(cronMatches(s, at('2026-11-27T08:00:00Z'), 'UTC')).toBe(true);
  });

  it('finds the previous fire time and decides due-ness from lastRunAt', () => {
    const s = parseCron('*/30 * * * *');
    expect(previousFireTime(s, at('2026-11-27T02:44:10Z'), 'Asia/Shanghai')).toEqual(at('2026-11-27T02:30:00Z'));
    expect(isDue(s, null, at('2026-11-27T02:44:10Z'), 'Asia/Shanghai').due).toBe(true);
    expect(isDue(s, at('2026-11-27T02:31:00Z'), at('2026-11-27T02:44:10Z'), 'Asia/Shanghai').due).toBe(false);
    expect(isDue(s, at('2026-11-27T02:29:59Z'), at('2026-11-27T02:44:10Z'), 'Asia/Shanghai')).toEqual({
      due: true,
      fireTime: at('2026-11-27T02:30:00Z'),
    });
  });

  it('ORs day-of-month and day-of-week when both are restricted', () => {
    const s = parseCron('0 0 1 * 1');
    expect(cronMatches(s, at('2026-11-30T00:00:00Z'), 'UTC')).toBe(true); // a Monday
    expect(cronMatches(s, at('2026-12-01T00:00:00Z'), 'UTC')).toBe(true); // the 1st
    expect(cronMatches(s, at('2026-12-02T00:00:00Z'), 'UTC')).toBe(false);
  });
});
