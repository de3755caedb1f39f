// The `escalate-alerts` job (every minute on the alert queue): alerts nobody acknowledged in time go on to the next
// channel of their escalation rule. Who is due and where they go is the domain's `dueEscalations`; each step is
// claimed with one conditional update (two workers never escalate a delivery twice), audited, and sent as a
// `deliver-alert` job whose id carries the step, so a step queued twice is sent once.
import { createLogger, systemClock, type Clock } from '@yuqing/core';
import {
  alertKey,
  dueEscalations,
  settledEscalations,
  escalationReason,
  escalationTrigger,
  escalationWindows,
  type AckMinutes,
  type AlertLevelCode,
  type AlertReach,
  type EscalationRule,
} from '@yuqing/domain';
import { claimEscalation, escalationCandidates, listEscalationRules, settleEscalations, type Db } from '@yuqing/db';
import type { JobQueues } from '@yuqing/queue';
import { ALERT_DELIVERY_ATTEMPTS } from './alert-delivery.ts';

const log = createLogger('alert-escalation');

/** What an escalation tick runs on. */
export interface EscalationDeps {
  db: Db;
  queues: JobQueues;
  /** Minutes per level before an unacknowledged alert escalates (YQ_ALERT_ACK_MINUTES). */
  ackMinutes: AckMinutes;
  clock?: Clock;
}

/** Outcome of one tick. */
export interface EscalationTick {
  /** Unacknowledged deliveries old enough to be looked at. */
  candidates: number;
  /** Steps this worker claimed and queued. */
  escalated: number;
}

/** Escalates every delivery due at the clock's time; see the file comment. */
export async function escalateAlerts(deps: EscalationDeps): Promise<EscalationTick> {
  const now = (deps.clock ?? systemClock).now();
  const rows = await listEscalationRules(deps.db);
  const rules: EscalationRule[] = rows.map((r) => ({
    id: r.id,
    channelId: r.channelId,
    level: r.level === null || r.level === 'none' ? null : r.level,
    afterMinutes: r.afterMinutes,
    toChannelId: r.toChannelId,
  }));
  const windows = escalationWindows(rules, deps.ackMinutes, now);
  if (windows.length === 0) return { candidates: 0, escalated: 0 };
  const { candidates, reached } = await escalationCandidates(deps.db, { windows });
  if (candidates.length === 0) return { candidates: 0, escalated: 0 };
  // Alerts acknowledged anywhere are not candidates at all (the query leaves them out).
  const reach = new Map<string, AlertReach & { channelIds: number[] }>();
  for (const r of reached) {
    if (r.level === 'none') continue;
    const key = alertKey(r.issueId, r.level);
    const entry = reach.get(key) ?? { acknowledged: false, channelIds: [] };
    entry.channelIds.push(r.channelId);
    reach.set(key, entry);
  }
  const levelled = candidates.flatMap((c) => (c.level === 'none' ? [] : [{ ...c, level: c.level as AlertLevelCode }]));
  const steps = dueEscalations(levelled, rules, deps.ackMinutes, reach, now);
  await settleEscalations(deps.db, settledEscalations(levelled, rules, deps.ackMinutes, reach, now), now);
  const names = new Map(rows.flatMap((r) => [[r.channelId, r.channel.name] as const]));
  let escalated = 0;
  for (const step of steps) {
    if (!(await claimEscalation(deps.db, step, now))) continue;
    await deps.queues.add(
      'deliver-alert',
      {
        channelId: step.toChannelId,
        issueId: step.issueId,
        level: step.level,
        reason: escalationReason(
          step.afterMinutes,
          `首发渠道：${names.get(step.fromChannelId) ?? step.fromChannelId}。`,
        ),
        at: now.toISOString(),
        trigger: escalationTrigger(step.fromDeliveryId),
        escalatedFromId: step.fromDeliveryId,
      },
      {
        jobId: `alert:${step.toChannelId}:${step.issueId}:${step.level}:${escalationTrigger(step.fromDeliveryId)}`,
        attempts: ALERT_DELIVERY_ATTEMPTS,
        backoff: { type: 'exponential', delay: 2000 },
      },
    );
    escalated++;
  }
  if (escalated > 0) log.info({ escalated, candidates: candidates.length }, 'unacknowledged alerts escalated');
  return { candidates: candidates.length, escalated };
}
