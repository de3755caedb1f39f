import { describe, expect, it } from 'vitest';
import {
  ALERT_TRIGGER_KINDS,
  alertTriggerKey,
  batchLevel,
  channelDelayMs,
  channelTakesTriggerKind,
  deadlineNearMs,
  evaluateIssueTriggers,
  firedKey,
  flagTriggerKind,
  isWorkingDay,
  msToNextMinute,
  negativeShareJump,
  onDutyPeriodAt,
  parseOnDutyList,
  parseTriggerList,
  rateDecision,
  rateMinute,
  unfiredTriggers,
  type AlertTrigger,
  type IssueTriggerFacts,
} from './alert-triggers.ts';
import { parseAlertChannelDefinition } from './alert-channel.ts';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const MINUTE = 60_000;

describe('trigger lists', () => {
  it('expands shorthands and keeps the catalogue order', () => {
    expect(parseTriggerList('deadline,new-flag')).toEqual(['new-flag', 'deadline-near', 'deadline-passed']);
    expect(parseTriggerList('all')).toEqual([...ALERT_TRIGGER_KINDS]);
    expect(parseTriggerList('approval， negative-jump')).toEqual(['negative-jump', 'awaiting-approval']);
    expect(() => parseTriggerList('new-flag,hotlist')).toThrow(/unknown trigger kind "hotlist"/);
  });

  it('reads on-duty periods, always meaning all three', () => {
    expect(parseOnDutyList('holidays,workday-hours')).toEqual(['workday-hours', 'holidays']);
    expect(parseOnDutyList('always')).toEqual(['workday-hours', 'after-hours', 'holidays']);
    expect(() => parseOnDutyList('weekends')).toThrow(/unknown on-duty period "weekends"/);
  });
});

describe('channel settings in the channel definition', () => {
  const base = { name: '值班群', kind: 'webhook', config: { url: 'https://hooks.example.cn/a' } };

  it('defaults to every trigger, always on duty, office hours 08:30–17:30, no rate limit', () => {
    const channel = parseAlertChannelDefinition(base);
    expect(channel.filter.triggers).toEqual([...ALERT_TRIGGER_KINDS]);
    expect(channel.filter.onDuty).toEqual(['workday-hours', 'after-hours', 'holidays']);
    expect(channel.filter.officeHours).toEqual({ start: '08:30', end: '17:30' });
    expect(channel.filter.perMinute).toBeUndefined();
    const grouped = parseAlertChannelDefinition({ ...base, filter: { triggers: ['flag', 'deadline-passed'] } });
    expect(grouped.filter.triggers).toEqual(['new-flag', 'level-raised', 'deadline-passed']);
  });

  it('names the bad field', () => {
    const bad = (filter: Record<string, unknown>) => () => parseAlertChannelDefinition({ ...base, filter });
    expect(bad({ triggers: ['new-flag', 'hot-list'] })).toThrow(/channel\.filter\.triggers\[1\]: Invalid option/);
    expect(bad({ perMinute: 0 })).toThrow(/channel\.filter\.perMinute/);
    expect(bad({ onDuty: [] })).toThrow(/channel\.filter\.onDuty: expected at least one on-duty period/);
    expect(bad({ officeHours: { start: '18:00', end: '09:00' } })).toThrow(/channel\.filter\.officeHours/);
  });

  it('a filter stored before trigger kinds existed takes every kind', () => {
    expect(channelTakesTriggerKind({}, 'deadline-passed')).toBe(true);
    expect(channelTakesTriggerKind({ triggers: ['new-flag'] }, 'deadline-passed')).toBe(false);
  });
});

