// Alert delivery after the audit row (the pipeline wires it to the alert queue): a flag fans out to every channel that takes it (one `deliver-alert` job per
// channel, idempotent per channel, issue and level), and each job sends, records the attempt in the delivery log
// and lets the queue retry with backoff what a retry can fix.
import {
  createLogger,
  errorCode,
  errorMessage,
  isRetryable,
  NonRetryableError,
  systemClock,
  type AppConfig,
  type Clock,
} from '@yuqing/core';
import { UrlGuard } from '@yuqing/crawlers';
import {
  channelTakesAlert,
  alertChannelFromRow,
  channelDelayMs,
  channelTakesTriggerKind,
  flagTriggerKind,
  type AlertChannelConfig,
  type AlertChannelDefinition,
  type HttpAlertChannelKind,
  type StoredAlertChannel,
  type AlertLevelCode,
  type IssueAlert,
  type HotListAlertFacts,
} from '@yuqing/domain';
import {
  alertAcknowledged,
  getAlertChannel,
  issueAlertFacts,
  listAlertChannels,
  openAlertDelivery,
  noteAlertWaiting,
  previousFlagLevel,
  recordAlertAttempt,
  secretBoxOf,
  type Db,
} from '@yuqing/db';
import { delayJob, type JobQueues } from '@yuqing/queue';
import { AckLinks } from './ack-link.ts';
import { ChannelBreaker } from './channel-breaker.ts';
import { ChannelRateLimit, holdForBatch } from './channel-rate-limit.ts';
import { alertMail, type AlertMail } from './alert-message.ts';
import { buildAlertRequests } from './channel-requests.ts';
import { postAlert, type AlertPostResult } from './post-alert.ts';

const log = createLogger('alerts');

/** Attempts per delivery: exponential backoff from 2 s, so the last one comes about 8 minutes after the first. */
export const ALERT_DELIVERY_ATTEMPTS = 8;

/**
 * Sends alert mail: packages/digest's mailer (SMTP_URL, or `.eml` files in the outbox) fits, wired in by the
 * pipeline, the CLI and the dashboard (alerts sit below digest, so they get it injected rather than importing it).
 */
export interface AlertMailer {
  /** Sends `message`; `fileStem` names the `.eml` file in outbox mode. Throws a classified error. */
  send(message: AlertMail, fileStem: string): Promise<{ messageId: string | null }>;
}

/** What alert delivery runs on. */
export interface AlertDeliveryDeps {
  db: Db;
  queues: JobQueues;
  config: Pick<AppConfig, 'publicUrl' | 'timeZone' | 'allowedPrivateHosts' | 'mailFrom'>;
  clock?: Clock;
  /** The SSRF guard alerts go through (default: one allowing only `allowedPrivateHosts`). */
  guard?: UrlGuard;
  /** Sends `email` channels' alerts; without one, an e-mail delivery fails with `ALERT_MAILER_MISSING`. */
  mailer?: AlertMailer;
  /** Circuit breakers of the channels (default: in the queues' Redis with the default threshold and cool-down). */
  breaker?: ChannelBreaker;
  /** Signs the 已知悉 links (default: keyed from the database handle's secret key; none without one). */
  ackLinks?: AckLinks;
}

const linksByDb = new WeakMap<Db, AckLinks | null>();

/** The acknowledgement links of `deps`: given, or keyed from the installation's secret key the handle holds. */
export function ackLinksOf(deps: Pick<AlertDeliveryDeps, 'db' | 'ackLinks'>): AckLinks | undefined {
  if (deps.ackLinks) return deps.ackLinks;
  let links = linksByDb.get(deps.db);
  if (links === undefined) {
    const box = secretBoxOf(deps.db);
    links = box ? AckLinks.fromSecretBox(box) : null;
    linksByDb.set(deps.db, links);
  }
  return links ?? undefined;
}

/** The job a delivery runs as (the queue's own; a breaker that is open puts it back to wait). */
type DeliveryJob = Parameters<typeof delayJob>[0];

/**
 * Tells one channel about one alert: a mail through the mailer, or the channel's HTTP requests through the SSRF
 * guard (an SMS gateway gets one per part and mobile, in order; a failed part fails the delivery, and a retry sends
 * every part again: a duplicate text beats a missing one). Returns the last answer.
 */
