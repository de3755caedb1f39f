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
import {
  claimEscalation,
  escalationCandidates,
  listEscalationRules,
  settleEscalations,
  stalledEscalations,
  type Db,
} from '@yuqing/db';
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
  /** Steps claimed earlier but never sent (a worker died between claim and queue), queued again. */
  requeued: number;
}

/**
 * A claimed step whose delivery has had no attempt this long is taken as lost and queued again: far longer than a
 * claim takes to reach the queue, shorter than anyone would wait for an escalation.
 */
export const STALLED_ESCALATION_MS = 2 * 60_000;
/** Claimed steps older than this are not looked for any more (an alert a day old is no longer news). */
const STALLED_ESCALATION_HORIZON_MS = 24 * 3600_000;

/** One step's delivery job: its payload and options. The job id carries the step, so a step queued twice is one job. */
function escalationJob(step: {
  toChannelId: number;
  issueId: number;
  level: AlertLevelCode;
  fromDeliveryId: number;
  afterMinutes: number;
  fromChannelName: string;
  at: Date;
}) {
  const trigger = escalationTrigger(step.fromDeliveryId);
  return {
    payload: {
      channelId: step.toChannelId,
      issueId: step.issueId,
      level: step.level,
      reason: escalationReason(step.afterMinutes, `首发渠道：${step.fromChannelName}。`),
      at: step.at.toISOString(),
      trigger,
      escalatedFromId: step.fromDeliveryId,
    },
    options: {
      jobId: `alert:${step.toChannelId}:${step.issueId}:${step.level}:${trigger}`,
      attempts: ALERT_DELIVERY_ATTEMPTS,
      backoff: { type: 'exponential' as const, delay: 2000 },
    },
  };
}

/** Queues again the steps claimed at least {@link STALLED_ESCALATION_MS} ago that never reached their channel. */
async function requeueStalledEscalations(deps: EscalationDeps, now: Date): Promise<number> {
  const stalled = await stalledEscalations(deps.db, {
    createdBefore: new Date(now.getTime() - STALLED_ESCALATION_MS),
    createdAfter: new Date(now.getTime() - STALLED_ESCALATION_HORIZON_MS),
  });
  for (const s of stalled) {
    if (s.level === 'none') continue;
    const job = escalationJob({
      toChannelId: s.channelId,
      issueId: s.issueId,
      level: s.level as AlertLevelCode,
      fromDeliveryId: s.escalatedFromId,
      afterMinutes: s.afterMinutes,
      fromChannelName: s.fromChannelName,
      at: now,
    });
    await deps.queues.add('deliver-alert', job.payload, job.options);
  }
  if (stalled.length > 0) log.warn({ requeued: stalled.length }, 'escalations claimed but never sent queued again');
  return stalled.length;
}

/** Escalates every delivery due at the clock's time; see the file comment. */
export async function escalateAlerts(deps: EscalationDeps): Promise<EscalationTick> {
  const now = (deps.clock ?? systemClock).now();
  const requeued = await requeueStalledEscalations(deps, now);
  const rows = await listEscalationRules(deps.db);
  const rules: EscalationRule[] = rows.map((r) => ({
    id: r.id,
    channelId: r.channelId,
    level: r.level === null || r.level === 'none' ? null : r.level,
    afterMinutes: r.afterMinutes,
    toChannelId: r.toChannelId,
  }));
  const windows = escalationWindows(rules, deps.ackMinutes, now);
  if (windows.length === 0) return { candidates: 0, escalated: 0, requeued };
  const { candidates, reached } = await escalationCandidates(deps.db, { windows });
  if (candidates.length === 0) return { candidates: 0, escalated: 0, requeued };
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
    // Claimed with its pending delivery row: were this worker to die before the job is queued, a later tick's
    // requeueStalledEscalations sends it.
    if (!(await claimEscalation(deps.db, { ...step, trigger: escalationTrigger(step.fromDeliveryId) }, now))) continue;
    const job = escalationJob({
      ...step,
      fromChannelName: names.get(step.fromChannelId) ?? String(step.fromChannelId),
      at: now,
    });
    await deps.queues.add('deliver-alert', job.payload, job.options);
    escalated++;
  }
  if (escalated > 0) log.info({ escalated, candidates: candidates.length }, 'unacknowledged alerts escalated');
  return { candidates: candidates.length, escalated, requeued };
}
