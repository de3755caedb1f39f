// Repository functions for daily digests (subscriptions, the once-per-day send ledger) and the read
// queries that gather one day's figures for the digest and the 舆情日报 briefing.
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import type {
  DigestSubscription,
  IssueLevel,
  Prisma,
  ResponseStatus,
  Role,
  SentDigest,
} from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import type { AuditActor } from './users.ts';

// ───────────────────────────── subscriptions ─────────────────────────────

/** What a subscriber chooses; every field has the schema default when absent. */
export interface DigestSubscriptionInput {
  enabled?: boolean;
  /** HH:mm in the configured time zone. */
  sendTime?: string;
  /** Empty means all categories. */
  categories?: string[];
  minLevel?: IssueLevel;
  attachDocx?: boolean;
  /** Scheduled reports received: week, month, quarter, year (empty: none). */
  reportKinds?: string[];
}

/** Creates or updates the user's subscription; fields left out keep their current (or default) value. */
export async function upsertDigestSubscription(
  handle: DbTx,
  userId: number,
  input: DigestSubscriptionInput,
): Promise<DigestSubscription> {
  const db = prismaOf(handle);
  const data = {
    ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
    ...(input.sendTime === undefined ? {} : { sendTime: input.sendTime }),
    ...(input.categories === undefined ? {} : { categories: input.categories }),
    ...(input.minLevel === undefined ? {} : { minLevel: input.minLevel }),
    ...(input.attachDocx === undefined ? {} : { attachDocx: input.attachDocx }),
    ...(input.reportKinds === undefined ? {} : { reportKinds: input.reportKinds }),
  };
  return db.digestSubscription.upsert({ where: { userId }, create: { userId, ...data }, update: data });
}

/**
 * Saves a user's digest subscription and audits the change (`fields`: the names the user sent) in one
 * transaction: what the dashboard's subscription form does.
 */
export async function saveDigestSubscriptionAudited(
  db: Db,
  userId: number,
  input: DigestSubscriptionInput,
  fields: string[],
  actor: AuditActor,
): Promise<DigestSubscription> {
  return transaction(db, async (tx) => {
    const row = await upsertDigestSubscription(tx, userId, input);
    await appendAudit(tx, {
      ...actor,
      action: 'digest.subscription.update',
      entityType: 'DigestSubscription',
      entityId: row.id,
      details: { fields },
    });
    return row;
  });
}

/** A user who may receive digests, with their subscription row (null: a leader on the defaults). */
export interface DigestRecipientRow {
  user: { id: number; username: string; displayName: string; email: string | null; role: Role; active: boolean };
  subscription: DigestSubscription | null;
}

const RECIPIENT_USER_SELECT = {
  id: true,
  username: true,
  displayName: true,
  email: true,
  role: true,
  active: true,
  subscription: true,
} as const;

/**
 * Active users with an e-mail address who get digests: everyone with an enabled subscription, plus every
 * leader who never saved one (leaders receive everything by default).
 */
export async function listDigestRecipients(handle: DbTx): Promise<DigestRecipientRow[]> {
  const db = prismaOf(handle);
  const users = await db.user.findMany({
    where: {
      active: true,
      email: { not: null },
      OR: [{ subscription: { is: { enabled: true } } }, { role: 'leader', subscription: { is: null } }],
    },
    select: RECIPIENT_USER_SELECT,
    orderBy: { id: 'asc' },
  });
  return users.map(({ subscription, ...user }) => ({ user, subscription }));
}

/** One user with their subscription row (whether or not they currently receive digests). */
export async function findDigestRecipient(handle: DbTx, userId: number): Promise<DigestRecipientRow | null> {
  const db = prismaOf(handle);
  const found = await db.user.findUnique({ where: { id: userId }, select: RECIPIENT_USER_SELECT });
  if (!found) return null;
  const { subscription, ...user } = found;
  return { user, subscription };
}

// ───────────────────────────── send ledger ─────────────────────────────

