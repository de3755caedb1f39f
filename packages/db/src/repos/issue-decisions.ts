// What analysts decided about clustered issues, read by the analysis worker under the clustering lock, and the
// writes that follow a detected burst (flag, reopen). The rules themselves live in @yuqing/domain.
import { NonRetryableError } from '@yuqing/core';
import { peopleActedOn, withLockedField } from '@yuqing/domain';
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import type { IssueLevel, IssueStatus } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import { refreshIssueStats } from './issues.ts';
import { lockRows } from './row-locks.ts';
import type { AuditActor } from './users.ts';

/** Merges followed to the issue that finally holds a merged issue's mentions (a loop is stopped). */
const MAX_MERGE_HOPS = 8;

/** An analyst's decisions about one clustered issue, as stored. */
export interface StoredAnalystDecision {
  issueId: number;
  clusterKey: string;
  status: IssueStatus;
  title: string;
  category: string | null;
  level: IssueLevel;
  lockedFields: string[];
  resolvedAt: Date | null;
  /** For a merged issue: the issue that holds its mentions now (merges followed to the end). */
  mergedIntoId: number | null;
  /** The cluster key of that issue, when it has one. */
  mergedIntoKey: string | null;
  /** People have acted on the issue ({@link peopleActedOn}): clustering never folds it into another. */
  held: boolean;
}

/**
 * Decisions about the issues with these cluster keys that clustering must respect: fields set by hand, merges,
 * resolutions. One statement, plus one per merge hop for merged issues.
 */
export async function loadAnalystDecisions(
  handle: DbTx,
  clusterKeys: readonly string[],
): Promise<StoredAnalystDecision[]> {
  const db = prismaOf(handle);
  if (clusterKeys.length === 0) return [];
  // Every issue people have acted on (a superset of the decisions the engine applies): peopleActedOn decides.
  const rows = await db.$queryRaw<
    Array<
      Omit<StoredAnalystDecision, 'mergedIntoKey' | 'held'> & {
        flaggedAt: Date | null;
        assigneeId: number | null;
        rumourMarkedAt: Date | null;
      }
    >
  >`
    SELECT id AS "issueId", "clusterKey", status::text AS status, title, category, level::text AS level,
           "lockedFields", "resolvedAt", "mergedIntoId", "flaggedAt", "assigneeId", "rumourMarkedAt"
      FROM "Issue"
     WHERE "clusterKey" = ANY(${[...clusterKeys]}::text[])
       AND (cardinality("lockedFields") > 0 OR status <> 'new' OR "assigneeId" IS NOT NULL
            OR "rumourMarkedAt" IS NOT NULL)`;
  const targets = new Map<number, { id: number; clusterKey: string | null; mergedIntoId: number | null }>();
  let pending = [...new Set(rows.flatMap((r) => (r.mergedIntoId === null ? [] : [r.mergedIntoId])))];
  for (let hop = 0; hop < MAX_MERGE_HOPS && pending.length > 0; hop++) {
    const found = await db.issue.findMany({
      where: { id: { in: pending } },
      select: { id: true, clusterKey: true, mergedIntoId: true },
    });
    for (const t of found) targets.set(t.id, t);
    pending = found.flatMap((t) => (t.mergedIntoId !== null && !targets.has(t.mergedIntoId) ? [t.mergedIntoId] : []));
  }
  return rows.map(({ flaggedAt, assigneeId, rumourMarkedAt, ...r }) => {
    let target = r.mergedIntoId === null ? undefined : targets.get(r.mergedIntoId);
    for (let hop = 0; target?.mergedIntoId != null && hop < MAX_MERGE_HOPS; hop++)
      target = targets.get(target.mergedIntoId) ?? target;
    return {
      ...r,
      mergedIntoId: r.status === 'merged' ? (target?.id ?? r.mergedIntoId) : null,
      mergedIntoKey: r.status === 'merged' ? (target?.clusterKey ?? null) : null,
      held: peopleActedOn({ ...r, flaggedAt, assigneeId, rumourMarkedAt }),
    };
  });
}

/** Audit action of a fold done by clustering (labelled 自动合并同一事件的议题). */
export const ISSUE_FOLD_ACTION = 'issue.fold';

/** What {@link foldClusteredIssue} did. */
export type FoldOutcome =
  | { action: 'folded'; issueId: number; mentions: number }
  | { action: 'refused'; issueId: number; why: 'people-acted' }
  | { action: 'absent' };

