// Scheduled 周报, 月报, 季报 and 年报: the digest's recipients get last week's report on Monday morning, last month's
// on the 1st, last quarter's on 1 January, April, July and October and last year's on 1 January, in the bureau's
// time zone, each kind only if their subscription lists it. Sending follows the digest's claim → send → record
// protocol on the same ledger (one row per recipient and report, keyed `report-week:2026-W48`), so a restart, a
// second scheduler or a retried job never sends a report twice.
import { sendableRecipient, sendThroughLedger } from './ledger-send.ts';
import { createLogger, NonRetryableError, systemClock, type AppConfig, type Clock } from '@yuqing/core';
import { findSentDigestsForDate, listDigestRecipients, type DbTx } from '@yuqing/db';
import type { JobQueues } from '@yuqing/queue';
import { DateTime } from 'luxon';
import type { DigestDeliveryDeps, SendJobOptions } from './digest-delivery.ts';
import { SEND_CLAIM_STALE_MS, SEND_DIGEST_ATTEMPTS, SEND_DIGEST_RETRY_DELAY_MS } from './digest-delivery.ts';
import { createDigestMailer, digestMessageId, type DigestMailer } from './mailer.ts';
import { composeReportMessage } from './report-email.ts';
import { preparePeriodicReport } from './report-prepare.ts';
import {
  lastCompleteReportPeriod,
  parseReportPeriod,
  REPORT_PERIOD_KINDS,
  type ReportPeriod,
  type ReportPeriodKind,
} from './report-period.ts';
import { effectiveSubscription } from './subscription.ts';

const log = createLogger('report');

/** Report kinds sent on a schedule: all four periodic ones (the 专报 of one issue is written on demand). */
export const SCHEDULED_REPORT_KINDS = REPORT_PERIOD_KINDS;
export type ScheduledReportKind = ReportPeriodKind;

/**
 * Local time on the first day after a period when its report goes out: Monday for a week, the 1st for a month,
 * 1 January / April / July / October for a quarter, 1 January for a year.
 */
export const REPORT_SEND_TIME = '08:00';

/**
 * Days after its send time during which a report missed while the system was down still goes out. Bounded so a
 * system installed mid-month does not mail last month's report on its first morning.
 */
export const REPORT_CATCH_UP_DAYS = 3;

/** The send ledger's key of one report: `report-week:2026-W48`, `report-month:2026-11`, `report-quarter:2026-Q4`. */
export function reportLedgerKey(kind: ScheduledReportKind, periodKey: string): string {
  return `report-${kind}:${periodKey}`;
}

/** How each kind writes its period in a ledger key (2026-W48, 2026-11, 2026-Q4, 2026). */
const LEDGER_PERIOD_PATTERNS: Record<ScheduledReportKind, RegExp> = {
  week: /^\d{4}-W\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
};

/** The report a send-ledger key names (`report-week:2026-W48` → week 2026-W48), or null for a digest's day. */
export function parseReportLedgerKey(key: string): { kind: ScheduledReportKind; period: string } | null {
  const m = /^report-(week|month|quarter|year):(.+)$/.exec(key);
  if (!m) return null;
  const kind = m[1] as ScheduledReportKind;
  return LEDGER_PERIOD_PATTERNS[kind].test(m[2]!) ? { kind, period: m[2]! } : null;
}

/** Short names of what a send-ledger row delivers: a day's digest or one kind of scheduled report. */
export const SENT_LEDGER_KIND_NAMES = {
  day: '日报',
  week: '周报',
  month: '月报',
  quarter: '季报',
  year: '年报',
} as const;

/** What the send-ledger row keyed `key` delivers, as the bureau says it: 日报 for a day, else 周报 … 年报. */
export function sentLedgerKindName(key: string): (typeof SENT_LEDGER_KIND_NAMES)[keyof typeof SENT_LEDGER_KIND_NAMES] {
  return SENT_LEDGER_KIND_NAMES[parseReportLedgerKey(key)?.kind ?? 'day'];
}

/** The BullMQ job id of one recipient's report; the same id from two schedulers is one job. */
export function sendReportJobId(userId: number, kind: ScheduledReportKind, periodKey: string): string {
  return `report:${kind}:${periodKey}:${userId}`;
}

/**
 * The report of `kind` due at `now`: the last complete period from {@link REPORT_SEND_TIME} on the first day
 * after it (local) until {@link REPORT_CATCH_UP_DAYS} days later, else null.
 */
export function dueReportPeriod(kind: ScheduledReportKind, now: Date, timeZone: string): ReportPeriod | null {
  const period = lastCompleteReportPeriod(kind, now, timeZone);
  const [hour, minute] = REPORT_SEND_TIME.split(':').map(Number) as [number, number];
  const sendAt = DateTime.fromJSDate(period.end, { zone: timeZone }).set({ hour, minute });
  const t = now.getTime();
  return t >= sendAt.toMillis() && t < sendAt.plus({ days: REPORT_CATCH_UP_DAYS }).toMillis() ? period : null;
}

/** What one schedule-reports run did. */
export interface ScheduleReportsOutcome {
  /** Periods due, e.g. { week: '2026-W48', month: '2026-11' } (a kind is absent when not due yet). */
  due: Partial<Record<ScheduledReportKind, string>>;
  /** Digest recipients (each gets only the kinds their subscription lists). */
  recipients: number;
  /** Jobs enqueued (or already queued under the same id), as `week:2026-W48:u3`. */
  enqueued: string[];
}

