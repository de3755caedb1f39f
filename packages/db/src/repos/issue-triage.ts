// Triage of issues and analyst corrections: each change checked against the domain rules and audited in its
// own transaction.
import { NonRetryableError } from '@yuqing/core';
import {
  assertCanConfirm,
  assertCanDismiss,
  assertCanMergeFrom,
  assertCanMergeInto,
  assertCanSplit,
  assertCanSplitIssue,
  assertExpectedStatus,
  confirmation,
  highestLevel,
  issuesToMerge,
  levelChange,
  SPLIT_ISSUE_DEFAULTS,
  withLockedField,
} from '@yuqing/domain';
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import type { IssueLevel, IssueStatus } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import { attachMentionsToIssue, createIssue, refreshIssueStats } from './issues.ts';
import { lockedTransition } from './row-locks.ts';
import type { AuditActor } from './users.ts';

function notFound(what: string, id: number): NonRetryableError {
  return new NonRetryableError('NOT_FOUND', `${what} ${id} not found`);
}

async function requireIssue(handle: DbTx, id: number) {
  const tx = prismaOf(handle);
  const issue = await tx.issue.findUnique({ where: { id }, omit: { clusterState: true } });
  if (!issue) throw notFound('issue', id);
  return issue;
}

/** Options of a triage decision. */
export interface TriageDecisionOptions {
  /** The status the analyst saw when deciding: refused with `CONFLICT` when the issue has moved on since. */
  expectedStatus?: IssueStatus;
}

/**
 * Analyst confirms the issue is real and relevant, at a level (`level`, else the suggested one, else 一般): every
 * confirmed issue has a level and a response deadline. The issue row is locked while deciding.
 */
export async function confirmIssue(
  handle: Db,
  id: number,
  actor: AuditActor,
  input: TriageDecisionOptions & { now: Date; level?: IssueLevel },
) {
  return lockedTransition(handle, { issueIds: [id] }, async (tx) => {
    const issue = await requireIssue(tx, id);
    assertExpectedStatus(issue, input.expectedStatus);
    assertCanConfirm(issue);
    const { level, deadlineAt, lockLevel } = confirmation(issue, input.now, input.level);
    const updated = await tx.issue.update({
      where: { id },
      data: {
        status: 'confirmed',
        dismissReason: null,
        level,
        deadlineAt,
        ...(lockLevel ? { lockedFields: withLockedField(issue.lockedFields, 'level') } : {}),
      },
      omit: { clusterState: true },
    });
    await appendAudit(tx, {
      ...actor,
      action: 'issue.confirm',
      entityType: 'issue',
      entityId: id,
      details: { from: issue.status, level, deadlineAt: deadlineAt.toISOString() },
    });
    return updated;
  });
}

/** Analyst dismisses the issue (not relevant, noise) with a reason (the issue row locked while deciding). */
export async function dismissIssue(
  handle: Db,
  id: number,
  reason: string,
  actor: AuditActor,
  options: TriageDecisionOptions = {},
) {
  return lockedTransition(handle, { issueIds: [id] }, async (tx) => {
    const issue = await requireIssue(tx, id);
    assertExpectedStatus(issue, options.expectedStatus);
    assertCanDismiss(issue);
    const updated = await tx.issue.update({
      where: { id },
      data: { status: 'dismissed', dismissReason: reason },
      omit: { clusterState: true },
    });
    await appendAudit(tx, {
      ...actor,
      action: 'issue.dismiss',
      entityType: 'issue',
      entityId: id,
      details: { from: issue.status, reason },
    });
    return updated;
  });
}

/**
 * Moves every mention of `sourceIds` into `targetId`; the sources become `merged` and point at the target. Every
 * issue involved is locked first, in id order, so crossing merges (A ← B and B ← A) wait instead of deadlocking.
 */
export async function mergeIssues(handle: Db, targetId: number, sourceIds: number[], actor: AuditActor) {
  const others = issuesToMerge(targetId, sourceIds);
  return lockedTransition(handle, { issueIds: [targetId, ...others] }, async (tx) => {
    const target = await requireIssue(tx, targetId);
    assertCanMergeInto(target);
    const keywords = new Set(target.keywords);
    const places = new Set(target.places);
    const levels: IssueLevel[] = [target.level];
    for (const id of others) {
      const issue = await requireIssue(tx, id);
      assertCanMergeFrom(issue);
      issue.keywords.forEach((k) => keywords.add(k));
      issue.places.forEach((p) => places.add(p));
      levels.push(issue.level);
      await tx.mention.updateMany({ where: { issueId: id }, data: { issueId: targetId } });
      await tx.issue.update({ where: { id }, data: { status: 'merged', mergedIntoId: targetId, mentionCount: 0 } });
    }
    await tx.issue.update({
      where: { id: targetId },
      data: { keywords: [...keywords], places: [...places], level: highestLevel(levels) },
    });
    await refreshIssueStats(tx, targetId);
    await appendAudit(tx, {
      ...actor,
      action: 'issue.merge',
      entityType: 'issue',
      entityId: targetId,
      details: { merged: others },
    });
    return requireIssue(tx, targetId);
  });
}

