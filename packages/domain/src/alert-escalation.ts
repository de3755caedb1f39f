// Acknowledgement and escalation rules: an alert (one issue at one level) that nobody acknowledged within N minutes
// of reaching a channel goes on to the channel its escalation rule names (the leader's, say). Which deliveries are
// due and where each goes is decided here, on plain values; the database stores rules and deliveries, the alert
// worker claims and sends.
import { z } from 'zod';
import { ALERT_LEVELS, type AlertLevelCode } from './alert-channel.ts';
import { LEVEL_LABELS } from './labels.ts';

/** Minutes an alert of each level may stay unacknowledged before it escalates; null: that level never escalates. */
export type AckMinutes = Record<AlertLevelCode, number | null>;

/** Defaults of YQ_ALERT_ACK_MINUTES: 重大 after 10 minutes, 较大 after 30, 一般 not at all. */
export const DEFAULT_ACK_MINUTES: AckMinutes = { severe: 10, major: 30, general: null };

/** Longest wait a rule may name (a week): longer, nobody is waiting for the alert any more. */
export const MAX_ESCALATION_MINUTES = 7 * 24 * 60;

/** Trigger of a delivery that escalates another: `escalation:<fromDeliveryId>`. */
export const ESCALATION_TRIGGER_PREFIX = 'escalation:';

/** The trigger of the delivery escalating delivery `fromDeliveryId`. */
export function escalationTrigger(fromDeliveryId: number): string {
  return `${ESCALATION_TRIGGER_PREFIX}${fromDeliveryId}`;
}

const LEVEL_BY_NAME: Record<string, AlertLevelCode> = {
  ...Object.fromEntries(ALERT_LEVELS.map((l) => [l, l])),
  ...Object.fromEntries(ALERT_LEVELS.map((l) => [LEVEL_LABELS[l], l])),
};

/** A level given as its code (`severe`) or its Chinese name (`重大`); undefined when it is neither. */
export function alertLevelFromName(name: string): AlertLevelCode | undefined {
  return LEVEL_BY_NAME[name.trim()];
}

/**
 * Reads YQ_ALERT_ACK_MINUTES: `重大=10,较大=30` (codes work too; `一般=none` or `0` turns a level off). Levels not
 * named keep their default. Throws an error naming the part that is wrong.
 */
export function parseAckMinutes(text: string | undefined): AckMinutes {
  const out: AckMinutes = { ...DEFAULT_ACK_MINUTES };
  if (!text?.trim()) return out;
  for (const part of text.split(/[,，;；]/)) {
    if (!part.trim()) continue;
    const [name, value, extra] = part.split('=');
    const level = name === undefined ? undefined : alertLevelFromName(name);
    const v = value?.trim().toLowerCase();
    if (!level || v === undefined || extra !== undefined)
      throw new Error(`YQ_ALERT_ACK_MINUTES: "${part.trim()}" is not 级别=分钟 (e.g. 重大=10,较大=30,一般=none)`);
    if (v === 'none' || v === 'off' || v === '0') {
      out[level] = null;
      continue;
    }
    const minutes = Number(v);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_ESCALATION_MINUTES)
      throw new Error(`YQ_ALERT_ACK_MINUTES: "${part.trim()}" needs whole minutes from 1 to ${MAX_ESCALATION_MINUTES}`);
    out[level] = minutes;
  }
  return out;
}

/** An escalation rule as given (CLI, dashboard): from which channel, at which level, after how long, to where. */
export const escalationRuleInputSchema = z
  .object({
    channelId: z.number().int().positive(),
    toChannelId: z.number().int().positive(),
    /** Absent: every level (each after its default, unless `afterMinutes` is given). */
    level: z.enum(ALERT_LEVELS).optional(),
    /** Absent: the level's default from YQ_ALERT_ACK_MINUTES. */
    afterMinutes: z.number().int().min(1).max(MAX_ESCALATION_MINUTES).optional(),
  })
  .strict()
  .refine((r) => r.channelId !== r.toChannelId, {
    message: 'a channel cannot escalate to itself',
    path: ['toChannelId'],
  });

/** A validated escalation rule input. */
export type EscalationRuleInput = z.output<typeof escalationRuleInputSchema>;

/** A stored escalation rule. */
export interface EscalationRule {
  id: number;
  channelId: number;
  level: AlertLevelCode | null;
  afterMinutes: number | null;
  toChannelId: number;
}

/** The rule of `channelId` for `level`: one naming the level wins over one for every level. */
export function escalationRuleFor(
  rules: readonly EscalationRule[],
  channelId: number,
  level: AlertLevelCode,
): EscalationRule | undefined {
  const mine = rules.filter((r) => r.channelId === channelId);
  return mine.find((r) => r.level === level) ?? mine.find((r) => r.level === null);
}

/** Minutes until an alert at `level` escalates under `rule`; null when it never does (一般 without minutes). */
export function escalationMinutes(rule: EscalationRule, level: AlertLevelCode, defaults: AckMinutes): number | null {
  if (rule.level !== null && rule.level !== level) return null;
  return rule.afterMinutes ?? defaults[level];
}

