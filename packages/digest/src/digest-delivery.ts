// Scheduling and sending: which recipients are due, and the claim → send → record protocol that delivers
// each recipient's digest exactly once per day however often the job runs.
import { sendableRecipient, sendThroughLedger } from './ledger-send.ts';
import { createLogger, NonRetryableError, systemClock, type AppConfig, type Clock } from '@yuqing/core';
import { findSentDigestsForDate, listDigestRecipients, type Db, type DbTx } from '@yuqing/db';
import type { JobQueues } from '@yuqing/queue';
import { renderBriefingDocx } from './briefing-docx.ts';
import { buildDigestContent, type DigestContent, type DigestFilter } from './digest-content.ts';
import { reportDateAt, sendTimeReached } from './digest-date.ts';
import { renderDigestEmail, type RenderedDigestEmail } from './digest-email.ts';
import { composeDigestMessage, createDigestMailer, digestMessageId, type DigestMailer } from './mailer.ts';
import { effectiveSubscription } from './subscription.ts';
import { renderTrendChart } from './trend-chart.ts';

const log = createLogger('digest');

/** Attempts of one send-digest job (the first plus retries). */
export const SEND_DIGEST_ATTEMPTS = 8;
/** First retry delay; BullMQ doubles it each time (1, 2, 4 … 64 min: about two hours of retries in all). */
export const SEND_DIGEST_RETRY_DELAY_MS = 60_000;
/**
 * A `sending` claim older than this belongs to a worker that died mid-send and may be taken over.
 * Far longer than one send with the SMTP timeouts.
 */
export const SEND_CLAIM_STALE_MS = 10 * 60_000;

/** A digest ready to send or save. */
export interface PreparedDigest {
  content: DigestContent;
  rendered: RenderedDigestEmail;
  chartPng: Buffer;
  docx?: Buffer;
}

/** Options for {@link prepareDigest}. */
export interface PrepareDigestOptions {
  date: string;
  filter?: DigestFilter;
  asOf?: Date;
  recipientName?: string;
  withDocx?: boolean;
}

/** Builds the content of a day and renders the e-mail, chart and (optionally) the .docx. */
export async function prepareDigest(
  db: DbTx,
  config: Pick<AppConfig, 'timeZone' | 'publicUrl' | 'cjkFont'>,
  options: PrepareDigestOptions,
): Promise<PreparedDigest> {
  const content = await buildDigestContent(db, {
    date: options.date,
    timeZone: config.timeZone,
    publicUrl: config.publicUrl,
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.asOf ? { asOf: options.asOf } : {}),
  });
  const chartPng = renderTrendChart(content.trend, { fontFile: config.cjkFont });
  const rendered = renderDigestEmail(content, {
    ...(options.recipientName ? { recipientName: options.recipientName } : {}),
    docxAttached: options.withDocx ?? false,
  });
  const docx = options.withDocx ? await renderBriefingDocx(content, { chartPng }) : undefined;
  return { content, rendered, chartPng, ...(docx ? { docx } : {}) };
}

/** Dependencies of scheduling and sending. */
export interface DigestDeliveryDeps {
  db: Db;
  config: AppConfig;
  /** @defaultValue the wall clock */
  clock?: Clock;
  /** @defaultValue SMTP or outbox per config */
  mailer?: DigestMailer;
  /** @defaultValue {@link SEND_CLAIM_STALE_MS} */
  claimStaleAfterMs?: number;
}

/** What one send-digest run did. */
export type SendDigestOutcome =
  | { status: 'sent'; userId: number; date: string; attempt: number; messageId: string | null; outboxPath?: string }
  | { status: 'already-sent'; userId: number; date: string }
  | { status: 'skipped'; userId: number; date: string; reason: 'no-user' | 'inactive' | 'no-email' | 'unsubscribed' };

/**
 * Sends `userId`'s digest of `date` unless it was already sent. Claims the (userId, date) ledger row first;
 * a claim held by another live sender throws a retryable DIGEST_IN_PROGRESS so the job looks again later.
 * A failed delivery is recorded on the row (status, attempts, lastError) and rethrown for the queue's backoff.
 */
