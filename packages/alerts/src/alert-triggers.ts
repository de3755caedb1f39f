// The alert triggers beyond a hot-issue flag (a relevant hot-list entry, negative-share jump, response deadline near
// or passed, response waiting for approval) queued to the channels that take them, and the combined message a
// channel's rate-limit surplus is sent as. The rules (which trigger holds, its de-duplication key, the channel's schedule) are the domain's.
import { createLogger, errorCode, errorMessage, isRetryable, systemClock } from '@yuqing/core';
import {
  alertChannelFromRow,
  alertTriggerKey,
  batchLevel,
  channelDelayMs,
  channelTakesAlert,
  channelTakesTriggerKind,
  msToNextMinute,
  rateMinute,
  LEVEL_LABELS,
  ALERT_TRIGGER_LABELS,
  type AlertChannelDefinition,
  type AlertLevelCode,
  type AlertTrigger,
  type IssueAlert,
} from '@yuqing/domain';
import {
  alertDeliveriesById,
  getAlertChannel,
  issueAlertFacts,
  listAlertChannels,
  recordAlertAttempt,
  type Db,
} from '@yuqing/db';
import { delayJob } from '@yuqing/queue';
import { ackLinksOf, ALERT_DELIVERY_ATTEMPTS, sendToChannel, type AlertDeliveryDeps } from './alert-delivery.ts';
import { ChannelRateLimit } from './channel-rate-limit.ts';

const log = createLogger('alerts');

/** The job a batch runs as. */
type BatchJob = Parameters<typeof delayJob>[0];

/** Most alerts listed in one combined message (the rest are counted: a robot message has a size limit). */
const MAX_BATCH_LINES = 20;

/**
 * Queues one `deliver-alert` per trigger and channel that takes it (its level, category, keywords and trigger kinds),
 * delayed to the channel's next on-duty time outside its quiet hours (重大 ignores quiet hours). The job id carries
 * the de-duplication key (issue, level, kind and occurrence), and the delivery row is unique on it, so a trigger
 * evaluated again on every tick is sent once. Returns how many deliveries were queued.
 */
export async function enqueueTriggerDeliveries(
  deps: Pick<AlertDeliveryDeps, 'db' | 'queues'> & { config: { timeZone: string } },
  triggers: readonly AlertTrigger[],
): Promise<number> {
  if (triggers.length === 0) return 0;
  const channels = (await listAlertChannels(deps.db)).flatMap((row) => {
    try {
      return [{ id: row.id, channel: alertChannelFromRow(row) }];
    } catch {
      return [];
    }
  });
  if (channels.length === 0) return 0;
  let queued = 0;
  for (const trigger of triggers) {
    const facts = await issueAlertFacts(deps.db, trigger.issueId);
    if (!facts) continue;
    const alert = { level: trigger.level, category: facts.subcategory ?? facts.category ?? '', title: facts.title };
    const key = alertTriggerKey(trigger);
    for (const { id, channel } of channels) {
      if (!channelTakesAlert(channel, alert) || !channelTakesTriggerKind(channel.filter, trigger.kind)) continue;
      const delay = channelDelayMs(channel.filter, trigger.level, trigger.at, deps.config.timeZone);
      await deps.queues.add(
        'deliver-alert',
        {
          channelId: id,
          issueId: trigger.issueId,
          level: trigger.level,
          reason: trigger.reason,
          at: trigger.at.toISOString(),
          trigger: key,
          ...(trigger.hotList ? { hotList: trigger.hotList } : {}),
        },
        {
          jobId: `alert:${id}:${trigger.issueId}:${trigger.level}:${key}`,
          attempts: ALERT_DELIVERY_ATTEMPTS,
          backoff: { type: 'exponential', delay: 2000 },
          ...(delay > 0 ? { delay } : {}),
        },
      );
      queued++;
    }
  }
  return queued;
}

/** One delivery of a batch, as the combined message lists it. */
interface BatchMember {
  deliveryId: number;
  issueId: number | null;
  level: AlertLevelCode;
  trigger: string;
  title: string;
  mentionCount: number;
}

/** The trigger's Chinese name from a delivery's trigger key (`deadline-passed:…`, `issue.flagged` …). */
function triggerLabel(trigger: string): string {
  const kind = trigger.split(':')[0] as keyof typeof ALERT_TRIGGER_LABELS;
  if (kind in ALERT_TRIGGER_LABELS) return ALERT_TRIGGER_LABELS[kind];
  return trigger.startsWith('issue.reopened') ? '重新打开' : '热点预警';
}

/**
 * The combined message of a batch, as one alert every channel kind can render: titled with the count, at the
 * highest level of its members, one line per member in the reason (with its own 已知悉 link when `ackUrl` signs
 * them), linked to the alert log.
 */