/** Deliveries on a channel at a level sent at or before `sentBefore` are old enough to escalate. */
export interface EscalationWindow {
  channelId: number;
  level: AlertLevelCode;
  sentBefore: Date;
}

/**
 * For each channel and level some rule escalates, the latest sending time that is due at `now`: the database is
 * asked only for those deliveries, so a tick with nothing due reads no rows however many alerts wait.
 */
export function escalationWindows(
  rules: readonly EscalationRule[],
  defaults: AckMinutes,
  now: Date,
): EscalationWindow[] {
  const out: EscalationWindow[] = [];
  for (const channelId of [...new Set(rules.map((r) => r.channelId))])
    for (const level of ALERT_LEVELS) {
      const rule = escalationRuleFor(rules, channelId, level);
      const minutes = rule ? escalationMinutes(rule, level, defaults) : null;
      if (minutes !== null) out.push({ channelId, level, sentBefore: new Date(now.getTime() - minutes * 60_000) });
    }
  return out;
}

/** A delivery sent and not acknowledged, that no escalation has passed on yet. */
export interface EscalationCandidate {
  deliveryId: number;
  channelId: number;
  issueId: number;
  level: AlertLevelCode;
  sentAt: Date;
}

/** What is known of one alert (issue and level) across its deliveries. */
export interface AlertReach {
  /** Some delivery of the alert was acknowledged: escalation stops. */
  acknowledged: boolean;
  /** Channels the alert already reached or was queued to (an escalation never goes where the alert has been). */
  channelIds: readonly number[];
}

/** Key of an alert in {@link dueEscalations}' `reach`. */
export function alertKey(issueId: number, level: AlertLevelCode): string {
  return `${issueId}:${level}`;
}

/** One escalation step: pass delivery `fromDeliveryId`'s alert on to `toChannelId`. */
export interface EscalationStep {
  fromDeliveryId: number;
  fromChannelId: number;
  toChannelId: number;
  ruleId: number;
  issueId: number;
  level: AlertLevelCode;
  afterMinutes: number;
  dueAt: Date;
}

/**
 * The escalation steps due at `now`: for each candidate, its channel's rule for its level, due `afterMinutes` after
 * it was sent, unless the alert was acknowledged anywhere or the rule's target already has the alert (so rules
 * that point back at each other stop rather than circle). One step per alert and target, oldest delivery first.
 */
export function dueEscalations(
  candidates: readonly EscalationCandidate[],
  rules: readonly EscalationRule[],
  defaults: AckMinutes,
  reach: ReadonlyMap<string, AlertReach>,
  now: Date,
): EscalationStep[] {
  const steps: EscalationStep[] = [];
  const planned = new Set<string>();
  const ordered = [...candidates].sort(
    (a, b) => a.sentAt.getTime() - b.sentAt.getTime() || a.deliveryId - b.deliveryId,
  );
  for (const c of ordered) {
    const key = alertKey(c.issueId, c.level);
    const known = reach.get(key);
    if (known?.acknowledged) continue;
    const rule = escalationRuleFor(rules, c.channelId, c.level);
    if (!rule) continue;
    const minutes = escalationMinutes(rule, c.level, defaults);
    if (minutes === null) continue;
    const dueAt = new Date(c.sentAt.getTime() + minutes * 60_000);
    if (dueAt.getTime() > now.getTime()) continue;
    if (known?.channelIds.includes(rule.toChannelId)) continue;
    const target = `${key}:${rule.toChannelId}`;
    if (planned.has(target)) continue;
    planned.add(target);
    steps.push({
      fromDeliveryId: c.deliveryId,
      fromChannelId: c.channelId,
      toChannelId: rule.toChannelId,
      ruleId: rule.id,
      issueId: c.issueId,
      level: c.level,
      afterMinutes: minutes,
      dueAt,
    });
  }
  return steps;
}

/**
 * Deliveries due whose rule's target already has the alert (it reached that channel directly, or rules point at each
 * other): nothing will ever escalate them, so the tick marks them done rather than read them again every minute,
 * where they would crowd real steps out of the batch it reads.
 */
export function settledEscalations(
  candidates: readonly EscalationCandidate[],
  rules: readonly EscalationRule[],
  defaults: AckMinutes,
  reach: ReadonlyMap<string, AlertReach>,
  now: Date,
): number[] {
  return candidates.flatMap((c) => {
    const known = reach.get(alertKey(c.issueId, c.level));
    const rule = escalationRuleFor(rules, c.channelId, c.level);
    const minutes = rule ? escalationMinutes(rule, c.level, defaults) : null;
    if (!rule || minutes === null || known?.acknowledged || !known?.channelIds.includes(rule.toChannelId)) return [];
    return c.sentAt.getTime() + minutes * 60_000 <= now.getTime() ? [c.deliveryId] : [];
  });
}

/** The reason line of an escalated alert: how long it waited unacknowledged, then the original reason. */
export function escalationReason(afterMinutes: number, reason: string): string {
  return `【升级通知】已发送 ${afterMinutes} 分钟仍无人确认“已知悉”，升级至本渠道。${reason}`;
}