export async function sendDigest(
  deps: DigestDeliveryDeps & { mailer: DigestMailer },
  input: { userId: number; date: string },
): Promise<SendDigestOutcome> {
  const { db, config } = deps;
  const { userId, date } = input;
  const recipient = await sendableRecipient(db, userId, () => true);
  if (typeof recipient === 'string') return { status: 'skipped', userId, date, reason: recipient };
  const { user, subscription } = recipient;
  const result = await sendThroughLedger(
    { db, mailer: deps.mailer, claimStaleAfterMs: deps.claimStaleAfterMs ?? SEND_CLAIM_STALE_MS },
    {
      userId,
      key: date,
      what: 'digest',
      compose: async () => {
        const prepared = await prepareDigest(db, config, {
          date,
          filter: { categories: subscription.categories, minLevel: subscription.minLevel },
          asOf: (deps.clock ?? systemClock).now(),
          recipientName: user.displayName,
          withDocx: subscription.attachDocx,
        });
        const message = composeDigestMessage({
          content: prepared.content,
          rendered: prepared.rendered,
          chartPng: prepared.chartPng,
          docx: prepared.docx,
          from: config.mailFrom,
          to: { name: user.displayName, address: user.email },
          messageId: digestMessageId(config.publicUrl, date, `u${userId}`),
        });
        return {
          message,
          fileStem: `digest-${date}-u${userId}`,
          logFields: { empty: prepared.content.isEmpty, issues: prepared.content.issues.length },
        };
      },
    },
  );
  return result.status === 'already-sent' ? { status: 'already-sent', userId, date } : { ...result, userId, date };
}

/** Job options for a send-digest job (overridable for tests). */
export interface SendJobOptions {
  /** @defaultValue {@link SEND_DIGEST_ATTEMPTS} */
  attempts?: number;
  /** @defaultValue {@link SEND_DIGEST_RETRY_DELAY_MS} */
  retryDelayMs?: number;
}

/** What one schedule-digests run did. */
export interface ScheduleDigestsOutcome {
  /** Day the digests report on (yesterday in the configured zone). */
  date: string;
  recipients: number;
  /** Users whose send-digest job was enqueued (or already queued under the same id). */
  enqueued: number[];
}

/** The BullMQ job id of a recipient's digest of one day; the same id from two schedulers is one job. */
export function sendDigestJobId(userId: number, date: string): string {
  return `digest:${userId}:${date}`;
}

/**
 * Enqueues a send-digest job for every recipient whose send time has passed today and whose digest of
 * yesterday is not yet sent. Safe to run often and from several schedulers: the job id deduplicates in
 * Redis, the ledger row in the database.
 */
export async function scheduleDigests(deps: {
  db: DbTx;
  config: Pick<AppConfig, 'timeZone'>;
  queues: JobQueues;
  clock?: Clock;
  job?: SendJobOptions;
}): Promise<ScheduleDigestsOutcome> {
  const now = (deps.clock ?? systemClock).now();
  const date = reportDateAt(now, deps.config.timeZone);
  const recipients = await listDigestRecipients(deps.db);
  const ledger = await findSentDigestsForDate(
    deps.db,
    date,
    recipients.map((r) => r.user.id),
  );
  const enqueued: number[] = [];
  for (const r of recipients) {
    const subscription = effectiveSubscription(r.subscription, r.user.role);
    if (!subscription.enabled || !sendTimeReached(now, subscription.sendTime, deps.config.timeZone)) continue;
    const row = ledger.get(r.user.id);
    if (row && (row.status === 'sent' || row.status === 'sending')) continue;
    await deps.queues.add(
      'send-digest',
      { userId: r.user.id, date },
      {
        jobId: sendDigestJobId(r.user.id, date),
        attempts: deps.job?.attempts ?? SEND_DIGEST_ATTEMPTS,
        backoff: { type: 'exponential', delay: deps.job?.retryDelayMs ?? SEND_DIGEST_RETRY_DELAY_MS },
      },
    );
    enqueued.push(r.user.id);
  }
  if (enqueued.length > 0)
    log.info({ date, recipients: recipients.length, enqueued: enqueued.length }, 'digests enqueued');
  return { date, recipients: recipients.length, enqueued };
}

/** Options for {@link createDigestHandlers}. */
export interface DigestHandlerOptions extends DigestDeliveryDeps {
  queues: JobQueues;
  /** Attempts and backoff of the send-digest jobs the scheduler enqueues. */
  sendJob?: SendJobOptions;
}

/** Handlers for the digest queue: 'schedule-digests' (every few minutes) and 'send-digest'. */
export function createDigestHandlers(options: DigestHandlerOptions) {
  let mailer = options.mailer;
  const getMailer = () => (mailer ??= createDigestMailer(options.config));
  return {
    'schedule-digests': async () =>
      scheduleDigests({
        db: options.db,
        config: options.config,
        queues: options.queues,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.sendJob ? { job: options.sendJob } : {}),
      }),
    'send-digest': async (payload: { userId: number; date: string }) => {
      const outcome = await sendDigest({ ...options, mailer: getMailer() }, payload);
      if (outcome.status === 'skipped' && outcome.reason === 'no-user')
        throw new NonRetryableError('DIGEST_NO_USER', `user ${payload.userId} does not exist`);
      return outcome;
    },
  };
}
