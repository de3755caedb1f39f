// What makes an alert fire, and when a channel may be told: the trigger kinds (a new flag, a level raised, a relevant
// hot-list entry (hot-list-triggers.ts), a jump in the negative share, a response deadline near or passed, a response
// waiting for approval), their de-duplication key, a channel's on-duty schedule (工作日 office hours, after hours,
// holidays — with the 2026 holiday table), quiet hours that 重大 overrides, and the per-minute rate limit whose
// surplus is sent as one combined message. Pure: the pipeline gathers the facts, packages/alerts queues and sends,
// packages/db stores what was sent.
import { z } from 'zod';
import { formatMinuteInZone, zoneOffsetMinutes } from '@yuqing/core';
import { ISSUE_LEVEL_RANK, RESPONSE_DEADLINE_HOURS, type IssueLevel } from './issue-rules.ts';
import type { HotListAlertFacts } from './hot-list-triggers.ts';

const DAY_MS = 86_400_000;

/** Alert levels (a trigger is never 未分级); the same list as `ALERT_LEVELS` of alert-channel.ts. */
type TriggerLevel = Exclude<IssueLevel, 'none'>;

/** Trigger kinds, in the order the admin page lists them. */
export const ALERT_TRIGGER_KINDS = [
  'new-flag',
  'level-raised',
  'hotlist.entry',
  'negative-jump',
  'deadline-near',
  'deadline-passed',
  'awaiting-approval',
] as const;
/** One of {@link ALERT_TRIGGER_KINDS}. */
export type AlertTriggerKind = (typeof ALERT_TRIGGER_KINDS)[number];

/** Shorthands accepted where trigger kinds are listed (`--triggers new-flag,deadline`). */
export const ALERT_TRIGGER_GROUPS: Record<string, readonly AlertTriggerKind[]> = {
  flag: ['new-flag', 'level-raised'],
  deadline: ['deadline-near', 'deadline-passed'],
  approval: ['awaiting-approval'],
  all: ALERT_TRIGGER_KINDS,
};

/** Chinese names of the trigger kinds (admin page, delivery log, the alert's reason line). */
export const ALERT_TRIGGER_LABELS: Record<AlertTriggerKind, string> = {
  'new-flag': '新热点',
  'level-raised': '级别升级',
  'hotlist.entry': '相关热榜条目',
  'negative-jump': '负面占比骤升',
  'deadline-near': '回应时限将到',
  'deadline-passed': '回应已超时',
  'awaiting-approval': '回应待审批',
};

/** Periods of the week a channel can be on duty in. */
export const ON_DUTY_PERIODS = ['workday-hours', 'after-hours', 'holidays'] as const;
/** One of {@link ON_DUTY_PERIODS}. */
export type OnDutyPeriod = (typeof ON_DUTY_PERIODS)[number];

/** Chinese names of the on-duty periods. */
export const ON_DUTY_PERIOD_LABELS: Record<OnDutyPeriod, string> = {
  'workday-hours': '工作日工作时间',
  'after-hours': '工作日非工作时间',
  holidays: '休息日和节假日',
};

/**
 * 2026 public holidays and 调休 working weekends, from 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04,
 * 新华社; https://politics.gmw.cn/2025-11/04/content_38391083.htm): 元旦 1/1–1/3 (1/4 上班); 春节 2/15–2/23
 * (2/14, 2/28 上班); 清明 4/4–4/6; 劳动节 5/1–5/5 (5/9 上班); 端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7
 * (9/20, 10/10 上班). A year without a table falls back to Monday–Friday.
 */
