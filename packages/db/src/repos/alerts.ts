// Alert channels (where hot-issue alerts are pushed) and the delivery log. Storage only: which alerts a channel
// takes is the domain's rule, building and sending the request is packages/alerts'.
import { NotFoundError } from '@yuqing/core';
import { prismaOf, type DbTx } from '../handle.ts';
import type { IssueLevel, Prisma } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import type { AuditActor } from './users.ts';

/** A channel as stored: the domain's validated definition. */
export interface AlertChannelInput {
  name: string;
  kind: string;
  enabled: boolean;
  config: Record<string, unknown>;
  filter: Record<string, unknown>;
}

/** Creates a channel (audited `alert-channel.create`, without its config: it holds secrets). */
export async function createAlertChannel(handle: DbTx, input: AlertChannelInput, actor: AuditActor) {
  const db = prismaOf(handle);
  const row = await db.alertChannel.create({
    data: { ...input, config: input.config as Prisma.InputJsonValue, filter: input.filter as Prisma.InputJsonValue },
  });
  await appendAudit(db, {
    ...actor,
    action: 'alert-channel.create',
    entityType: 'alert-channel',
    entityId: row.id,
    details: { name: row.name, kind: row.kind },
  });
  return row;
}

/** Every channel, oldest first (configs included: callers mask secrets before showing them). */
export async function listAlertChannels(handle: DbTx) {
  return prismaOf(handle).alertChannel.findMany({ orderBy: { id: 'asc' } });
}

/** One channel; throws NOT_FOUND. */
export async function getAlertChannel(handle: DbTx, id: number) {
  const row = await prismaOf(handle).alertChannel.findUnique({ where: { id } });
  if (!row) throw new NotFoundError(`告警渠道 ${id} 不存在 (alert channel not found)`);
  return row;
}

/** Removes a channel and its delivery log (audited `alert-channel.remove`). */
export async function removeAlertChannel(handle: DbTx, id: number, actor: AuditActor): Promise<void> {
  const db = prismaOf(handle);
  const row = await getAlertChannel(db, id);
  await db.alertChannel.delete({ where: { id } });
  await appendAudit(db, {
    ...actor,
    action: 'alert-channel.remove',
    entityType: 'alert-channel',
    entityId: id,
    details: { name: row.name, kind: row.kind },
  });
}

/** What an alert about an issue tells: its title, category, level and size now. */
export async function issueAlertFacts(handle: DbTx, issueId: number) {
  return prismaOf(handle).issue.findUnique({
    where: { id: issueId },
    select: { id: true, title: true, category: true, subcategory: true, level: true, mentionCount: true, status: true },
  });
}

/** Key of one delivery: an issue's level reaches a channel once per trigger. */
export interface AlertDeliveryKey {
  channelId: number;
  issueId: number | null;
  level: IssueLevel;
  trigger: string;
  /** The delivery this one escalates. */
  escalatedFromId?: number | null;
}

/**
 * The delivery row for `key`, created as pending when it does not exist. Returns it with whether it was already
 * sent, so a retried or duplicated job never sends twice.
 */
export async function openAlertDelivery(handle: DbTx, key: AlertDeliveryKey) {
  const db = prismaOf(handle);
  if (key.issueId === null) return db.alertDelivery.create({ data: key });
  const issueId = key.issueId;
  return db.alertDelivery.upsert({
    where: {
      channelId_issueId_level_trigger: { channelId: key.channelId, issueId, level: key.level, trigger: key.trigger },
    },
    create: { ...key, issueId },
    update: {},
  });
}

/** Outcome of one delivery attempt. */
export interface AlertAttempt {
  status: 'sent' | 'failed' | 'pending';
  httpStatus?: number | null;
  platformCode?: number | null;
  error?: string | null;
  at: Date;
}

/** Records one attempt on a delivery row (attempts + 1; `sentAt` when sent). */
export async function recordAlertAttempt(handle: DbTx, deliveryId: number, attempt: AlertAttempt) {
  return prismaOf(handle).alertDelivery.update({
    where: { id: deliveryId },
    data: {
      status: attempt.status,
      attempts: { increment: 1 },
      httpStatus: attempt.httpStatus ?? null,
      platformCode: attempt.platformCode ?? null,
      error: attempt.error ?? null,
      ...(attempt.status === 'sent' ? { sentAt: attempt.at } : {}),
    },
  });
}

/** Notes on a delivery why it waits without an attempt (its channel's circuit breaker is open): stays pending. */
export async function noteAlertWaiting(handle: DbTx, deliveryId: number, error: string) {
  return prismaOf(handle).alertDelivery.update({ where: { id: deliveryId }, data: { status: 'pending', error } });
}

/** The latest deliveries, newest first, with their channel's name and kind. */
export async function listAlertDeliveries(
  handle: DbTx,
  options: { limit?: number; channelId?: number; issueId?: number } = {},
) {
  return prismaOf(handle).alertDelivery.findMany({
    where: {
      ...(options.channelId ? { channelId: options.channelId } : {}),
      ...(options.issueId ? { issueId: options.issueId } : {}),
    },
    orderBy: { id: 'desc' },
    take: Math.min(options.limit ?? 50, 500),
    include: {
      channel: { select: { name: true, kind: true } },
      acknowledgedBy: { select: { displayName: true, username: true } },
    },
  });
}
