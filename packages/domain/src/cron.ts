import { zoneOffsetMinutes } from '@yuqing/core';

/** How far back {@link previousFireTime} looks; a schedule that did not fire within a week is treated as not due. */
const LOOKBACK_MINUTES = 7 * 24 * 60;

/** A parsed five-field cron expression (minute hour day-of-month month day-of-week). */
export interface CronSchedule {
  source: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: standard cron fires when either matches. */
  dayOr: boolean;
}

const FIELDS: Array<[string, number, number]> = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];

const ALIASES: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

function parseField(text: string, name: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`invalid ${name} field ${JSON.stringify(part)}`);
    const step = m[2] ? Number(m[2]) : 1;
    if (step < 1) throw new Error(`invalid step in ${name} field ${JSON.stringify(part)}`);
    let lo = min;
    let hi = max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-').map(Number);
      lo = a!;
      hi = b ?? (m[2] ? max : a!);
    }
    if (lo < min || hi > max || lo > hi)
      throw new Error(`${name} field ${JSON.stringify(part)} is out of range ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a five-field cron expression (or @hourly/@daily/…); throws an Error that says which field is wrong. */
export function parseCron(expression: string): CronSchedule {
  const expr = ALIASES[expression.trim()] ?? expression.trim();
  const parts = expr.split(/\s+/);
  if (parts.length !== 5)
    throw new Error(
      `expected 5 cron fields (minute hour day month weekday), got ${parts.length} in ${JSON.stringify(expression)}`,
    );
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) =>
    parseField(p, FIELDS[i]![0], FIELDS[i]![1], FIELDS[i]![2]),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  return { source: expression, minutes, hours, days, months, weekdays, dayOr: parts[2] !== '*' && parts[4] !== '*' };
}

/** True when the schedule fires at the local wall-clock minute described by a Date whose UTC fields hold local time. */
function matchesLocal(s: CronSchedule, local: Date): boolean {
  if (
    !s.minutes.has(local.getUTCMinutes()) ||
    !s.hours.has(local.getUTCHours()) ||
    !s.months.has(local.getUTCMonth() + 1)
  )
    return false;
  const dom = s.days.has(local.getUTCDate());
  const dow = s.weekdays.has(local.getUTCDay());
  return s.dayOr ? dom || dow : dom && dow;
}

/** Whether `schedule` fires in the minute containing `at`, evaluated in `timeZone`. */
export function cronMatches(schedule: CronSchedule, at: Date, timeZone: string): boolean {
  const local = new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000);
  return matchesLocal(schedule, local);
}

/** The latest minute at or before `now` when the schedule fired (in `timeZone`), or undefined within the last week. */
export function previousFireTime(schedule: CronSchedule, now: Date, timeZone: string): Date | undefined {
  const startMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  let offset = zoneOffsetMinutes(now, timeZone);
  for (let i = 0; i <= LOOKBACK_MINUTES; i++) {
    const instant = startMinute - i * 60_000;
    // Re-check the offset once per hour of look-back: cheap, and correct across DST changes.
    if (i % 60 === 0) offset = zoneOffsetMinutes(new Date(instant), timeZone);
    if (matchesLocal(schedule, new Date(instant + offset * 60_000))) return new Date(instant);
  }
  return undefined;
}

/** Due when the schedule fired after the source last ran (or it never ran). */
export function isDue(
  schedule: CronSchedule,
  lastRunAt: Date | null | undefined,
  now: Date,
  timeZone: string,
): { due: boolean; fireTime?: Date } {
  const fire = previousFireTime(schedule, now, timeZone);
  if (!fire) return { due: false };
  return { due: !lastRunAt || lastRunAt.getTime() < fire.getTime(), fireTime: fire };
}