/** Statuses of a {@link SentDigest} row. */
export type SentDigestStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** Outcome of {@link claimSentDigest}. */
export type SentDigestClaim =
  { claimed: true; row: SentDigest } | { claimed: false; row: SentDigest; reason: 'sent' | 'in-progress' };

/**
 * Claims the right to send `userId`'s digest for `digestDate`. The (userId, digestDate) unique row is
 * created if missing, then moved to `sending` only from `pending`, `failed` or a `sending` claim older than
 * `staleAfterMs` (its worker died). PostgreSQL re-checks the UPDATE's condition after waiting on a
 * concurrent claimant's row lock, so of two racing claims exactly one wins. `row.attempts` afterwards is
 * the fencing token that {@link markSentDigestSent} / {@link markSentDigestFailed} must present.
 */
export async function claimSentDigest(
  handle: Db,
  input: { userId: number; digestDate: string; staleAfterMs: number },
): Promise<SentDigestClaim> {
  return transaction(handle, async (tx) => {
    await tx.sentDigest.createMany({
      data: [{ userId: input.userId, digestDate: input.digestDate, status: 'pending' }],
      skipDuplicates: true,
    });
    const staleBefore = new Date(Date.now() - input.staleAfterMs);
    const { count } = await tx.sentDigest.updateMany({
      where: {
        userId: input.userId,
        digestDate: input.digestDate,
        OR: [{ status: { in: ['pending', 'failed'] } }, { status: 'sending', updatedAt: { lt: staleBefore } }],
      },
      data: { status: 'sending', attempts: { increment: 1 } },
    });
    const row = await tx.sentDigest.findUniqueOrThrow({
      where: { userId_digestDate: { userId: input.userId, digestDate: input.digestDate } },
    });
    if (count === 1) return { claimed: true, row };
    return { claimed: false, row, reason: row.status === 'sent' ? 'sent' : 'in-progress' };
  });
}

/** Records a delivered digest; false when the claim (`attempt`) was taken over meanwhile. */
export async function markSentDigestSent(
  handle: DbTx,
  input: { id: number; attempt: number; messageId: string | null; sentAt: Date },
): Promise<boolean> {
  const db = prismaOf(handle);
  const { count } = await db.sentDigest.updateMany({
    where: { id: input.id, status: 'sending', attempts: input.attempt },
    data: { status: 'sent', messageId: input.messageId, sentAt: input.sentAt, lastError: null },
  });
  return count === 1;
}

/** Longest error text kept per row (SMTP replies can be long). */
const MAX_LAST_ERROR_CHARS = 1000;

/** Records a failed attempt so it shows in the dashboard; false when the claim was taken over meanwhile. */
export async function markSentDigestFailed(
  handle: DbTx,
  input: { id: number; attempt: number; error: string },
): Promise<boolean> {
  const db = prismaOf(handle);
  const { count } = await db.sentDigest.updateMany({
    where: { id: input.id, status: 'sending', attempts: input.attempt },
    data: { status: 'failed', lastError: input.error.slice(0, MAX_LAST_ERROR_CHARS) },
  });
  return count === 1;
}

/** The ledger row for one recipient and day, if any. */
export async function findSentDigest(handle: DbTx, userId: number, digestDate: string): Promise<SentDigest | null> {
  const db = prismaOf(handle);
  return db.sentDigest.findUnique({ where: { userId_digestDate: { userId, digestDate } } });
}

/** One ledger row by id. */
export async function findSentDigestById(handle: DbTx, id: number): Promise<SentDigest | null> {
  const db = prismaOf(handle);
  return db.sentDigest.findUnique({ where: { id } });
}

/** Ledger rows of one digest date for the given users, keyed by user id. */
export async function findSentDigestsForDate(
  handle: DbTx,
  digestDate: string,
  userIds: number[],
): Promise<Map<number, SentDigest>> {
  const db = prismaOf(handle);
  if (userIds.length === 0) return new Map();
  const rows = await db.sentDigest.findMany({ where: { digestDate, userId: { in: userIds } } });
  return new Map(rows.map((r) => [r.userId, r]));
}