/** Moves some mentions of an issue into a new issue (clustering put two events together); the issue is locked. */
export async function splitIssue(handle: Db, id: number, mentionIds: number[], title: string, actor: AuditActor) {
  return lockedTransition(handle, { issueIds: [id] }, async (tx) => {
    const issue = await requireIssue(tx, id);
    assertCanSplitIssue(issue);
    const owned = await tx.mention.findMany({ where: { id: { in: mentionIds }, issueId: id }, select: { id: true } });
    const total = await tx.mention.count({ where: { issueId: id } });
    assertCanSplit(mentionIds, owned.length, total);
    const created = await createIssue(tx, {
      title,
      category: issue.category,
      ...SPLIT_ISSUE_DEFAULTS,
      firstSeenAt: issue.firstSeenAt,
      lastSeenAt: issue.lastSeenAt,
    });
    await attachMentionsToIssue(
      tx,
      created.id,
      owned.map((m) => m.id),
    );
    await refreshIssueStats(tx, id);
    await appendAudit(tx, {
      ...actor,
      action: 'issue.split',
      entityType: 'issue',
      entityId: id,
      details: { newIssueId: created.id, mentionIds: owned.map((m) => m.id) },
    });
    return requireIssue(tx, created.id);
  });
}

/** Assigns the issue to a user (or clears it with null). */
export async function assignIssue(handle: Db, id: number, assigneeId: number | null, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    await requireIssue(tx, id);
    if (assigneeId !== null) {
      const user = await tx.user.findUnique({ where: { id: assigneeId }, select: { active: true } });
      if (!user?.active) throw new NonRetryableError('INVALID', `user ${assigneeId} does not exist or is inactive`);
    }
    const updated = await tx.issue.update({ where: { id }, data: { assigneeId }, omit: { clusterState: true } });
    await appendAudit(tx, {
      ...actor,
      action: 'issue.assign',
      entityType: 'issue',
      entityId: id,
      details: { assigneeId },
    });
    return updated;
  });
}

/**
 * Sets the level and with it the response deadline (from `now`); open responses get the new deadline too.
 * Raising the level records `escalatedAt`.
 */
export async function setIssueLevel(handle: Db, id: number, level: IssueLevel, now: Date, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const issue = await requireIssue(tx, id);
    const { deadlineAt, raised } = levelChange(issue, level, now);
    const updated = await tx.issue.update({
      where: { id },
      data: {
        level,
        deadlineAt,
        lockedFields: withLockedField(issue.lockedFields, 'level'),
        ...(raised ? { escalatedAt: now, flaggedAt: issue.flaggedAt ?? now } : {}),
      },
      omit: { clusterState: true },
    });
    await tx.response.updateMany({ where: { issueId: id, status: { not: 'published' } }, data: { deadlineAt } });
    await appendAudit(tx, {
      ...actor,
      action: 'issue.level',
      entityType: 'issue',
      entityId: id,
      details: { from: issue.level, to: level, deadlineAt: deadlineAt?.toISOString() ?? null },
    });
    return updated;
  });
}

/** Tasks an analyst can correct; each correction becomes a training label. */
export type LabelTask = 'category' | 'sentiment' | 'relevance';

/**
 * Corrects a mention's category, sentiment or relevance: updates the mention and stores an AnalystLabel (the
 * mention's title and body as text) for `yq model retrain`.
 */
export async function labelMention(handle: Db, mentionId: number, task: LabelTask, label: string, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const mention = await tx.mention.findUnique({
      where: { id: mentionId },
      select: { id: true, title: true, body: true, category: true, sentiment: true, relevant: true, issueId: true },
    });
    if (!mention) throw notFound('mention', mentionId);
    const data =
      task === 'category'
        ? { category: label }
        : task === 'sentiment'
          ? { sentiment: label }
          : { relevant: label === 'relevant' };
    const before =
      task === 'category'
        ? mention.category
        : task === 'sentiment'
          ? mention.sentiment
          : mention.relevant === null
            ? null
            : mention.relevant
              ? 'relevant'
              : 'irrelevant';
    await tx.mention.update({ where: { id: mentionId }, data });
    const created = await tx.analystLabel.create({
      data: { mentionId, text: `${mention.title}\n${mention.body}`, task, label, userId: actor.actorId },
    });
    if (mention.issueId !== null && task === 'sentiment') await refreshIssueStats(tx, mention.issueId);
    await appendAudit(tx, {
      ...actor,
      action: 'mention.label',
      entityType: 'mention',
      entityId: mentionId,
      details: { task, from: before, to: label, labelId: created.id },
    });
    return created;
  });
}

/** Corrects the category of an issue itself (and labels each of its mentions for training). */
export async function setIssueCategory(handle: Db, id: number, category: string, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const issue = await requireIssue(tx, id);
    const updated = await tx.issue.update({
      where: { id },
      data: { category, lockedFields: withLockedField(issue.lockedFields, 'category') },
      omit: { clusterState: true },
    });
    await appendAudit(tx, {
      ...actor,
      action: 'issue.category',
      entityType: 'issue',
      entityId: id,
      details: { from: issue.category, to: category },
    });
    return updated;
  });
}