export const CHINA_HOLIDAYS: Record<number, { holidays: readonly string[]; workdays: readonly string[] }> = {
  2026: {
    holidays: [
      ...dayRange('2026-01-01', 3),
      ...dayRange('2026-02-15', 9),
      ...dayRange('2026-04-04', 3),
      ...dayRange('2026-05-01', 5),
      ...dayRange('2026-06-19', 3),
      ...dayRange('2026-09-25', 3),
      ...dayRange('2026-10-01', 7),
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

function dayRange(first: string, days: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: days }, (_, k) => new Date(start + k * DAY_MS).toISOString().slice(0, 10));
}

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day such as 08:30');

/** Office hours of a working day, in the bureau's time zone. */
export const officeHoursSchema = z
  .object({ start: clockTime, end: clockTime })
  .strict()
  .refine((h) => minutesOf(h.start) < minutesOf(h.end), 'start must be before end');

/** Default office hours (机关 working day, lunch break included). */
export const DEFAULT_OFFICE_HOURS = { start: '08:30', end: '17:30' } as const;

/** Most alerts a channel may take per minute (企业微信 and 钉钉 robots allow 20). */
export const MAX_ALERTS_PER_MINUTE = 600;

/**
 * A channel's trigger settings (stored in its filter beside level, categories, keywords and quiet hours): which
 * trigger kinds it takes, when it is on duty, office hours, and how many alerts per minute it takes (the surplus is
 * combined into one message).
 */
export const channelTriggerSettingsShape = {
  /** Trigger kinds sent (default: all); the shorthands of {@link ALERT_TRIGGER_GROUPS} are expanded. */
  triggers: z
    .preprocess(
      (value) => (Array.isArray(value) ? value.flatMap((w) => ALERT_TRIGGER_GROUPS[String(w)] ?? [w]) : value),
      z.array(z.enum(ALERT_TRIGGER_KINDS)).min(1, 'expected at least one trigger kind'),
    )
    .default([...ALERT_TRIGGER_KINDS]),
  /** Periods the channel is on duty (default: all; `always` means all); an alert outside them waits for the next. */
  onDuty: z
    .preprocess(
      (value) => (Array.isArray(value) ? value.flatMap((p) => (p === 'always' ? [...ON_DUTY_PERIODS] : [p])) : value),
      z.array(z.enum(ON_DUTY_PERIODS)).min(1, 'expected at least one on-duty period'),
    )
    .default([...ON_DUTY_PERIODS]),
  /** Office hours of a working day (default 08:30–17:30). */
  officeHours: officeHoursSchema.default({ ...DEFAULT_OFFICE_HOURS }),
  /** Alerts per minute before the surplus is combined into one message (absent: no limit). */
  perMinute: z.number().int().min(1).max(MAX_ALERTS_PER_MINUTE).optional(),
};

/** The trigger settings alone (a channel's filter carries them beside its other fields). */
export const channelTriggerSettingsSchema = z.object(channelTriggerSettingsShape);
/** Parsed trigger settings. */
export type ChannelTriggerSettings = z.output<typeof channelTriggerSettingsSchema>;

/**
 * Reads a comma-separated list of trigger kinds or shorthands (`new-flag,deadline`) into kinds; throws naming the
 * unknown word.
 */
export function parseTriggerList(list: string): AlertTriggerKind[] {
  const kinds = new Set<AlertTriggerKind>();
  for (const word of list
    .split(/[,，\s]+/)
    .map((w) => w.trim())
    .filter(Boolean)) {
    const group = ALERT_TRIGGER_GROUPS[word];
    if (group) group.forEach((k) => kinds.add(k));
    else if ((ALERT_TRIGGER_KINDS as readonly string[]).includes(word)) kinds.add(word as AlertTriggerKind);
    else
      throw new Error(
        `unknown trigger kind "${word}" (expected ${[...ALERT_TRIGGER_KINDS, ...Object.keys(ALERT_TRIGGER_GROUPS)].join(', ')})`,
      );
  }
  return ALERT_TRIGGER_KINDS.filter((k) => kinds.has(k));
}

/** Reads a comma-separated list of on-duty periods (`workday-hours`, `always` for all); throws naming the word. */
export function parseOnDutyList(list: string): OnDutyPeriod[] {
  const periods = new Set<OnDutyPeriod>();
  for (const word of list
    .split(/[,，\s]+/)
    .map((w) => w.trim())
    .filter(Boolean)) {
    if (word === 'always') ON_DUTY_PERIODS.forEach((p) => periods.add(p));
    else if ((ON_DUTY_PERIODS as readonly string[]).includes(word)) periods.add(word as OnDutyPeriod);
    else throw new Error(`unknown on-duty period "${word}" (expected ${ON_DUTY_PERIODS.join(', ')}, always)`);
  }
  return ON_DUTY_PERIODS.filter((p) => periods.has(p));
}

// ───────────────────────────── triggers ─────────────────────────────

/** One reason to alert about one issue. */
export interface AlertTrigger {
  kind: AlertTriggerKind;
  issueId: number;
  level: TriggerLevel;
  /** When the condition arose (the flag, the deadline, the submission …). */
  at: Date;
  /** Why, in Chinese, for the alert's reason line. */
  reason: string;
  /**
   * Tells apart repeated occurrences that must each alert (a response submitted again after being returned, an
   * issue reopened); absent for kinds that alert once per issue and level.
   */
  occurrence?: string;
  /** A `hotlist.entry` trigger's entry: platform, rank, heat (hot-list-triggers.ts). */
  hotList?: HotListAlertFacts;
}

/**
 * The de-duplication key of a trigger: an issue reaches a channel once per kind and level (and occurrence, for the
 * kinds that have one). Stored as the delivery's `trigger`, so a repeated evaluation (every engine tick) sends nothing
 * new.
 */
export function alertTriggerKey(trigger: Pick<AlertTrigger, 'kind' | 'occurrence'>): string {
  return trigger.occurrence ? `${trigger.kind}:${trigger.occurrence}` : trigger.kind;
}

/** The triggers whose key is not in `fired` (keys `issueId|level|triggerKey`), each key once. */
export function unfiredTriggers(triggers: readonly AlertTrigger[], fired: ReadonlySet<string>): AlertTrigger[] {
  const seen = new Set(fired);
  const out: AlertTrigger[] = [];
  for (const t of triggers) {
    const key = firedKey(t.issueId, t.level, alertTriggerKey(t));
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** The key {@link unfiredTriggers} compares: issue, level and trigger key. */
export function firedKey(issueId: number, level: string, triggerKey: string): string {
  return `${issueId}|${level}|${triggerKey}`;
}

/** The kind of a hot-issue flag: raised above a level the issue was flagged at before, or new. */
export function flagTriggerKind(
  previousFlagLevel: IssueLevel | null | undefined,
  level: TriggerLevel,
): AlertTriggerKind {
  return previousFlagLevel &&
    previousFlagLevel !== 'none' &&
    ISSUE_LEVEL_RANK[level] > ISSUE_LEVEL_RANK[previousFlagLevel]
    ? 'level-raised'
    : 'new-flag';
}

/** When a share of negative mentions counts as a jump. */
export interface NegativeJumpOptions {
  /** Rise of the negative share, in percentage points. @defaultValue 20 */
  minPoints: number;
  /** The recent window compared with everything before it, in milliseconds. @defaultValue 1 hour */
  windowMs: number;
  /** Mentions the recent window needs (a few posts are no trend). @defaultValue 10 */
  minCount: number;
  /** Mentions the issue needs before the window (no baseline, no jump). @defaultValue 5 */
  minBaseline: number;
}

/** Default {@link NegativeJumpOptions}. */
export const NEGATIVE_JUMP_DEFAULTS: NegativeJumpOptions = {
  minPoints: 20,
  windowMs: 3600_000,
  minCount: 10,
  minBaseline: 5,
};

/** An issue's mentions split at the start of the recent window, by sentiment. */
export interface SentimentWindowCounts {
  recentTotal: number;
  recentNegative: number;
  beforeTotal: number;
  beforeNegative: number;
}

/**
 * The jump of the negative share (in points, with both shares in percent) when the recent window's share is at least
 * `minPoints` above the share before it, with enough mentions on both sides; undefined otherwise.
 */
export function negativeShareJump(
  counts: SentimentWindowCounts,
  options: Partial<NegativeJumpOptions> = {},
): { before: number; after: number; points: number } | undefined {
  const o = { ...NEGATIVE_JUMP_DEFAULTS, ...options };
  if (counts.recentTotal < o.minCount || counts.beforeTotal < o.minBaseline) return undefined;
  const before = (100 * counts.beforeNegative) / counts.beforeTotal;
  const after = (100 * counts.recentNegative) / counts.recentTotal;
  const points = after - before;
  return points >= o.minPoints ? { before, after, points } : undefined;
}

/**
 * How long before the deadline "near" starts: a sixth of the level's response time (重大 4 h, 较大 8 h, 一般 12 h),
 * in milliseconds.
 */
export function deadlineNearMs(level: TriggerLevel): number {
  return (RESPONSE_DEADLINE_HOURS[level] * 3600_000) / 6;
}

/** What the deadline and approval triggers read about one open issue. */
export interface IssueTriggerFacts {
  issueId: number;
  level: IssueLevel;
  /** The response deadline (an open response's own, else the issue's). */
  deadlineAt: Date | null;
  /** A response published (nothing more is due). */
  responded: boolean;
  /** Responses submitted and waiting for approval, with when. */
  submitted: readonly { responseId: number; submittedAt: Date }[];
  /** Mentions by sentiment around the recent window (for the negative jump), when gathered. */
  sentiment?: SentimentWindowCounts;
}

/** How long a submitted response waits before the approvers are alerted, in milliseconds. @defaultValue 0 (at once) */
export const AWAITING_APPROVAL_AFTER_MS = 0;

/**
 * The triggers that hold for an open issue at `now`: negative share jumped, deadline near or passed (not when a
 * response was published), responses waiting for approval (one trigger per submission). Issues at level none take
 * 一般 for the approval trigger (a response can be drafted before a flag).
 */
export function evaluateIssueTriggers(
  facts: IssueTriggerFacts,
  now: Date,
  options: {
    negativeJump?: Partial<NegativeJumpOptions>;
    /** Zone the deadline is written in. @defaultValue 'Asia/Shanghai' */
    timeZone?: string;
  } = {},
): AlertTrigger[] {
  const out: AlertTrigger[] = [];
  const level: TriggerLevel = facts.level === 'none' ? 'general' : facts.level;
  const base = { issueId: facts.issueId, level };
  if (facts.sentiment && facts.level !== 'none') {
    const jump = negativeShareJump(facts.sentiment, options.negativeJump);
    if (jump)
      out.push({
        ...base,
        kind: 'negative-jump',
        at: now,
        reason: `负面占比骤升：由 ${jump.before.toFixed(0)}% 升至 ${jump.after.toFixed(0)}%（近一小时 ${facts.sentiment.recentTotal} 条）`,
      });
  }
  if (facts.deadlineAt && !facts.responded && facts.level !== 'none') {
    const left = facts.deadlineAt.getTime() - now.getTime();
    if (left <= 0)
      out.push({
        ...base,
        kind: 'deadline-passed',
        at: facts.deadlineAt,
        reason: `回应已超时：时限 ${formatMinuteInZone(facts.deadlineAt, options.timeZone ?? 'Asia/Shanghai')} 已过，尚未发布回应`,
        occurrence: String(facts.deadlineAt.getTime()),
      });
    else if (left <= deadlineNearMs(level))
      out.push({
        ...base,
        kind: 'deadline-near',
        at: now,
        reason: `回应时限将到：距时限还有约 ${Math.max(1, Math.round(left / 60_000))} 分钟，尚未发布回应`,
        occurrence: String(facts.deadlineAt.getTime()),
      });
  }
  for (const s of facts.submitted) {
    if (now.getTime() - s.submittedAt.getTime() < AWAITING_APPROVAL_AFTER_MS) continue;
    out.push({
      ...base,
      kind: 'awaiting-approval',
      at: s.submittedAt,
      reason: `回应待审批：回应 #${s.responseId} 已提交，等待审批`,
      occurrence: `${s.responseId}:${s.submittedAt.getTime()}`,
    });
  }
  return out;
}

// ───────────────────────────── schedule ─────────────────────────────

/** The local date (YYYY-MM-DD), weekday (0 Sunday) and minute of the day of `at` in a zone offset. */
function localParts(at: Date, offsetMinutes: number): { date: string; weekday: number; minute: number } {
  const local = new Date(at.getTime() + offsetMinutes * 60_000);
  return {
    date: local.toISOString().slice(0, 10),
    weekday: local.getUTCDay(),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/**
 * True when the local date is a working day: a 调休 working weekend, or Monday–Friday that is not a public holiday
 * (from {@link CHINA_HOLIDAYS}; a year without a table counts Monday–Friday).
 */
export function isWorkingDay(date: string, weekday: number): boolean {
  const table = CHINA_HOLIDAYS[Number(date.slice(0, 4))];
  if (table?.workdays.includes(date)) return true;
  if (table?.holidays.includes(date)) return false;
  return weekday >= 1 && weekday <= 5;
}

/** The on-duty period `at` falls in, in `timeZone`. */
export function onDutyPeriodAt(
  at: Date,
  timeZone: string,
  officeHours: { start: string; end: string } = DEFAULT_OFFICE_HOURS,
): OnDutyPeriod {
  const local = localParts(at, zoneOffsetMinutes(at, timeZone));
  if (!isWorkingDay(local.date, local.weekday)) return 'holidays';
  return local.minute >= minutesOf(officeHours.start) && local.minute < minutesOf(officeHours.end)
    ? 'workday-hours'
    : 'after-hours';
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function inQuietHours(minute: number, quiet: { start: string; end: string }): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** What {@link channelDelayMs} reads of a channel's filter. */
export interface ChannelScheduleSettings {
  onDuty?: readonly OnDutyPeriod[];
  officeHours?: { start: string; end: string };
  quietHours?: { start: string; end: string } | undefined;
}

/** Furthest an alert is held for a channel's schedule: a channel never on duty in two weeks still gets it then. */
export const MAX_SCHEDULE_WAIT_MS = 14 * DAY_MS;

/**
 * How long an alert at `level` raised at `at` waits before a channel may be told, in milliseconds: until the
 * channel's next on-duty period and the end of its quiet hours (重大 ignores quiet hours, not the on-duty schedule —
 * an office-hours channel is nobody's phone at night). 0 when it may be told now. Read in `timeZone`; the zone's
 * offset is taken at `at` (China has no daylight saving time).
 */
export function channelDelayMs(
  settings: ChannelScheduleSettings,
  level: TriggerLevel,
  at: Date,
  timeZone: string,
): number {
  const onDuty = settings.onDuty ?? ON_DUTY_PERIODS;
  const office = settings.officeHours ?? DEFAULT_OFFICE_HOURS;
  const quiet = level === 'severe' ? undefined : settings.quietHours;
  const offset = zoneOffsetMinutes(at, timeZone);
  const allowed = (t: number) => {
    const local = localParts(new Date(t), offset);
    const working = isWorkingDay(local.date, local.weekday);
    const period: OnDutyPeriod = !working
      ? 'holidays'
      : local.minute >= minutesOf(office.start) && local.minute < minutesOf(office.end)
        ? 'workday-hours'
        : 'after-hours';
    return onDuty.includes(period) && !(quiet && inQuietHours(local.minute, quiet));
  };
  const start = at.getTime();
  if (allowed(start)) return 0;
  // Every boundary (office hours, quiet hours, midnight) is on a whole minute: step from the next minute.
  const firstMinute = Math.ceil(start / 60_000) * 60_000;
  for (let t = firstMinute; t - start <= MAX_SCHEDULE_WAIT_MS; t += 60_000) if (allowed(t)) return t - start;
  return MAX_SCHEDULE_WAIT_MS;
}

// ───────────────────────────── rate limit ─────────────────────────────

/** The minute an alert counts against a channel's rate limit in (whole minutes since the epoch). */
export function rateMinute(at: Date): number {
  return Math.floor(at.getTime() / 60_000);
}

/**
 * What to do with the `sentThisMinute + 1`-th alert of a minute on a channel allowing `perMinute`: send it, or hold
 * it for the one combined message sent at the start of the next minute (nothing is dropped).
 */
export function rateDecision(perMinute: number | undefined, sentThisMinute: number): 'send' | 'batch' {
  return perMinute === undefined || sentThisMinute < perMinute ? 'send' : 'batch';
}

/** Milliseconds from `at` to the start of the next minute (when a held batch goes out). */
export function msToNextMinute(at: Date): number {
  return (rateMinute(at) + 1) * 60_000 - at.getTime();
}

/** The highest level of a batch's alerts (its combined message carries it). */
export function batchLevel(levels: readonly TriggerLevel[]): TriggerLevel {
  return levels.reduce<TriggerLevel>((top, l) => (ISSUE_LEVEL_RANK[l] > ISSUE_LEVEL_RANK[top] ? l : top), 'general');
}

/** True when a channel's filter takes trigger `kind` (a filter stored before trigger kinds existed takes all). */
export function channelTakesTriggerKind(
  filter: { triggers?: readonly AlertTriggerKind[] },
  kind: AlertTriggerKind,
): boolean {
  return !filter.triggers || filter.triggers.includes(kind);
}
