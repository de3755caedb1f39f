// The claim → send → record protocol shared by the daily digest and the periodic reports: each ledger row
// (user, key) is delivered at most once however often its job runs, and a failure is recorded for the backoff.
import { createLogger, errorCode, errorMessage, RetryableError } from '@yuqing/core';
import {
  claimSentDigest,
  findDigestRecipient,
  findSentDigest,
  markSentDigestFailed,
  markSentDigestSent,
  type Db,
} from '@yuqing/db';
import type Mail from 'nodemailer/lib/mailer';
import type { DigestMailer } from './mailer.ts';
import { effectiveSubscription, type EffectiveSubscription } from './subscription.ts';

/** Each kind of mail logs under its own name, as it did before the protocol was shared. */
const LOGS = { digest: createLogger('digest'), report: createLogger('report') };

/** Why a recipient gets nothing: no such user, deactivated, no address, or not subscribed. */
export type SkipReason = 'no-user' | 'inactive' | 'no-email' | 'unsubscribed';

/** A recipient who may be sent mail, with the subscription in force. */
export interface SendableRecipient {
  user: { id: number; displayName: string; email: string };
  subscription: EffectiveSubscription;
}

/**
 * Looks up `userId` and returns them with their subscription when they can be sent mail, else why not.
 * `wants` decides from the subscription whether this particular mail is wanted.
 */
export async function sendableRecipient(
  db: Db,
  userId: number,
  wants: (subscription: EffectiveSubscription) => boolean,
): Promise<SendableRecipient | SkipReason> {
  const recipient = await findDigestRecipient(db, userId);
  if (!recipient) return 'no-user';
  if (!recipient.user.active) return 'inactive';
  const email = recipient.user.email;
  if (!email) return 'no-email';
  const subscription = effectiveSubscription(recipient.subscription, recipient.user.role);
  if (!subscription.enabled || !wants(subscription)) return 'unsubscribed';
  return { user: { id: recipient.user.id, displayName: recipient.user.displayName, email }, subscription };
}

/** One ledger delivery: whose, which row, what it is called in logs and errors, and how to build the mail. */
export interface LedgerSendInput {
  userId: number;
  /** The ledger key: a day (`2026-12-03`) or a report period (`week:2026-W48`). */
  key: string;
  /** `digest` or `report`: names the log lines and the in-progress error (`DIGEST_IN_PROGRESS`). */
  what: 'digest' | 'report';
  /** The message and its outbox file stem; built only once the claim is held. */
  compose: () => Promise<{ message: Mail.Options; fileStem: string; logFields?: Record<string, unknown> }>;
}

/** The outcome of {@link sendThroughLedger}. */
export type LedgerSendResult =
  { status: 'already-sent' } | { status: 'sent'; attempt: number; messageId: string | null; outboxPath?: string };

/**
 * Claims the (user, key) ledger row, composes and sends the mail, and records it as sent. A row already sent ends
 * as `already-sent`; a claim held by another live sender throws a retryable `<WHAT>_IN_PROGRESS` so the job looks
 * again later; a failed delivery is recorded on the row (status, attempts, last error) and rethrown for the backoff.
 */
export async function sendThroughLedger(
  deps: { db: Db; mailer: DigestMailer; claimStaleAfterMs: number },
  input: LedgerSendInput,
): Promise<LedgerSendResult> {
  const { db } = deps;
  const { userId, key, what } = input;
  const log = LOGS[what];
  // Cheap check first: most re-runs (a second scheduler, a restart) end here without a transaction.
  if ((await findSentDigest(db, userId, key))?.status === 'sent') return { status: 'already-sent' };
  const claim = await claimSentDigest(db, { userId, digestDate: key, staleAfterMs: deps.claimStaleAfterMs });
  if (!claim.claimed) {
    if (claim.reason === 'sent') return { status: 'already-sent' };
    throw new RetryableError(
      `${what.toUpperCase()}_IN_PROGRESS`,
      `the ${what} ${key} for user ${userId} is being sent by another worker`,
    );
  }
  const attempt = claim.row.attempts;
  try {
    const { message, fileStem, logFields } = await input.compose();
    const delivered = await deps.mailer.send(message, fileStem);
    const recorded = await markSentDigestSent(db, {
      id: claim.row.id,
      attempt,
      messageId: delivered.messageId,
      sentAt: new Date(),
    });
    if (!recorded) log.warn({ userId, key, attempt }, `${what} sent, but another worker took over the claim meanwhile`);
    log.info({ userId, key, attempt, via: deps.mailer.kind, ...logFields }, `${what} sent`);
    return {
      status: 'sent',
      attempt,
      messageId: delivered.messageId,
      ...(delivered.outboxPath ? { outboxPath: delivered.outboxPath } : {}),
    };
  } catch (error) {
    const reason = `[${errorCode(error)}] ${errorMessage(error)}`;
    await markSentDigestFailed(db, { id: claim.row.id, attempt, error: reason }).catch((recordError: unknown) => {
      log.error({ userId, key, attempt, err: errorMessage(recordError) }, `could not record the failed ${what}`);
    });
    log.warn({ userId, key, attempt, code: errorCode(error), err: errorMessage(error) }, `${what} delivery failed`);
    throw error;
  }
}