export async function sendToChannel(
  deps: Omit<AlertDeliveryDeps, 'queues'>,
  channel: AlertChannelDefinition,
  alert: IssueAlert,
  fileStem: string,
): Promise<AlertPostResult> {
  const clock = deps.clock ?? systemClock;
  if (channel.kind === 'email') {
    if (!deps.mailer)
      throw new NonRetryableError('ALERT_MAILER_MISSING', 'no mailer is configured for e-mail alert channels');
    const config = channel.config as AlertChannelConfig['email'];
    const sent = await deps.mailer.send(
      alertMail(alert, {
        from: deps.config.mailFrom,
        to: config.to,
        subjectPrefix: config.subjectPrefix,
        timeZone: deps.config.timeZone,
      }),
      fileStem,
    );
    return { status: 250, platformCode: null, message: sent.messageId ?? 'queued' };
  }
  const guard = deps.guard ?? new UrlGuard({ allowedPrivateHosts: deps.config.allowedPrivateHosts });
  const requests = buildAlertRequests(channel as AlertChannelDefinition<HttpAlertChannelKind>, alert, {
    now: clock.now(),
    timeZone: deps.config.timeZone,
  });
  let answer: AlertPostResult | undefined;
  for (const request of requests) answer = await postAlert(channel.kind, request, guard);
  return answer!;
}

/** A flag as the alert queue carries it. */
export interface RaisedFlag {
  issueId: number;
  level: AlertLevelCode;
  reason: string;
  at: Date;
  /** A resolved issue reopened by a new burst: alerted again, once per reopening. */
  reopened?: boolean;
}

/** A stored channel row read back through the domain schema (a row edited by hand into nonsense is skipped). */
function channelDefinition(row: Omit<StoredAlertChannel, 'createdAt'>): AlertChannelDefinition | undefined {
  try {
    return alertChannelFromRow(row);
  } catch (error) {
    log.error({ channelId: row.id, err: errorMessage(error) }, 'alert channel config unreadable; skipped');
    return undefined;
  }
}

/** The alert for an issue's flag, from the issue as it is now; undefined when the issue is gone. */
async function issueAlert(
  db: Db,
  flag: Omit<RaisedFlag, 'reopened'> & { trigger?: string; hotList?: HotListAlertFacts | undefined },
  publicUrl: string,
): Promise<IssueAlert | undefined> {
  const issue = await issueAlertFacts(db, flag.issueId);
  if (!issue) return undefined;
  return {
    issueId: issue.id,
    title: issue.title,
    level: flag.level,
    category: issue.subcategory ?? issue.category ?? '',
    reason: flag.reason,
    mentionCount: issue.mentionCount,
    at: flag.at,
    url: `${publicUrl}/issues/${issue.id}`,
    reopened: flag.trigger?.startsWith('issue.reopened') ?? false,
    ...(flag.hotList ? { hotList: flag.hotList } : {}),
  };
}

/** The alert with the 已知悉 link of its delivery, when links can be signed. */
function withAckUrl(
  deps: Pick<AlertDeliveryDeps, 'db' | 'ackLinks' | 'config'>,
  alert: IssueAlert,
  deliveryId: number,
  now: Date,
): IssueAlert {
  const links = ackLinksOf(deps);
  return links ? { ...alert, ackUrl: links.url(deps.config.publicUrl, deliveryId, now) } : alert;
}

/**
 * Queues one delivery per channel that takes the flag and its kind (new or raised), delayed to the channel's next
 * on-duty time outside its quiet hours (重大 ignores quiet hours);
 * returns how many were queued.
 */
