// The facts the alert triggers read (open issues' deadlines, responses waiting for approval, negative mentions around
// the recent window, earlier flags) and which triggers were already delivered. Storage only: the rules are the
// domain's (alert-triggers.ts).
import { prismaOf, type DbTx } from '../handle.ts';
import type { IssueLevel } from '../generated/prisma/client.ts';

/** The highest level an issue was flagged at below `level` (null when none): tells a raised level from a new flag. */
export async function previousFlagLevel(handle: DbTx, issueId: number, level: IssueLevel): Promise<IssueLevel | null> {
  const rank: Record<IssueLevel, number> = { none: 0, general: 1, major: 2, severe: 3 };
  const flags = await prismaOf(handle).issueFlag.findMany({ where: { issueId }, select: { level: true } });
  const below = flags.map((f) => f.level).filter((l) => rank[l] < rank[level]);
  return below.reduce<IssueLevel | null>((top, l) => (top === null || rank[l] > rank[top] ? l : top), null);
}

/** One open issue as the deadline, approval and negative-share triggers read it. */
export interface IssueTriggerRow {
  issueId: number;
  level: IssueLevel;
  deadlineAt: Date | null;
  responded: boolean;
  submitted: { responseId: number; submittedAt: Date }[];
  sentiment: { recentTotal: number; recentNegative: number; beforeTotal: number; beforeNegative: number };
}

/** Most open issues read per evaluation (the most urgent first: nearest deadline). */
const MAX_TRIGGER_ISSUES = 2000;

/**
 * Open issues (not dismissed, resolved or merged) with what the triggers read: the deadline (an unpublished
 * response's own deadline when earlier than the issue's), whether a response was published, the responses waiting
 * for approval, and — for issues seen since `windowStart` — the issue's mentions counted by sentiment before and
 * since `windowStart` (by publication time, else fetch time; zero for the others).
 */
export async function issueTriggerRows(handle: DbTx, windowStart: Date): Promise<IssueTriggerRow[]> {
  const db = prismaOf(handle);
  const issues = await db.issue.findMany({
    // Level none with nothing submitted has no deadline, no approval and no jump to alert.
    where: {
      status: { in: ['new', 'confirmed', 'responding'] },
      OR: [{ level: { not: 'none' } }, { responses: { some: { status: 'submitted' } } }],
    },
    orderBy: [{ deadlineAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: MAX_TRIGGER_ISSUES,
    select: {
      id: true,
      level: true,
      deadlineAt: true,
      lastSeenAt: true,
      responses: { select: { id: true, status: true, deadlineAt: true, submittedAt: true } },
    },
  });
  if (issues.length === 0) return [];
  // Only an issue with a mention since the window started can have a jump in it: the others are not counted.
  const active = issues.filter((i) => i.lastSeenAt >= windowStart).map((i) => i.id);
  const counts =
    active.length === 0
      ? []
      : await db.$queryRaw<
          Array<{
            issueId: number;
            recentTotal: number;
            recentNegative: number;
            beforeTotal: number;
            beforeNegative: number;
          }>
        >`
    SELECT "issueId",
           (count(*) FILTER (WHERE COALESCE("publishedAt", "fetchedAt") >= ${windowStart}))::int AS "recentTotal",
           (count(*) FILTER (WHERE COALESCE("publishedAt", "fetchedAt") >= ${windowStart}
                              AND "sentiment" = 'negative'))::int AS "recentNegative",
           (count(*) FILTER (WHERE COALESCE("publishedAt", "fetchedAt") < ${windowStart}))::int AS "beforeTotal",
           (count(*) FILTER (WHERE COALESCE("publishedAt", "fetchedAt") < ${windowStart}
                              AND "sentiment" = 'negative'))::int AS "beforeNegative"
      FROM "Mention"
     WHERE "issueId" = ANY(${active}::int[])
     GROUP BY "issueId"`;
  const byIssue = new Map(counts.map((c) => [c.issueId, c]));
  return issues.map((issue) => {
    const open = issue.responses.filter((r) => r.status !== 'published');
    const deadlines = [issue.deadlineAt, ...open.map((r) => r.deadlineAt)].filter((d): d is Date => d !== null);
    const c = byIssue.get(issue.id);
    return {
      issueId: issue.id,
      level: issue.level,
      deadlineAt: deadlines.length ? new Date(Math.min(...deadlines.map((d) => d.getTime()))) : null,
      responded: issue.responses.some((r) => r.status === 'published'),
      submitted: issue.responses.flatMap((r) =>
        r.status === 'submitted' && r.submittedAt ? [{ responseId: r.id, submittedAt: r.submittedAt }] : [],
      ),
      sentiment: {
        recentTotal: c?.recentTotal ?? 0,
        recentNegative: c?.recentNegative ?? 0,
        beforeTotal: c?.beforeTotal ?? 0,
        beforeNegative: c?.beforeNegative ?? 0,
      },
    };
  });
}

/**
 * The triggers already delivered (or being delivered) for these issues, to any channel: `issueId|level|trigger`
 * keys, so an evaluation repeated every tick queues nothing new.
 */
export async function deliveredTriggerKeys(handle: DbTx, issueIds: readonly number[]): Promise<Set<string>> {
  if (issueIds.length === 0) return new Set();
  const rows = await prismaOf(handle).alertDelivery.findMany({
    where: { issueId: { in: [...issueIds] } },
    distinct: ['issueId', 'level', 'trigger'],
    select: { issueId: true, level: true, trigger: true },
  });
  return new Set(rows.map((r) => `${r.issueId}|${r.level}|${r.trigger}`));
}

/** Deliveries by id with their issue's id and level (a batch's members), oldest first. */
export async function alertDeliveriesById(handle: DbTx, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return prismaOf(handle).alertDelivery.findMany({ where: { id: { in: [...ids] } }, orderBy: { id: 'asc' } });
}
