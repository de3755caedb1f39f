// What analysts decided about clustered issues, read by the analysis worker under the clustering lock, and the
// writes that follow a detected burst (flag, reopen). The rules themselves live in @yuqing/domain.
import { NonRetryableError } from '@yuqing/core';
import { withLockedField } from '@yuqing/domain';
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import type { IssueLevel, IssueStatus } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
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
  const rows = await db.$queryRaw<Array<Omit<StoredAnalystDecision, 'mergedIntoKey'>>>`
    SELECT id AS "issueId", "clusterKey", status::text AS status, title, category, level::text AS level,
           "lockedFields", "resolvedAt", "mergedIntoId"
      FROM "Issue"
     WHERE "clusterKey" = ANY(${[...clusterKeys]}::text[])
       AND (cardinality("lockedFields") > 0 OR status IN ('merged', 'resolved'))`;
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
  return rows.map((r) => {
    let target = r.mergedIntoId === null ? undefined : targets.get(r.mergedIntoId);
    for (let hop = 0; target?.mergedIntoId != null && hop < MAX_MERGE_HOPS; hop++)
      target = targets.get(target.mergedIntoId) ?? target;
    return {
      ...r,
      mergedIntoId: r.status === 'merged' ? (target?.id ?? r.mergedIntoId) : null,
      mergedIntoKey: r.status === 'merged' ? (target?.clusterKey ?? null) : null,
    };
  });
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