export async function enqueueAlertDeliveries(deps: AlertDeliveryDeps, flag: RaisedFlag): Promise<number> {
  const channels = await listAlertChannels(deps.db);
  if (channels.length === 0) return 0;
  const trigger = flag.reopened ? `issue.reopened:${flag.at.toISOString()}` : 'issue.flagged';
  const alert = await issueAlert(deps.db, { ...flag, trigger }, deps.config.publicUrl);
  if (!alert) return 0;
  // A reopening is a new flag; otherwise a flag above a level the issue had is a raise (channels choose kinds).
  const kind = flag.reopened
    ? 'new-flag'
    : flagTriggerKind(await previousFlagLevel(deps.db, flag.issueId, flag.level), flag.level);
  let queued = 0;
  for (const row of channels) {
    const channel = channelDefinition(row);
    if (!channel || !channelTakesAlert(channel, alert) || !channelTakesTriggerKind(channel.filter, kind)) continue;
    const delay = channelDelayMs(channel.filter, flag.level, flag.at, deps.config.timeZone);
    await deps.queues.add(
      'deliver-alert',
      {
        channelId: row.id,
        issueId: flag.issueId,
        level: flag.level,
        reason: flag.reason,
        at: flag.at.toISOString(),
        trigger,
      },
      {
        jobId: `alert:${row.id}:${flag.issueId}:${flag.level}${flag.reopened ? `:reopened:${flag.at.getTime()}` : ''}`,
        attempts: ALERT_DELIVERY_ATTEMPTS,
        backoff: { type: 'exponential', delay: 2000 },
        ...(delay > 0 ? { delay } : {}),
      },
    );
    queued++;
  }
  return queued;
}

/** The delivery log's note on a delivery held for a combined message. */
const BATCHED_NOTE = '[ALERT_BATCHED]';

/** Outcome of one `deliver-alert` job. */
export interface AlertDeliveryOutcome {
  /** `batched`: past the channel's per-minute limit, held for the combined message of the next minute. */
  status: 'sent' | 'already-sent' | 'skipped' | 'batched';
  deliveryId?: number;
}

/**
 * Sends one alert to one channel and logs the attempt. A delivery already sent is not sent again (a duplicated
 * or re-run job); a retryable failure is logged as pending and thrown for the queue to retry; the last attempt,
 * or a failure a retry cannot fix (bad signature, unknown robot, refused address), is logged as failed.
 */
export async function deliverAlert(
  deps: AlertDeliveryDeps,
  payload: {
    channelId: number;
    issueId: number;
    level: AlertLevelCode;
    reason: string;
    at: string;
    trigger?: string;
    hotList?: HotListAlertFacts | undefined;
    escalatedFromId?: number | undefined;
  },
  job?: DeliveryJob,
): Promise<AlertDeliveryOutcome> {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  // An escalation acknowledged before it went out (someone answered the first channel meanwhile): not sent.
  if (payload.escalatedFromId && (await alertAcknowledged(db, payload.issueId, payload.level)))
    return { status: 'skipped' };
  // A channel removed since the flag: nothing to send. Any other error (a lost database) is the queue's to retry.
  const row = await getAlertChannel(db, payload.channelId).catch((error: unknown) => {
    if (errorCode(error) === 'NOT_FOUND') return undefined;
    throw error;
  });
  const channel = row && channelDefinition(row);
  if (!row || !channel) return { status: 'skipped' };
  const delivery = await openAlertDelivery(db, {
    channelId: row.id,
    issueId: payload.issueId,
    level: payload.level,
    trigger: payload.trigger ?? 'issue.flagged',
    escalatedFromId: payload.escalatedFromId ?? null,
  });
  if (delivery.status === 'sent') return { status: 'already-sent', deliveryId: delivery.id };
  const found = await issueAlert(db, { ...payload, at: new Date(payload.at) }, deps.config.publicUrl);
  if (!found) return { status: 'skipped', deliveryId: delivery.id };
  const alert = withAckUrl(deps, found, delivery.id, clock.now());
  const breaker = deps.breaker ?? new ChannelBreaker(deps.queues.redis(), { prefix: deps.queues.prefix });
  const openMs = await breaker.openForMs(row.id);
  if (openMs > 0 && job) {
    // The channel failed too often in a row: the alert waits out the cool-down without spending an attempt.
    await noteAlertWaiting(
      db,
      delivery.id,
      `[ALERT_CIRCUIT_OPEN] 渠道连续发送失败，已暂停，约 ${Math.ceil(openMs / 60_000)} 分钟后重试`,
    );
    log.warn({ channelId: row.id, waitMs: openMs }, 'alert channel circuit open; delivery waits');
    await delayJob(job, Date.now() + openMs);
  }
  // Past the channel's per-minute limit: held for one combined message at the start of the next minute.
  if (delivery.error?.startsWith(BATCHED_NOTE)) return { status: 'batched', deliveryId: delivery.id };
  const limit = new ChannelRateLimit(deps.queues.redis(), deps.queues.prefix);
  if ((await limit.take(row.id, channel.filter.perMinute, clock.now())) === 'batch') {
    await noteAlertWaiting(
      db,
      delivery.id,
      `${BATCHED_NOTE} 超出渠道每分钟 ${channel.filter.perMinute} 条的上限，下一分钟合并为一条发送`,
    );
    await holdForBatch(deps, limit, row.id, delivery.id);
    return { status: 'batched', deliveryId: delivery.id };
  }
  try {
    const answer = await sendToChannel(deps, channel, alert, `alert-${delivery.id}`);
    await breaker.recordSuccess(row.id);
    await recordAlertAttempt(db, delivery.id, {
      status: 'sent',
      httpStatus: answer.status,
      platformCode: answer.platformCode,
      at: clock.now(),
    });
    log.info({ channelId: row.id, kind: channel.kind, issueId: payload.issueId, level: payload.level }, 'alert sent');
    return { status: 'sent', deliveryId: delivery.id };
  } catch (error) {
    const details = (error as { details?: { status?: number; platformCode?: number | null } }).details;
    if (await breaker.recordFailure(row.id))
      log.warn({ channelId: row.id, kind: channel.kind }, 'alert channel failed too often in a row; circuit opened');
    const last = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await recordAlertAttempt(db, delivery.id, {
      status: isRetryable(error) && !last ? 'pending' : 'failed',
      httpStatus: details?.status ?? null,
      platformCode: details?.platformCode ?? null,
      error: `[${errorCode(error)}] ${errorMessage(error)}`.slice(0, 1000),
      at: clock.now(),
    });
    log.warn({ channelId: row.id, kind: channel.kind, err: errorMessage(error) }, 'alert delivery failed');
    throw error;
  }
}

