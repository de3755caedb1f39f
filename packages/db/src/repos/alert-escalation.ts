// Acknowledgement (已知悉) of alert deliveries and the escalation rules and steps. Storage only: which delivery is
// due to escalate where is packages/domain's rule (`dueEscalations`); claiming a step is one conditional update,
// so two workers never pass the same delivery on twice.
import { NotFoundError } from '@yuqing/core';
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import type { IssueLevel } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import type { AuditActor } from './users.ts';

/** How an acknowledgement arrived. */
export type AckVia = 'link' | 'dashboard' | 'cli';

/** A delivery as the acknowledgement page and answers show it. */
export interface AckState {
  id: number;
  issueId: number | null;
  issueTitle: string | null;
  level: IssueLevel;
  channelName: string;
  sentAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedVia: string | null;
  /** Display name of the user who acknowledged; null through the link or when the user is gone. */
  acknowledgedBy: string | null;
}

async function ackState(handle: DbTx, id: number): Promise<AckState> {
  const row = await prismaOf(handle).alertDelivery.findUnique({
    where: { id },
    include: { channel: { select: { name: true } }, acknowledgedBy: { select: { displayName: true } } },
  });
  if (!row) throw new NotFoundError(`预警记录 ${id} 不存在 (alert delivery not found)`);
  const issue =
    row.issueId === null
      ? null
      : await prismaOf(handle).issue.findUnique({ where: { id: row.issueId }, select: { title: true } });
  return {
    id: row.id,
    issueId: row.issueId,
    issueTitle: issue?.title ?? null,
    level: row.level,
    channelName: row.channel.name,
    sentAt: row.sentAt,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedVia: row.acknowledgedVia,
    acknowledgedBy: row.acknowledgedBy?.displayName ?? null,
  };
}

/** One delivery's acknowledgement state; throws NOT_FOUND. */
export async function alertAckState(handle: DbTx, deliveryId: number): Promise<AckState> {
  return ackState(handle, deliveryId);
}

/**
 * Acknowledges a delivery once (audited `alert.acknowledged`, with how). The first acknowledgement stands: a
 * second one changes nothing and answers `already` with who and when. Throws NOT_FOUND.
 */
export async function acknowledgeAlertDelivery(
  handle: Db,
  deliveryId: number,
  ack: { via: AckVia; at: Date; actor: AuditActor },
): Promise<{ outcome: 'acknowledged' | 'already'; state: AckState }> {
  return transaction(handle, async (tx) => {
    const changed = await tx.alertDelivery.updateMany({
      where: { id: deliveryId, acknowledgedAt: null },
      data: { acknowledgedAt: ack.at, acknowledgedById: ack.actor.actorId ?? null, acknowledgedVia: ack.via },
    });
    const state = await ackState(tx, deliveryId);
    if (changed.count === 0) return { outcome: 'already' as const, state };
    await appendAudit(tx, {
      ...ack.actor,
      action: 'alert.acknowledged',
      entityType: 'alert-delivery',
      entityId: deliveryId,
      details: { via: ack.via, issueId: state.issueId, level: state.level, channel: state.channelName },
    });
    return { outcome: 'acknowledged' as const, state };
  });
}

/** True when some delivery of the alert (issue at level) was acknowledged. */
export async function alertAcknowledged(handle: DbTx, issueId: number, level: IssueLevel): Promise<boolean> {
  const row = await prismaOf(handle).alertDelivery.findFirst({
    where: { issueId, level, acknowledgedAt: { not: null } },
    select: { id: true },
  });
  return row !== null;
}

/** Creates or replaces a channel's escalation rule for a level (audited `alert-escalation.set`). */
export async function setEscalationRule(
  handle: Db,
  input: { channelId: number; toChannelId: number; level?: IssueLevel | undefined; afterMinutes?: number | undefined },
  actor: AuditActor,
) {
  return transaction(handle, async (tx) => {
    for (const id of [input.channelId, input.toChannelId]) {
      const exists = await tx.alertChannel.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new NotFoundError(`告警渠道 ${id} 不存在 (alert channel not found)`);
    }
    const level = input.level ?? null;
    // One rule per channel and level: setting it again replaces it.
    await tx.alertEscalationRule.deleteMany({ where: { channelId: input.channelId, level } });
    const row = await tx.alertEscalationRule.create({
      data: { channelId: input.channelId, toChannelId: input.toChannelId, level, afterMinutes: input.afterMinutes },
    });
    await appendAudit(tx, {
      ...actor,
      action: 'alert-escalation.set',
      entityType: 'alert-channel',
      entityId: input.channelId,
      details: { ruleId: row.id, toChannelId: row.toChannelId, level: row.level, afterMinutes: row.afterMinutes },
    });
    return row;
  });
}

