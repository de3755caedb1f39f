// Every time the demo site shows is wall-clock time in Asia/Shanghai, the way Chinese sites print them.

/** The zone all demo pages show times in. */
export const DEMO_TIME_ZONE = 'Asia/Shanghai';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

// Building an Intl.DateTimeFormat costs far more than using one; list pages format dozens of times per request.
const PARTS_FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: DEMO_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Local calendar fields of `at` in Asia/Shanghai plus the zone offset in minutes at that instant. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetMinutes: number;
}

// Pages show the same few hundred instants again and again; formatToParts costs tens of microseconds each.
const MAX_CACHED_TIMES = 20_000;
const cache = new Map<number, LocalTime>();

export function localTime(at: Date): LocalTime {
  const key = Math.floor(at.getTime() / 1000);
  const hit = cache.get(key);
  if (hit) return hit;
  const value = computeLocalTime(at);
  if (cache.size >= MAX_CACHED_TIMES) cache.clear();
  cache.set(key, value);
  return value;
}

function computeLocalTime(at: Date): LocalTime {
  const fields: Record<string, number> = {};
  for (const part of PARTS_FORMAT.formatToParts(at)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? 1970;
  const month = fields.month ?? 1;
  const day = fields.day ?? 1;
  const hour = fields.hour ?? 0;
  const minute = fields.minute ?? 0;
  const second = fields.second ?? 0;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMinutes = Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  return { year, month, day, hour, minute, second, offsetMinutes };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-11-27` */
export function formatDate(at: Date): string {
  const t = localTime(at);
  return `${t.year}-${two(t.month)}-${two(t.day)}`;
}

/** `2026-11-27 09:30:00` (the board API's format; no offset, Shanghai time implied). */
export function formatDateTime(at: Date): string {
  const t = localTime(at);
  return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
}

/** `2026年11月27日 09:30` (article pages). */
export function formatChineseDateTime(at: Date): string {
  const t = localTime(at);
  return `${t.year}年${two(t.month)}月${two(t.day)}日 ${two(t.hour)}:${two(t.minute)}`;
}

/** RFC 822 date as RSS 2.0 wants it, with the Shanghai offset: `Fri, 27 Nov 2026 09:30:00 +0800`. */
export function formatRfc822(at: Date): string {
  const t = localTime(at);
  const weekday = WEEKDAYS[new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay()];
  const sign = t.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(t.offsetMinutes);
  return `${weekday}, ${two(t.day)} ${MONTHS[t.month - 1]} ${t.year} ${two(t.hour)}:${two(t.minute)}:${two(t.second)} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}
