// What an analyst decided about an issue stays decided: fields set by hand are locked against clustering, a
// resolved issue reopens only on a new burst, and a confirmed issue always has a level (and with it a deadline).
// Pure: the pipeline and packages/db apply these rules.
import { deadlineForLevel, type IssueLevel, type IssueStatus } from './issue-rules.ts';

/** Issue fields an analyst can set by hand; once set, clustering keeps them. */
export const LOCKABLE_ISSUE_FIELDS = ['title', 'category', 'level'] as const;
/** A field an analyst set by hand. */
export type LockableIssueField = (typeof LOCKABLE_ISSUE_FIELDS)[number];

/** `locked` with `field` added (each field once, in a stable order). */
export function withLockedField(locked: readonly string[], field: LockableIssueField): string[] {
  return LOCKABLE_ISSUE_FIELDS.filter((f) => f === field || locked.includes(f));
}

/** True when an analyst set `field` by hand. */
export function isFieldLocked(locked: readonly string[], field: LockableIssueField): boolean {
  return locked.includes(field);
}

/** Level given to a confirmed or reopened issue that has none yet, so it gets a deadline (一般, 72 h). */
export const DEFAULT_CONFIRM_LEVEL: Exclude<IssueLevel, 'none'> = 'general';

/**
 * The level an issue is confirmed at: the analyst's choice, else the level clustering suggested, else
 * {@link DEFAULT_CONFIRM_LEVEL}. Never `none`: every confirmed issue has a deadline.
 */
export function confirmationLevel(suggested: IssueLevel, chosen?: IssueLevel): Exclude<IssueLevel, 'none'> {
  if (chosen && chosen !== 'none') return chosen;
  return suggested === 'none' ? DEFAULT_CONFIRM_LEVEL : suggested;
}

/**
 * What confirming an issue sets: its level ({@link confirmationLevel}), the deadline (kept when the level stays
 * and one is running, else from `now`) and whether the level counts as set by hand (the analyst chose another
 * level than the suggested one: clustering keeps it from then on; a confirmed suggestion may still escalate).
 */
export function confirmation(
  issue: { level: IssueLevel; deadlineAt: Date | null },
  now: Date,
  chosen?: IssueLevel,
): { level: Exclude<IssueLevel, 'none'>; deadlineAt: Date; lockLevel: boolean } {
  const level = confirmationLevel(issue.level, chosen);
  const deadlineAt = level === issue.level && issue.deadlineAt ? issue.deadlineAt : deadlineForLevel(level, now)!;
  return { level, deadlineAt, lockLevel: chosen !== undefined && chosen !== issue.level };
}

/** An issue as the flag rule sees it. */
export interface FlaggedIssue {
  status: IssueStatus;
  level: IssueLevel;
  lockedFields: readonly string[];
  resolvedAt: Date | null;
}

/**
 * A burst clustering detected: the level it reached and when. For a resolved issue, clustering counts only the
 * mentions after the resolution (the response closed the earlier burst), so a burst detected after it is new.
 */
export interface DetectedBurst {
  level: Exclude<IssueLevel, 'none'>;
  at: Date;
}

/** What a detected burst does to an issue. */
export type FlagOutcome =
  | { action: 'flag'; level: Exclude<IssueLevel, 'none'> }
  | { action: 'reopen'; level: Exclude<IssueLevel, 'none'> }
  | { action: 'ignore'; why: 'resolved-before-burst' | 'level-locked' | 'merged' };

/**
 * What a burst clustering detected does to an issue:
 * - a resolved issue reopens (back to new, with a deadline) only on a burst detected after the resolution;
 *   anything else about it (mentions trickling in, a burst that was already there) changes nothing;
 * - a level an analyst set by hand stays (no flag), except that a reopened issue keeps that level;
 * - a merged issue is never flagged itself (its mentions go to the issue it was merged into);
 * - otherwise the issue is flagged at the burst's level.
 */
export function flagOutcome(issue: FlaggedIssue, burst: DetectedBurst): FlagOutcome {
  const levelLocked = isFieldLocked(issue.lockedFields, 'level');
  if (issue.status === 'merged') return { action: 'ignore', why: 'merged' };
  if (issue.status === 'resolved') {
    if (!issue.resolvedAt || burst.at <= issue.resolvedAt) return { action: 'ignore', why: 'resolved-before-burst' };
    return { action: 'reopen', level: levelLocked ? confirmationLevel(issue.level) : burst.level };
  }
  if (levelLocked) return { action: 'ignore', why: 'level-locked' };
  return { action: 'flag', level: burst.level };
}

/** An issue as the automatic fold rule sees it ({@link peopleActedOn}). */
export interface FoldableIssue {
  status: IssueStatus;
  level: IssueLevel;
  flaggedAt: Date | null;
  lockedFields: readonly string[];
  assigneeId: number | null;
  rumourMarkedAt: Date | null;
}

/**
 * True when people have acted on an issue or been told of it: an analyst moved it on from 新 (confirmed, dismissed,
 * responding, resolved, merged), set a field by hand, assigned it, marked it a rumour, or it was flagged (an alert
 * named it). Clustering never folds such an issue into another on its own (it may fold a fragment into it): an
 * analyst's decision is data, and nothing automatic overwrites it.
 */
export function peopleActedOn(issue: FoldableIssue): boolean {
  return (
    issue.status !== 'new' ||
    issue.lockedFields.length > 0 ||
    issue.level !== 'none' ||
    issue.flaggedAt !== null ||
    issue.assigneeId !== null ||
    issue.rumourMarkedAt !== null
  );
}