/** Every escalation rule, oldest first, with both channels' names. */
export async function listEscalationRules(handle: DbTx) {
  return prismaOf(handle).alertEscalationRule.findMany({
    orderBy: { id: 'asc' },
    include: { channel: { select: { name: true } }, toChannel: { select: { name: true } } },
  });
}

/** Removes an escalation rule (audited `alert-escalation.remove`); throws NOT_FOUND. */
export async function removeEscalationRule(handle: Db, id: number, actor: AuditActor): Promise<void> {
  await transaction(handle, async (tx) => {
    const row = await tx.alertEscalationRule.findUnique({ where: { id } });
    if (!row) throw new NotFoundError(`升级规则 ${id} 不存在 (escalation rule not found)`);
    await tx.alertEscalationRule.delete({ where: { id } });
    await appendAudit(tx, {
      ...actor,
      action: 'alert-escalation.remove',
      entityType: 'alert-channel',
      entityId: row.channelId,
      details: { ruleId: id, toChannelId: row.toChannelId, level: row.level },
    });
  });
}

/** A sent, unacknowledged delivery no escalation has passed on, with what is known of its alert. */
export interface StoredEscalationCandidate {
  deliveryId: number;
  channelId: number;
  issueId: number;
  level: IssueLevel;
  sentAt: Date;
}

/**
 * Deliveries inside the escalation windows (a channel and level, sent at or before a time), sent, not acknowledged,
 * not escalated, of an alert (issue and level) nobody acknowledged on any channel; and for those alerts, the
 * channels they reached. Each window is a range of the `sentAt` index: with nothing due, no row is read.
 */
export async function escalationCandidates(
  handle: DbTx,
  options: { windows: readonly { channelId: number; level: IssueLevel; sentBefore: Date }[]; limit?: number },
): Promise<{
  candidates: StoredEscalationCandidate[];
  reached: { issueId: number; level: IssueLevel; channelId: number }[];
}> {
  const db = prismaOf(handle);
  if (options.windows.length === 0) return { candidates: [], reached: [] };
  const channels = options.windows.map((w) => w.channelId);
  const levels = options.windows.map((w) => w.level);
  const cutoffs = options.windows.map((w) => w.sentBefore);
  const candidates = await db.$queryRaw<StoredEscalationCandidate[]>`
    SELECT d.id AS "deliveryId", d."channelId", d."issueId", d.level, d."sentAt"
    FROM unnest(${channels}::int[], ${levels}::"IssueLevel"[], ${cutoffs}::timestamp[]) AS w(channel, level, cutoff)
    JOIN "AlertDelivery" d
      ON d."channelId" = w.channel AND d.level = w.level AND d."sentAt" <= w.cutoff
    WHERE d.status = 'sent' AND d."issueId" IS NOT NULL
      AND d."acknowledgedAt" IS NULL AND d."escalatedAt" IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM "AlertDelivery" a
        WHERE a."issueId" = d."issueId" AND a.level = d.level AND a."acknowledgedAt" IS NOT NULL)
    ORDER BY d."sentAt", d.id
    LIMIT ${options.limit ?? 500}`;
  if (candidates.length === 0) return { candidates, reached: [] };
  const issueIds = [...new Set(candidates.map((c) => c.issueId))];
  const reached = await db.alertDelivery.findMany({
    where: { issueId: { in: issueIds } },
    select: { issueId: true, level: true, channelId: true },
    distinct: ['issueId', 'level', 'channelId'],
  });
  return { candidates, reached: reached.flatMap((r) => (r.issueId === null ? [] : [{ ...r, issueId: r.issueId }])) };
}

/** One escalation step as the audit log records it. */
export interface EscalationClaim {
  fromDeliveryId: number;
  /** The delivery log's trigger of the step (`escalation:<fromDeliveryId>`), the key of its row. */
  trigger: string;
  fromChannelId: number;
  toChannelId: number;
  ruleId: number;
  issueId: number;
  level: IssueLevel;
  afterMinutes: number;
}

/**
 * Claims an escalation step: marks the delivery escalated only if it still is sent, unacknowledged and not escalated
 * and its alert was acknowledged nowhere (one conditional UPDATE: of two workers, one wins), and, in the same
 * transaction, stores the step's own delivery row (pending, on the next channel) and records the step in the audit
 * log (`alert.escalated`). The pending row is what lets a step survive a worker that dies before it queued the
 * delivery: {@link stalledEscalations} finds it again. False when another worker or an acknowledgement came first.
 */