/** Sent-digest rows, newest first, with the recipient's name (never their address). */
export async function listSentDigests(
  handle: DbTx,
  options: { userId?: number; status?: SentDigestStatus; digestDate?: string; limit?: number; beforeId?: number } = {},
) {
  const db = prismaOf(handle);
  return db.sentDigest.findMany({
    where: {
      ...(options.userId === undefined ? {} : { userId: options.userId }),
      ...(options.status === undefined ? {} : { status: options.status }),
      ...(options.digestDate === undefined ? {} : { digestDate: options.digestDate }),
      ...(options.beforeId === undefined ? {} : { id: { lt: options.beforeId } }),
    },
    orderBy: { id: 'desc' },
    take: Math.min(Math.max(options.limit ?? 100, 1), 500),
    include: { user: { select: { id: true, username: true, displayName: true } } },
  });
}

// ───────────────────────────── one day's figures ─────────────────────────────

/** Sentiment label the analysis stage writes for negative mentions. */
export const NEGATIVE_SENTIMENT = 'negative';

/** A half-open time window [start, end). */
export interface TimeWindow {
  start: Date;
  end: Date;
}

/**
 * Mentions count on the day they were published; those without a publication time on the day they were
 * collected. Both columns are indexed.
 */
function mentionsInWindow(window: TimeWindow): Prisma.MentionWhereInput {
  return {
    OR: [
      { publishedAt: { gte: window.start, lt: window.end } },
      { publishedAt: null, createdAt: { gte: window.start, lt: window.end } },
    ],
  };
}

/** Mention counts of one window, optionally limited to categories (empty: all). */
export interface MentionFigures {
  mentions: number;
  relevant: number;
  negative: number;
}

/** Mentions, relevant mentions and negative relevant mentions in `window`. */
export async function countMentionFigures(
  handle: DbTx,
  window: TimeWindow,
  categories: string[] = [],
): Promise<MentionFigures> {
  const db = prismaOf(handle);
  const base: Prisma.MentionWhereInput = {
    AND: [mentionsInWindow(window), ...(categories.length ? [{ category: { in: categories } }] : [])],
  };
  const [mentions, relevant, negative] = await Promise.all([
    db.mention.count({ where: base }),
    db.mention.count({ where: { AND: [base, { relevant: true }] } }),
    db.mention.count({ where: { AND: [base, { relevant: true, sentiment: NEGATIVE_SENTIMENT }] } }),
  ]);
  return { mentions, relevant, negative };
}

const ISSUE_SUMMARY_SELECT = {
  id: true,
  title: true,
  category: true,
  subcategory: true,
  status: true,
  level: true,
  hotness: true,
  mentionCount: true,
  sentimentMix: true,
  keywords: true,
  places: true,
  deadlineAt: true,
  firstSeenAt: true,
  flaggedAt: true,
} as const;

/** The issue fields a digest shows. */
export type DigestIssueRow = Prisma.IssueGetPayload<{ select: typeof ISSUE_SUMMARY_SELECT }>;

/** Issue statuses that no longer belong in a report (judged not an issue, or folded into another). */
const CLOSED_OUT_STATUSES = ['dismissed', 'merged'] as const;

/** A flag raised in the window, with its issue and the highest level flagged for that issue before the window. */
export interface DigestFlagRow {
  id: number;
  level: IssueLevel;
  reason: string;
  createdAt: Date;
  issue: DigestIssueRow;
  /** Highest level of this issue's earlier flags; null when the issue was never flagged before. */
  priorLevel: IssueLevel | null;
}

const LEVEL_RANK: Record<IssueLevel, number> = { none: 0, general: 1, major: 2, severe: 3 };

