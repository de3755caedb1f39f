import { type Clock, systemClock, zoneOffsetMinutes, zonedTimeToUtc } from '@yuqing/core';

/** Options for {@link parseDateText}. */
export interface DateParseOptions {
  /** Bureau time zone for dates without an offset. @defaultValue 'Asia/Shanghai' */
  timeZone?: string;
  /** "Now" for relative dates (昨天, 3小时前); tests pass a ManualClock. */
  clock?: Clock;
}

/** Formats an instant as ISO 8601 with the zone's offset, e.g. `2019-03-02T10:05:00+08:00`. */
export function formatInZone(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function localParts(instant: Date, timeZone: string): { y: number; m: number; d: number } {
  const local = new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60_000);
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

function valid(y: number, m: number, d: number, h: number, mi: number, s: number): boolean {
  return (
    y >= 1990 &&
    y <= 2100 &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= 31 &&
    h >= 0 &&
    h <= 23 &&
    mi >= 0 &&
    mi <= 59 &&
    s >= 0 &&
    s <= 60
  );
}

const FULLWIDTH_DIGITS = /[０-９：－／]/g;

/**
 * Parses the date formats found on Chinese news, government and forum pages and returns ISO 8601 with the
 * bureau's offset: `2019年3月2日 10:05`, `2019-03-02`, `2019/3/2 10:05:06`, `2019.03.02`, `03-02 10:05` (this year),
 * `今天 10:05`, `昨天 10:05`, `前天`, `刚刚`, `5分钟前`, `3小时前`, `2天前`, ISO 8601 with offset, RFC 822 (RSS).
 * Returns undefined when nothing date-like is found.
 */
export function parseDateText(input: string | undefined | null, options: DateParseOptions = {}): string | undefined {
  if (!input) return undefined;
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const now = (options.clock ?? systemClock).now();
  const text = input
    .replace(FULLWIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;

  // ISO 8601 with an explicit offset or Z: the instant is unambiguous.
  const iso = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})/i.exec(text);
  if (iso) {
    const d = new Date(
      `${iso[1]}-${iso[2]}-${iso[3]}T${iso[4]}:${iso[5]}:${iso[6] ?? '00'}${normaliseOffset(iso[7]!)}`,
    );
    if (!Number.isNaN(d.getTime())) return formatInZone(d, timeZone);
  }
  // RFC 822 / 1123 (RSS pubDate): "Fri, 27 Nov 2026 09:30:00 +0800" or "GMT".
  if (/^(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}/.test(text)) {
    const d = new Date(text.replace(/\b(CST)\b/, '+0800'));
    if (!Number.isNaN(d.getTime())) return formatInZone(d, timeZone);
  }

  const relative = /(\d+)\s*(秒|分钟|分鐘|小时|小時|天|日|周|週|个月|個月)前/.exec(text);
  if (relative) {
    const n = Number(relative[1]);
    const unitMs: Record<string, number> = {
      秒: 1000,
      分钟: 60_000,
      分鐘: 60_000,
      小时: 3_600_000,
      小時: 3_600_000,
      天: 86_400_000,
      日: 86_400_000,
      周: 7 * 86_400_000,
      週: 7 * 86_400_000,
      个月: 30 * 86_400_000,
      個月: 30 * 86_400_000,
    };
    return formatInZone(new Date(now.getTime() - n * unitMs[relative[2]!]!), timeZone);
  }
  if (/刚刚|剛剛|just now/i.test(text)) return formatInZone(now, timeZone);
  if (/半小时前|半小時前/.test(text)) return formatInZone(new Date(now.getTime() - 1_800_000), timeZone);

  const dayWord = /(今天|今日|昨天|昨日|前天)\s*(?:(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?/.exec(text);
  if (dayWord) {
    const back = dayWord[1]!.startsWith('今') ? 0 : dayWord[1] === '前天' ? 2 : 1;
    const today = localParts(now, timeZone);
    const day = new Date(Date.UTC(today.y, today.m - 1, today.d - back));
    const h = Number(dayWord[2] ?? 0);
    const mi = Number(dayWord[3] ?? 0);
    const s = Number(dayWord[4] ?? 0);
    return formatInZone(
      zonedTimeToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, mi, s, timeZone),
      timeZone,
    );
  }

  // Full dates: 2019年3月2日 10:05, 2019-03-02 10:05:06, 2019/3/2, 2019.03.02, 2019年06月15日08:18
  const full =
    /(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?(?:\s*(?:T|\s)?\s*(上午|下午|晚上|凌晨|中午)?\s*(\d{1,2})\s*[:：时點点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?/.exec(
      text,
    );
  if (full)
    return build(Number(full[1]), Number(full[2]), Number(full[3]), full[4], full[5], full[6], full[7], timeZone);
  // Compact: 20190302 or 20190302 10:05
  const compact = /\b(\d{4})(\d{2})(\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\b/.exec(text);
  if (compact) {
    const r = build(
      Number(compact[1]),
      Number(compact[2]),
      Number(compact[3]),
      undefined,
      compact[4],
      compact[5],
      compact[6],
      timeZone,
    );
    if (r) return r;
  }
  // Month and day without a year (forum lists): this year, or last year when that would be in the future.
  const short = /(?<!\d)(\d{1,2})\s*[月\-/]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})[:：](\d{2})(?::(\d{2}))?)?(?!\d)/.exec(
    text,
  );
  if (short) {
    const today = localParts(now, timeZone);
    let y = today.y;
    const candidate = build(y, Number(short[1]), Number(short[2]), undefined, short[3], short[4], short[5], timeZone);
    if (candidate && new Date(candidate).getTime() > now.getTime() + 86_400_000) y -= 1;
    return build(y, Number(short[1]), Number(short[2]), undefined, short[3], short[4], short[5], timeZone);
  }
  return undefined;
}

function normaliseOffset(offset: string): string {
  if (/^z$/i.test(offset)) return 'Z';
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  return m ? `${m[1]}${m[2]}:${m[3]}` : offset;
}

function build(
  y: number,
  m: number,
  d: number,
  half: string | undefined,
  hh: string | undefined,
  mm: string | undefined,
  ss: string | undefined,
  timeZone: string,
): string | undefined {
  let h = Number(hh ?? 0);
  const mi = Number(mm ?? 0);
  const s = Number(ss ?? 0);
  if (half && (half === '下午' || half === '晚上') && h < 12) h += 12;
  if (half === '凌晨' && h === 12) h = 0;
  if (!valid(y, m, d, h, mi, s)) return undefined;
  return formatInZone(zonedTimeToUtc(y, m, d, h, mi, s, timeZone), timeZone);
}