describe('de-duplication', () => {
  const trigger = (kind: AlertTrigger['kind'], level: AlertTrigger['level'], occurrence?: string): AlertTrigger => ({
    kind,
    issueId: 7,
    level,
    at: new Date(0),
    reason: '',
    ...(occurrence ? { occurrence } : {}),
  });

  it('keys on issue, kind and level (and the occurrence of repeatable kinds)', () => {
    expect(alertTriggerKey(trigger('negative-jump', 'major'))).toBe('negative-jump');
    expect(alertTriggerKey(trigger('awaiting-approval', 'major', '3:1000'))).toBe('awaiting-approval:3:1000');
    const fired = new Set([firedKey(7, 'major', 'negative-jump')]);
    const out = unfiredTriggers(
      [
        trigger('negative-jump', 'major'),
        trigger('negative-jump', 'severe'),
        trigger('negative-jump', 'severe'),
        trigger('deadline-passed', 'severe', '1'),
      ],
      fired,
    );
    expect(out.map((t) => `${t.kind}/${t.level}`)).toEqual(['negative-jump/severe', 'deadline-passed/severe']);
  });

  it('tells a raised level from a new flag', () => {
    expect(flagTriggerKind(null, 'general')).toBe('new-flag');
    expect(flagTriggerKind('none', 'major')).toBe('new-flag');
    expect(flagTriggerKind('general', 'major')).toBe('level-raised');
    // A reopened issue flagged again at a level it had is a new flag, not a raise.
    expect(flagTriggerKind('major', 'major')).toBe('new-flag');
  });
});

describe('negative share jump', () => {
  it('fires on a rise of at least the given points with enough mentions on both sides', () => {
    const counts = { beforeTotal: 20, beforeNegative: 4, recentTotal: 10, recentNegative: 6 };
    expect(negativeShareJump(counts)).toEqual({ before: 20, after: 60, points: 40 });
    expect(negativeShareJump(counts, { minPoints: 41 })).toBeUndefined();
    expect(negativeShareJump({ ...counts, recentTotal: 9, recentNegative: 6 })).toBeUndefined();
    expect(negativeShareJump({ ...counts, beforeTotal: 4, beforeNegative: 0 })).toBeUndefined();
    // A share that was already high is no jump.
    expect(negativeShareJump({ beforeTotal: 20, beforeNegative: 14, recentTotal: 10, recentNegative: 8 })).toBe(
      undefined,
    );
  });
});

describe('deadline and approval triggers', () => {
  const facts = (over: Partial<IssueTriggerFacts>): IssueTriggerFacts => ({
    issueId: 5,
    level: 'major',
    deadlineAt: at('2026-12-07T10:00:00'),
    responded: false,
    submitted: [],
    ...over,
  });

  it('near within a sixth of the response time, passed after it, nothing once a response is published', () => {
    expect(deadlineNearMs('severe')).toBe(4 * 3600_000);
    expect(evaluateIssueTriggers(facts({}), at('2026-12-06T20:00:00'))).toEqual([]);
    const near = evaluateIssueTriggers(facts({}), at('2026-12-07T03:00:00'));
    expect(near.map((t) => t.kind)).toEqual(['deadline-near']);
    expect(near[0]!.reason).toContain('420 分钟');
    const passed = evaluateIssueTriggers(facts({}), at('2026-12-07T10:00:00'));
    expect(passed.map((t) => t.kind)).toEqual(['deadline-passed']);
    expect(passed[0]!.at).toEqual(at('2026-12-07T10:00:00'));
    expect(passed[0]!.reason).toBe('回应已超时：时限 2026/12/07 10:00 已过，尚未发布回应');
    expect(evaluateIssueTriggers(facts({ responded: true }), at('2026-12-08T10:00:00'))).toEqual([]);
    expect(evaluateIssueTriggers(facts({ level: 'none' }), at('2026-12-08T10:00:00'))).toEqual([]);
  });

  it('one approval trigger per submission, and the jump when counts are given', () => {
    const out = evaluateIssueTriggers(
      facts({
        deadlineAt: null,
        submitted: [{ responseId: 9, submittedAt: at('2026-12-06T09:00:00') }],
        sentiment: { beforeTotal: 10, beforeNegative: 1, recentTotal: 12, recentNegative: 9 },
      }),
      at('2026-12-06T09:05:00'),
    );
    expect(out.map((t) => [t.kind, t.occurrence])).toEqual([
      ['negative-jump', undefined],
      ['awaiting-approval', `9:${at('2026-12-06T09:00:00').getTime()}`],
    ]);
  });
});