/** Hot-issue flags raised in `window` (oldest first), excluding dismissed and merged issues. */
export async function listIssueFlagsInWindow(handle: DbTx, window: TimeWindow): Promise<DigestFlagRow[]> {
  const db = prismaOf(handle);
  const flags = await db.issueFlag.findMany({
    where: { createdAt: { gte: window.start, lt: window.end }, issue: { status: { notIn: [...CLOSED_OUT_STATUSES] } } },
    orderBy: { createdAt: 'asc' },
    include: { issue: { select: ISSUE_SUMMARY_SELECT } },
  });
  if (flags.length === 0) return [];
  const earlier = await db.issueFlag.findMany({
    where: { issueId: { in: [...new Set(flags.map((f) => f.issueId))] }, createdAt: { lt: window.start } },
    select: { issueId: true, level: true },
  });
  const prior = new Map<number, IssueLevel>();
  for (const e of earlier) {
    const seen = prior.get(e.issueId);
    if (seen === undefined || LEVEL_RANK[e.level] > LEVEL_RANK[seen]) prior.set(e.issueId, e.level);
  }
  return flags.map((f) => ({
    id: f.id,
    level: f.level,
    reason: f.reason,
    createdAt: f.createdAt,
    issue: f.issue,
    priorLevel: prior.get(f.issueId) ?? null,
  }));
}

/** Latest hotness snapshot of each issue taken before `before` (so a past day's report shows that day's heat). */
export async function hotnessBefore(handle: DbTx, issueIds: number[], before: Date): Promise<Map<number, number>> {
  const db = prismaOf(handle);
  if (issueIds.length === 0) return new Map();
  const rows = await db.issueHotness.findMany({
    where: { issueId: { in: issueIds }, at: { lt: before } },
    orderBy: [{ issueId: 'asc' }, { at: 'desc' }],
    distinct: ['issueId'],
    select: { issueId: true, hotness: true },
  });
  return new Map(rows.map((r) => [r.issueId, r.hotness]));
}

/** Most rows of one kind a digest lists; a day with more is summarised by count. */
export const DIGEST_LIST_LIMIT = 200;

/** A response that is not yet published, with its issue. */
export interface DigestOpenResponseRow {
  id: number;
  status: ResponseStatus;
  deadlineAt: Date | null;
  createdAt: Date;
  issue: DigestIssueRow;
}

/** Responses created before `before` and not yet published (their current status), earliest deadline first. */
export async function listOpenResponses(handle: DbTx, before: Date): Promise<DigestOpenResponseRow[]> {
  const db = prismaOf(handle);
  return db.response.findMany({
    where: {
      status: { not: 'published' },
      createdAt: { lt: before },
      issue: { status: { notIn: [...CLOSED_OUT_STATUSES] } },
    },
    orderBy: [{ deadlineAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: DIGEST_LIST_LIMIT,
    select: { id: true, status: true, deadlineAt: true, createdAt: true, issue: { select: ISSUE_SUMMARY_SELECT } },
  });
}

/** Flagged issues still open on `before` for which nobody has started a response. */
export async function listIssuesAwaitingResponse(handle: DbTx, before: Date): Promise<DigestIssueRow[]> {
  const db = prismaOf(handle);
  return db.issue.findMany({
    where: {
      level: { not: 'none' },
      status: { in: ['new', 'confirmed', 'responding'] },
      flaggedAt: { lt: before },
      responses: { none: {} },
    },
    orderBy: [{ deadlineAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: DIGEST_LIST_LIMIT,
    select: ISSUE_SUMMARY_SELECT,
  });
}

/** A publication of a response in the window. */
export interface DigestPublishRow {
  id: number;
  channel: string;
  url: string | null;
  publishedAt: Date;
  responseId: number;
  issue: DigestIssueRow;
}

/** Responses published in `window` (one row per channel), oldest first. */
export async function listPublishRecordsInWindow(handle: DbTx, window: TimeWindow): Promise<DigestPublishRow[]> {
  const db = prismaOf(handle);
  const rows = await db.publishRecord.findMany({
    where: { publishedAt: { gte: window.start, lt: window.end } },
    orderBy: { publishedAt: 'asc' },
    take: DIGEST_LIST_LIMIT,
    select: {
      id: true,
      channel: true,
      url: true,
      publishedAt: true,
      responseId: true,
      response: { select: { issue: { select: ISSUE_SUMMARY_SELECT } } },
    },
  });
  return rows.map(({ response, ...r }) => ({ ...r, issue: response.issue }));
}