/**
 * Enqueues a send-report job for every digest recipient who chose a report kind whose period is due and whose
 * report is not yet sent or being sent.
 * Safe to run often and from several schedulers: the job id deduplicates in Redis, the ledger row in the database.
 */
export async function scheduleReports(deps: {
  db: DbTx;
  config: Pick<AppConfig, 'timeZone'>;
  queues: JobQueues;
  clock?: Clock;
  job?: SendJobOptions;
}): Promise<ScheduleReportsOutcome> {
  const now = (deps.clock ?? systemClock).now();
  const recipients = (await listDigestRecipients(deps.db))
    .map((r) => ({ user: r.user, subscription: effectiveSubscription(r.subscription, r.user.role) }))
    .filter((r) => r.subscription.enabled);
  const due: ScheduleReportsOutcome['due'] = {};
  const enqueued: string[] = [];
  for (const kind of SCHEDULED_REPORT_KINDS) {
    const period = dueReportPeriod(kind, now, deps.config.timeZone);
    if (!period) continue;
    due[kind] = period.key;
    const wanting = recipients.filter((r) => r.subscription.reportKinds.includes(kind));
    if (wanting.length === 0) continue;
    const ledger = await findSentDigestsForDate(
      deps.db,
      reportLedgerKey(kind, period.key),
      wanting.map((r) => r.user.id),
    );
    for (const r of wanting) {
      const row = ledger.get(r.user.id);
      if (row && (row.status === 'sent' || row.status === 'sending')) continue;
      await deps.queues.add(
        'send-report',
        { userId: r.user.id, kind, period: period.key },
        {
          jobId: sendReportJobId(r.user.id, kind, period.key),
          attempts: deps.job?.attempts ?? SEND_DIGEST_ATTEMPTS,
          backoff: { type: 'exponential', delay: deps.job?.retryDelayMs ?? SEND_DIGEST_RETRY_DELAY_MS },
        },
      );
      enqueued.push(`${kind}:${period.key}:u${r.user.id}`);
    }
  }
  if (enqueued.length > 0) log.info({ due, enqueued: enqueued.length }, 'periodic reports enqueued');
  return { due, recipients: recipients.length, enqueued };
}

/** What one send-report run did. */
export type SendReportOutcome =
  | { status: 'sent'; userId: number; key: string; attempt: number; messageId: string | null; outboxPath?: string }
  | { status: 'already-sent'; userId: number; key: string }
  | { status: 'skipped'; userId: number; key: string; reason: 'no-user' | 'inactive' | 'no-email' | 'unsubscribed' };

/**
 * Sends `userId` the 周报 / 月报 / 季报 / 年报 of `period` unless it was already sent: claims the ledger row, renders
 * the report (charts, .docx attached when the recipient's digest carries one), sends, records. A claim held by a
 * live sender throws a retryable REPORT_IN_PROGRESS; a failed delivery is recorded and rethrown for the backoff.
 */
export async function sendReport(
  deps: DigestDeliveryDeps & { mailer: DigestMailer },
  input: { userId: number; kind: ScheduledReportKind; period: string },
): Promise<SendReportOutcome> {
  const { db, config } = deps;
  const { userId } = input;
  const key = reportLedgerKey(input.kind, input.period);
  const period = parseReportPeriod(input.kind, input.period, config.timeZone);
  // Checked again at send time: the subscriber may have dropped this kind since the job was queued.
  const recipient = await sendableRecipient(db, userId, (s) => s.reportKinds.includes(input.kind));
  if (typeof recipient === 'string') return { status: 'skipped', userId, key, reason: recipient };
  const { user, subscription } = recipient;
  const result = await sendThroughLedger(
    { db, mailer: deps.mailer, claimStaleAfterMs: deps.claimStaleAfterMs ?? SEND_CLAIM_STALE_MS },
    {
      userId,
      key,
      what: 'report',
      compose: async () => {
        const now = (deps.clock ?? systemClock).now();
        const prepared = await preparePeriodicReport(db, config, { period, asOf: now });
        const message = composeReportMessage({
          rendered: prepared.email,
          docx: subscription.attachDocx ? prepared.docx : undefined,
          docxFileName: prepared.docxFileName,
          from: config.mailFrom,
          to: { name: user.displayName, address: user.email },
          messageId: digestMessageId(config.publicUrl, key.replace(':', '.'), `u${userId}`),
          date: now,
        });
        return { message, fileStem: `${key.replace(':', '-')}-u${userId}` };
      },
    },
  );
  return result.status === 'already-sent' ? { status: 'already-sent', userId, key } : { ...result, userId, key };
}

/** Options for {@link createReportHandlers}. */
export interface ReportHandlerOptions extends DigestDeliveryDeps {
  queues: JobQueues;
  /** Attempts and backoff of the send-report jobs the scheduler enqueues. */
  sendJob?: SendJobOptions;
}

/** Handlers for the digest queue's 'schedule-reports' (every few minutes) and 'send-report'. */
export function createReportHandlers(options: ReportHandlerOptions) {
  let mailer = options.mailer;
  const getMailer = () => (mailer ??= createDigestMailer(options.config));
  return {
    'schedule-reports': async () =>
      scheduleReports({
        db: options.db,
        config: options.config,
        queues: options.queues,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.sendJob ? { job: options.sendJob } : {}),
      }),
    'send-report': async (payload: { userId: number; kind: ScheduledReportKind; period: string }) => {
      const outcome = await sendReport({ ...options, mailer: getMailer() }, payload);
      if (outcome.status === 'skipped' && outcome.reason === 'no-user')
        throw new NonRetryableError('REPORT_NO_USER', `user ${payload.userId} does not exist`);
      return outcome;
    },
  };
}