export async function claimEscalation(handle: Db, step: EscalationClaim, at: Date): Promise<boolean> {
  return transaction(handle, async (tx) => {
    const claimed = await tx.$executeRaw`
      UPDATE "AlertDelivery" d SET "escalatedAt" = ${at}
      WHERE d.id = ${step.fromDeliveryId} AND d."escalatedAt" IS NULL AND d."acknowledgedAt" IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM "AlertDelivery" a
          WHERE a."issueId" = d."issueId" AND a.level = d.level AND a."acknowledgedAt" IS NOT NULL)`;
    if (claimed === 0) return false;
    await prismaOf(tx).alertDelivery.upsert({
      where: {
        channelId_issueId_level_trigger: {
          channelId: step.toChannelId,
          issueId: step.issueId,
          level: step.level,
          trigger: step.trigger,
        },
      },
      create: {
        channelId: step.toChannelId,
        issueId: step.issueId,
        level: step.level,
        trigger: step.trigger,
        escalatedFromId: step.fromDeliveryId,
        // The claim's time (the escalation clock), which stalledEscalations compares with.
        createdAt: at,
      },
      update: {},
    });
    await appendAudit(tx, {
      action: 'alert.escalated',
      entityType: 'alert-delivery',
      entityId: step.fromDeliveryId,
      details: {
        issueId: step.issueId,
        level: step.level,
        fromChannelId: step.fromChannelId,
        toChannelId: step.toChannelId,
        ruleId: step.ruleId,
        afterMinutes: step.afterMinutes,
      },
    });
    return true;
  });
}

/**
 * Marks deliveries whose escalation can never happen (the target already has the alert) as done, so the escalation
 * tick stops reading them; a delivery escalated or acknowledged meanwhile is left as it is.
 */
export async function settleEscalations(handle: DbTx, deliveryIds: readonly number[], at: Date): Promise<number> {
  if (deliveryIds.length === 0) return 0;
  const done = await prismaOf(handle).alertDelivery.updateMany({
    where: { id: { in: [...deliveryIds] }, escalatedAt: null, acknowledgedAt: null },
    data: { escalatedAt: at },
  });
  return done.count;
}

/** An escalation step claimed but never attempted: its delivery row waits with no attempt and no note. */
export interface StalledEscalation {
  deliveryId: number;
  channelId: number;
  issueId: number;
  level: IssueLevel;
  trigger: string;
  escalatedFromId: number;
  /** The first channel's name, for the message. */
  fromChannelName: string;
  /** Minutes between the first delivery and its escalation, for the message. */
  afterMinutes: number;
}

/**
 * Escalation steps claimed between `createdAfter` and `createdBefore` whose delivery was never attempted (pending, no
 * attempt, no waiting note) and whose alert nobody acknowledged: the worker that claimed them died before it queued
 * the delivery, or the queue lost the job. Queuing them again is safe: the delivery job's id and the row's key make a
 * step that is in fact queued, or already sent, go out once.
 */
export async function stalledEscalations(
  handle: DbTx,
  options: { createdBefore: Date; createdAfter: Date; limit?: number },
): Promise<StalledEscalation[]> {
  return prismaOf(handle).$queryRaw<StalledEscalation[]>`
    SELECT d.id AS "deliveryId", d."channelId", d."issueId", d.level, d.trigger, d."escalatedFromId",
      c.name AS "fromChannelName",
      GREATEST(0, ROUND(EXTRACT(EPOCH FROM (f."escalatedAt" - f."sentAt")) / 60))::int AS "afterMinutes"
    FROM "AlertDelivery" d
    JOIN "AlertDelivery" f ON f.id = d."escalatedFromId"
    JOIN "AlertChannel" c ON c.id = f."channelId"
    WHERE d."escalatedFromId" IS NOT NULL AND d.status = 'pending' AND d.attempts = 0 AND d.error IS NULL
      AND d."issueId" IS NOT NULL
      AND d."createdAt" <= ${options.createdBefore} AND d."createdAt" > ${options.createdAfter}
      AND NOT EXISTS (
        SELECT 1 FROM "AlertDelivery" a
        WHERE a."issueId" = d."issueId" AND a.level = d.level AND a."acknowledgedAt" IS NOT NULL)
    ORDER BY d.id
    LIMIT ${options.limit ?? 200}`;
}
