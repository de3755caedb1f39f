import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { formatInZone, parseDateText } from './date-parse.ts';

// 2026-11-27 10:00 in Shanghai.
const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
const opts = { timeZone: 'Asia/Shanghai', clock };

describe('parseDateText', () => {
  it.each([
    ['2019年3月2日 10:05', '2019-03-02T10:05:00+08:00'],
    ['2019年06月15日08:18', '2019-06-15T08:18:00+08:00'],
    ['2019-03-02', '2019-03-02T00:00:00+08:00'],
    ['发布时间：2019-09-18 06:23', '2019-09-18T06:23:00+08:00'],
    ['2005-5-28 16:05:36', '2005-05-28T16:05:36+08:00'],
    ['2019/3/2 下午3:05', '2019-03-02T15:05:00+08:00'],
    ['2019.03.02', '2019-03-02T00:00:00+08:00'],
    ['昨天 10:05', '2026-11-26T10:05:00+08:00'],
    ['今天 08:00', '2026-11-27T08:00:00+08:00'],
    ['前天', '2026-11-25T00:00:00+08:00'],
    ['3小时前', '2026-11-27T07:00:00+08:00'],
    ['25分钟前', '2026-11-27T09:35:00+08:00'],
    ['2天前', '2026-11-25T10:00:00+08:00'],
    ['刚刚', '2026-11-27T10:00:00+08:00'],
    ['11-20 09:30', '2026-11-20T09:30:00+08:00'],
    ['12-30 09:30', '2025-12-30T09:30:00+08:00'],
    ['Fri, 27 Nov 2026 09:30:00 +0800', '2026-11-27T09:30:00+08:00'],
    ['Fri, 27 Nov 2026 01:30:00 GMT', '2026-11-27T09:30:00+08:00'],
    ['2026-11-27T01:30:00Z', '2026-11-27T09:30:00+08:00'],
    ['2026-11-27T09:30:00+08:00', '2026-11-27T09:30:00+08:00'],
  ])('%s → %s', (input, expected) => {
    expect(parseDateText(input, opts)).toBe(expected);
  });

  it('returns undefined for text without a date', () => {
    expect(parseDateText('没有日期的文字', opts)).toBeUndefined();
    expect(parseDateText('', opts)).toBeUndefined();
    expect(parseDateText('2019年13月45日', opts)).toBeUndefined();
  });

  it('formats in other zones with their offset', () => {
    expect(formatInZone(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe('2026-07-01T14:00:00+02:00');
    expect(parseDateText('2026-07-01 14:00', { timeZone: 'Europe/Berlin', clock })).toBe('2026-07-01T14:00:00+02:00');
  });
});
