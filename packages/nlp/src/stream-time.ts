import { NonRetryableError } from '@yuqing/core';

/** Offset of China Standard Time; source times without a zone are local times of Chinese sites. */
const CHINA_OFFSET_MS = 8 * 3600_000;
const LOCAL_TIME = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;

/**
 * Parses the time formats found in sources (`2019/2/28 11:25:05`, `2019-02-28 11:25`, `2019年2月28日`, ISO with a
 * zone, epoch ms). Times without a zone are read as China Standard Time.
 */
export function parseSourceTime(value: string | number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const text = String(value).trim();
  const local = LOCAL_TIME.exec(text);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - CHINA_OFFSET_MS;
  }
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed))
    throw new NonRetryableError('TIME_INVALID', `unrecognised time ${JSON.stringify(text.slice(0, 40))}`);
  return parsed;
}
