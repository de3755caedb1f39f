// Calendar arithmetic on `YYYY-MM-DD` strings. Dates are local to the configured time zone; the arithmetic
// itself is zone-free (a calendar day is a calendar day), so it runs on UTC midnights.
import { dateInZone, zonedTimeToUtc } from '@yuqing/core';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

function parts(date: string): [number, number, number] {
  const match = DATE_PATTERN.exec(date);
  if (!match || !isCalendarDate(date))
    throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day a digest sent at `now` reports on: yesterday in `timeZone`. */
export function reportDateAt(now: Date, timeZone: string): string {
  return addDays(dateInZone(now, timeZone), -1);
}

/** True once the wall clock in `timeZone` has reached `sendTime` (HH:mm) on the local day of `now`. */
export function sendTimeReached(now: Date, sendTime: string, timeZone: string): boolean {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(sendTime);
  if (!match) return false;
  const [y, m, d] = parts(dateInZone(now, timeZone));
  return zonedTimeToUtc(y, m, d, Number(match[1]), Number(match[2]), 0, timeZone).getTime() <= now.getTime();
}

/** `2026年11月26日` */
export function chineseDate(date: string): string {
  const [y, m, d] = parts(date);
  return `${y}年${m}月${d}日`;
}

/** Weekday name, e.g. `星期四`. */
export function chineseWeekday(date: string): string {
  const [y, m, d] = parts(date);
  return `星期${'日一二三四五六'[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]}`;
}

/**
 * Briefing number in the government style: the year and the day of the year, so every day has its own
 * number without a counter to keep (2026-11-27 → 〔2026〕第331期).
 */
export function briefingSerial(date: string): string {
  const [y, m, d] = parts(date);
  const dayOfYear = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / MS_PER_DAY) + 1;
  return `〔${y}〕第${dayOfYear}期`;
}
