import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACK_MINUTES,
  alertKey,
  dueEscalations,
  settledEscalations,
  escalationRuleInputSchema,
  parseAckMinutes,
  escalationWindows,
  type AlertReach,
  type EscalationCandidate,
  type EscalationRule,
} from './alert-escalation.ts';

const MIN = 60_000;
const t0 = new Date('2026-12-07T06:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);

const rules: EscalationRule[] = [
  { id: 1, channelId: 10, level: null, afterMinutes: null, toChannelId: 20 },
  { id: 2, channelId: 20, level: 'severe', afterMinutes: 5, toChannelId: 30 },
];

const candidate = (over: Partial<EscalationCandidate>): EscalationCandidate => ({
  deliveryId: 100,
  channelId: 10,
  issueId: 7,
  level: 'severe',
  sentAt: t0,
  ...over,
});

const reachOf = (entries: [string, AlertReach][]) => new Map(entries);

describe('parseAckMinutes', () => {
  it('reads Chinese level names and codes, keeps defaults for the rest, turns a level off with none', () => {
    expect(parseAckMinutes(undefined)).toEqual(DEFAULT_ACK_MINUTES);
    expect(parseAckMinutes('重大=5，一般=60')).toEqual({ severe: 5, major: 30, general: 60 });
    expect(parseAckMinutes('major=none')).toEqual({ severe: 10, major: null, general: null });
  });

  it('names the part that is wrong', () => {
    expect(() => parseAckMinutes('重大=ten')).toThrow(/"重大=ten" needs whole minutes/);
    expect(() => parseAckMinutes('紧急=5')).toThrow(/"紧急=5" is not 级别=分钟/);
  });
});

describe('escalation rule input', () => {
  it('refuses a channel escalating to itself, with the field named', () => {
    const parsed = escalationRuleInputSchema.safeParse({ channelId: 3, toChannelId: 3 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['toChannelId']);
  });
});

describe('dueEscalations', () => {
  it('escalates an unacknowledged 重大 alert after the default 10 minutes, not before', () => {
    const c = [candidate({})];
    expect(dueEscalations(c, rules, DEFAULT_ACK_MINUTES, new Map(), at(9.9))).toEqual([]);
    const steps = dueEscalations(c, rules, DEFAULT_ACK_MINUTES, new Map(), at(10));
    expect(steps).toEqual([
      {
        fromDeliveryId: 100,
        fromChannelId: 10,
        toChannelId: 20,
        ruleId: 1,
        issueId: 7,
        level: 'severe',
        afterMinutes: 10,
        dueAt: at(10),
      },
    ]);
  });

  it('waits 30 minutes for 较大 and never escalates 一般 by default', () => {
    const major = [candidate({ level: 'major' })];
    expect(dueEscalations(major, rules, DEFAULT_ACK_MINUTES, new Map(), at(29))).toEqual([]);
    expect(dueEscalations(major, rules, DEFAULT_ACK_MINUTES, new Map(), at(30))).toHaveLength(1);
    const general = [candidate({ level: 'general' })];
    expect(dueEscalations(general, rules, DEFAULT_ACK_MINUTES, new Map(), at(10_000))).toEqual([]);
  });

  it('stops when any delivery of the alert was acknowledged', () => {
    const reach = reachOf([[alertKey(7, 'severe'), { acknowledged: true, channelIds: [10] }]]);
    expect(dueEscalations([candidate({})], rules, DEFAULT_ACK_MINUTES, reach, at(60))).toEqual([]);
  });

  it('follows a level rule over an every-level rule, and does not go where the alert has been', () => {
    const back: EscalationRule[] = [...rules, { id: 3, channelId: 30, level: null, afterMinutes: 1, toChannelId: 10 }];
    const onLeader = [candidate({ deliveryId: 101, channelId: 20 })];
    expect(dueEscalations(onLeader, back, DEFAULT_ACK_MINUTES, new Map(), at(5))[0]?.toChannelId).toBe(30);
    const circled = reachOf([[alertKey(7, 'severe'), { acknowledged: false, channelIds: [10, 20, 30] }]]);
    const onTop = [candidate({ deliveryId: 102, channelId: 30 })];
    expect(dueEscalations(onTop, back, DEFAULT_ACK_MINUTES, circled, at(60))).toEqual([]);
    // Stuck for good: marked done so later ticks do not read it again.
    expect(settledEscalations(onTop, back, DEFAULT_ACK_MINUTES, circled, at(60))).toEqual([102]);
    expect(settledEscalations(onTop, back, DEFAULT_ACK_MINUTES, circled, at(0.5))).toEqual([]);
    expect(settledEscalations(onLeader, back, DEFAULT_ACK_MINUTES, new Map(), at(60))).toEqual([]);
  });

  it('plans one step per alert and target when two deliveries of one alert are due', () => {
    const two = [candidate({ deliveryId: 5, sentAt: at(1) }), candidate({ deliveryId: 4 })];
    const steps = dueEscalations(two, rules, DEFAULT_ACK_MINUTES, new Map(), at(30));
    expect(steps.map((s) => s.fromDeliveryId)).toEqual([4]);
  });

  it('asks the database only for deliveries old enough, per channel and level', () => {
    expect(escalationWindows(rules, DEFAULT_ACK_MINUTES, at(60))).toEqual([
      { channelId: 10, level: 'major', sentBefore: at(30) },
      { channelId: 10, level: 'severe', sentBefore: at(50) },
      { channelId: 20, level: 'severe', sentBefore: at(55) },
    ]);
    expect(escalationWindows([rules[0]!], { severe: null, major: null, general: null }, at(60))).toEqual([]);
  });
});