export function batchAlert(
  members: readonly BatchMember[],
  at: Date,
  publicUrl: string,
  ackUrl?: (deliveryId: number) => string,
): IssueAlert {
  const shown = members.slice(0, MAX_BATCH_LINES);
  // Each held alert keeps its own 已知悉 link: acknowledging one of them stops that alert's escalation only.
  const lines = shown.map(
    (m, k) =>
      `${k + 1}. 【${LEVEL_LABELS[m.level]}·${triggerLabel(m.trigger)}】${m.title} ${publicUrl}/issues/${m.issueId}` +
      (ackUrl ? ` 已知悉：${ackUrl(m.deliveryId)}` : ''),
  );
  if (members.length > shown.length) lines.push(`……另有 ${members.length - shown.length} 条，见预警记录`);
  return {
    issueId: 0,
    title: `${members.length} 条预警合并发送（超出渠道每分钟上限）`,
    level: batchLevel(members.map((m) => m.level)),
    category: '合并消息',
    reason: `\n${lines.join('\n')}`,
    mentionCount: members.reduce((n, m) => n + m.mentionCount, 0),
    at,
    url: `${publicUrl}/alerts`,
  };
}

/** Outcome of one `deliver-alert-batch` job. */
export interface AlertBatchOutcome {
  status: 'sent' | 'empty' | 'skipped';
  deliveries: number;
}

/**
 * Sends a channel's held alerts as one combined message (the `deliver-alert-batch` job) once the minute they were
 * held in is over, and records each held delivery as sent. A failure is recorded on each and thrown for the queue
 * to retry; the held set is kept until the message went out.
 */
export async function deliverAlertBatch(
  deps: AlertDeliveryDeps,
  payload: { channelId: number; minute: number },
  job?: BatchJob,
): Promise<AlertBatchOutcome> {
  const clock = deps.clock ?? systemClock;
  const now = clock.now();
  // The batch goes out in the minute after the one it was held in (the clock can be behind the queue's timer).
  if (job && rateMinute(now) <= payload.minute) await delayJob(job, Date.now() + Math.max(1000, msToNextMinute(now)));
  const limit = new ChannelRateLimit(deps.queues.redis(), deps.queues.prefix);
  const row = await getAlertChannel(deps.db, payload.channelId).catch((error: unknown) => {
    if (errorCode(error) === 'NOT_FOUND') return undefined;
    throw error;
  });
  if (!row) return { status: 'skipped', deliveries: 0 };
  let channel: AlertChannelDefinition;
  try {
    channel = alertChannelFromRow(row);
  } catch {
    return { status: 'skipped', deliveries: 0 };
  }
  const heldIds = await limit.held(row.id);
  const rows = (await alertDeliveriesById(deps.db, heldIds)).filter((d) => d.status !== 'sent');
  if (rows.length === 0) {
    await limit.release(row.id, heldIds);
    return { status: 'empty', deliveries: 0 };
  }
  const members = await membersOf(deps.db, rows);
  const links = ackLinksOf(deps);
  const alert = batchAlert(
    members,
    now,
    deps.config.publicUrl,
    links && ((deliveryId) => links.url(deps.config.publicUrl, deliveryId, now)),
  );
  try {
    const answer = await sendToChannel(deps, channel, alert, `alert-batch-${rows[0]!.id}`);
    for (const d of rows)
      await recordAlertAttempt(deps.db, d.id, {
        status: 'sent',
        httpStatus: answer.status,
        platformCode: answer.platformCode,
        at: clock.now(),
      });
    await limit.countSent(row.id, now);
    await limit.release(row.id, heldIds);
    log.info({ channelId: row.id, deliveries: rows.length }, 'alert batch sent');
    return { status: 'sent', deliveries: rows.length };
  } catch (error) {
    const details = (error as { details?: { status?: number; platformCode?: number | null } }).details;
    const last = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    for (const d of rows)
      await recordAlertAttempt(deps.db, d.id, {
        status: isRetryable(error) && !last ? 'pending' : 'failed',
        httpStatus: details?.status ?? null,
        platformCode: details?.platformCode ?? null,
        error: `[${errorCode(error)}] 合并消息发送失败：${errorMessage(error)}`.slice(0, 1000),
        at: clock.now(),
      });
    if (last) await limit.release(row.id, heldIds);
    log.warn({ channelId: row.id, err: errorMessage(error) }, 'alert batch failed');
    throw error;
  }
}

async function membersOf(db: Db, rows: Awaited<ReturnType<typeof alertDeliveriesById>>): Promise<BatchMember[]> {
  const out: BatchMember[] = [];
  for (const d of rows) {
    const issue = d.issueId === null ? null : await issueAlertFacts(db, d.issueId);
    out.push({
      deliveryId: d.id,
      issueId: d.issueId,
      level: d.level === 'none' ? 'general' : d.level,
      trigger: d.trigger,
      title: issue?.title ?? '（议题已删除）',
      mentionCount: issue?.mentionCount ?? 0,
    });
  }
  return out;
}