describe('on-duty schedule (2026 holidays and 调休)', () => {
  it('knows the 2026 holidays and working weekends', () => {
    expect(isWorkingDay('2026-10-01', 4)).toBe(false); // 国庆, a Thursday
    expect(isWorkingDay('2026-10-10', 6)).toBe(true); // 调休 Saturday
    expect(isWorkingDay('2026-02-14', 6)).toBe(true);
    expect(isWorkingDay('2026-02-23', 1)).toBe(false); // 春节 ends on a Monday
    expect(isWorkingDay('2026-12-05', 6)).toBe(false); // an ordinary Saturday
    expect(isWorkingDay('2027-03-01', 1)).toBe(true); // no table: Monday–Friday
  });

  it('puts a moment in its period', () => {
    expect(onDutyPeriodAt(at('2026-12-07T09:00:00'), TZ)).toBe('workday-hours');
    expect(onDutyPeriodAt(at('2026-12-07T08:29:00'), TZ)).toBe('after-hours');
    expect(onDutyPeriodAt(at('2026-12-07T17:30:00'), TZ)).toBe('after-hours');
    expect(onDutyPeriodAt(at('2026-10-10T10:00:00'), TZ)).toBe('workday-hours');
    expect(onDutyPeriodAt(at('2026-10-02T10:00:00'), TZ)).toBe('holidays');
  });

  it('holds an alert until the channel is on duty and out of quiet hours; 重大 skips quiet hours only', () => {
    const office = { onDuty: ['workday-hours'] as const };
    // Friday 18:00 → Monday 08:30.
    expect(channelDelayMs({ onDuty: [...office.onDuty] }, 'severe', at('2026-12-04T18:00:00'), TZ)).toBe(
      (2 * 24 * 60 + 14 * 60 + 30) * MINUTE,
    );
    // Before 国庆: Wednesday 30 September evening → Thursday 8 October 08:30 (1–7 October are holidays).
    expect(channelDelayMs({ onDuty: ['workday-hours'] }, 'general', at('2026-09-30T20:00:00'), TZ)).toBe(
      at('2026-10-08T08:30:00').getTime() - at('2026-09-30T20:00:00').getTime(),
    );
    // Friday 9 October evening → Saturday 10 October 08:30 (a 调休 working day), not Monday.
    expect(channelDelayMs({ onDuty: ['workday-hours'] }, 'general', at('2026-10-09T18:00:00'), TZ)).toBe(
      at('2026-10-10T08:30:00').getTime() - at('2026-10-09T18:00:00').getTime(),
    );
    const night = { onDuty: ['after-hours', 'holidays'] as ('after-hours' | 'holidays')[] };
    expect(channelDelayMs(night, 'general', at('2026-12-05T03:00:00'), TZ)).toBe(0);
    const quiet = { quietHours: { start: '22:00', end: '07:00' } };
    expect(channelDelayMs(quiet, 'major', at('2026-12-07T23:30:00'), TZ)).toBe(7.5 * 60 * MINUTE);
    expect(channelDelayMs(quiet, 'severe', at('2026-12-07T23:30:00'), TZ)).toBe(0);
    // Both: on duty after hours only, quiet 22:00–07:00 → a 16:00 alert waits to 17:30.
    expect(channelDelayMs({ onDuty: ['after-hours'], ...quiet }, 'general', at('2026-12-07T16:00:00'), TZ)).toBe(
      90 * MINUTE,
    );
    expect(channelDelayMs({}, 'general', at('2026-12-07T16:00:00'), TZ)).toBe(0);
  });
});

describe('rate limit', () => {
  it('sends up to the limit per minute and batches the rest until the next minute', () => {
    expect([0, 1, 2, 3, 9].map((n) => rateDecision(3, n))).toEqual(['send', 'send', 'send', 'batch', 'batch']);
    expect(rateDecision(undefined, 100)).toBe('send');
    const t = new Date('2026-12-07T01:02:45.500Z');
    expect(rateMinute(t)).toBe(Math.floor(t.getTime() / MINUTE));
    expect(msToNextMinute(t)).toBe(14_500);
    expect(batchLevel(['general', 'severe', 'major'])).toBe('severe');
  });
});