/**
 * Folds the issue clustering knows as `clusterKey` into issue `intoId` (clustering found them to be one event):
 * its mentions move over, it becomes `merged` into the target, the target's counts are recomputed, and the
 * fold is audited on the target (`issue.fold`, 自动合并同一事件的议题). Refused, changing nothing, when people have
 * acted on the issue ({@link peopleActedOn}: status moved on, a field set by hand, assigned, marked, flagged): an
 * analyst's decision is data, and nothing automatic overwrites it. `absent` when no such issue is stored (it lived
 * only within one batch) or it already went elsewhere. Both rows are locked first, in id order.
 */
export async function foldClusteredIssue(
  handle: DbTx,
  input: { clusterKey: string; intoId: number; similarity?: number },
): Promise<FoldOutcome> {
  const db = prismaOf(handle);
  const found = await db.issue.findUnique({ where: { clusterKey: input.clusterKey }, select: { id: true } });
  if (!found || found.id === input.intoId) return { action: 'absent' };
  await lockRows(db, 'Issue', [found.id, input.intoId]);
  // Re-read under the lock: an analyst may have acted on it since the batch began.
  const issue = await db.issue.findUniqueOrThrow({
    where: { id: found.id },
    select: { status: true, level: true, flaggedAt: true, lockedFields: true, assigneeId: true, rumourMarkedAt: true },
  });
  if (issue.status === 'merged') return { action: 'absent' };
  if (peopleActedOn(issue)) return { action: 'refused', issueId: found.id, why: 'people-acted' };
  const moved = await db.mention.updateMany({ where: { issueId: found.id }, data: { issueId: input.intoId } });
  await db.issue.update({
    where: { id: found.id },
    data: { status: 'merged', mergedIntoId: input.intoId, mentionCount: 0 },
  });
  await refreshIssueStats(db, input.intoId);
  await appendAudit(db, {
    action: ISSUE_FOLD_ACTION,
    entityType: 'issue',
    entityId: input.intoId,
    details: {
      merged: [found.id],
      mentions: moved.count,
      reason: '聚类发现两个议题属于同一事件（关键词与地点相近、时间相邻），较小的并入较大的',
      ...(input.similarity === undefined ? {} : { similarity: Math.round(input.similarity * 100) / 100 }),
    },
  });
  return { action: 'folded', issueId: found.id, mentions: moved.count };
}

/** What the burst rule needs of issues: state, level, locked fields, resolution time. */
export async function issuesForFlagging(handle: DbTx, ids: readonly number[]) {
  const db = prismaOf(handle);
  if (ids.length === 0) return new Map<number, never>();
  const rows = await db.issue.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, status: true, level: true, lockedFields: true, resolvedAt: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Reopens a resolved issue after a new burst: back to `new` with the level and deadline given, the flag
 * recorded, audited as `issue.reopened`.
 */
export async function reopenIssue(
  handle: DbTx,
  input: { issueId: number; level: Exclude<IssueLevel, 'none'>; reason: string; at: Date; deadlineAt: Date },
) {
  const db = prismaOf(handle);
  await db.issueFlag.create({
    data: { issueId: input.issueId, level: input.level, reason: input.reason, createdAt: input.at },
  });
  await db.issue.update({
    where: { id: input.issueId },
    data: { status: 'new', level: input.level, flaggedAt: input.at, deadlineAt: input.deadlineAt },
  });
  await appendAudit(db, {
    action: 'issue.reopened',
    entityType: 'issue',
    entityId: input.issueId,
    details: { level: input.level, reason: input.reason },
  });
}

/** Sets an issue's title by hand; clustering keeps it from then on. */
export async function setIssueTitle(handle: Db, id: number, title: string, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const issue = await tx.issue.findUnique({ where: { id }, select: { title: true, lockedFields: true } });
    if (!issue) throw new NonRetryableError('NOT_FOUND', `issue ${id} not found`);
    const updated = await tx.issue.update({
      where: { id },
      data: { title, lockedFields: withLockedField(issue.lockedFields, 'title') },
      omit: { clusterState: true },
    });
    await appendAudit(tx, {
      ...actor,
      action: 'issue.title',
      entityType: 'issue',
      entityId: id,
      details: { from: issue.title, to: title },
    });
    return updated;
  });
}