/**
 * Sends a test message to a channel now (`yq alert test`), logged as a delivery with trigger `test`. Throws the
 * delivery error (with the platform's code and message) when the channel refuses it.
 */
export async function sendTestAlert(
  deps: Omit<AlertDeliveryDeps, 'queues'>,
  channelId: number,
): Promise<{ deliveryId: number; status: number; platformCode: number | null }> {
  const clock = deps.clock ?? systemClock;
  const row = await getAlertChannel(deps.db, channelId);
  const channel = alertChannelFromRow(row);
  const alert: IssueAlert = {
    issueId: 0,
    title: '测试消息：舆情预警渠道连通性测试',
    level: channel.filter.minLevel,
    category: '测试',
    reason: `这是一条来自 Yuqing 的测试消息，用于确认渠道「${channel.name}」能收到预警。`,
    mentionCount: 0,
    at: clock.now(),
    url: `${deps.config.publicUrl}/alerts`,
  };
  const delivery = await openAlertDelivery(deps.db, { channelId, issueId: null, level: alert.level, trigger: 'test' });
  try {
    const answer = await sendToChannel(
      deps,
      channel,
      withAckUrl(deps, alert, delivery.id, clock.now()),
      `alert-test-${delivery.id}`,
    );
    await recordAlertAttempt(deps.db, delivery.id, {
      status: 'sent',
      httpStatus: answer.status,
      platformCode: answer.platformCode,
      at: clock.now(),
    });
    return { deliveryId: delivery.id, status: answer.status, platformCode: answer.platformCode };
  } catch (error) {
    const details = (error as { details?: { status?: number; platformCode?: number | null } }).details;
    await recordAlertAttempt(deps.db, delivery.id, {
      status: 'failed',
      httpStatus: details?.status ?? null,
      platformCode: details?.platformCode ?? null,
      error: `[${errorCode(error)}] ${errorMessage(error)}`.slice(0, 1000),
      at: clock.now(),
    });
    throw error;
  }
}
