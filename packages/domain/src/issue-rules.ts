// Issue levels, response deadlines and the triage rules (which state allows confirm, dismiss, merge, split).
// Pure: packages/db applies them inside its transactions; the dashboard and digest read the same constants.
import { NonRetryableError } from '@yuqing/core';

/** Issue levels, lowest first: none < general (一般) < major (较大) < severe (重大). Match the database enum. */
export const ISSUE_LEVELS = ['none', 'general', 'major', 'severe'] as const;
/** An issue's level. */
export type IssueLevel = (typeof ISSUE_LEVELS)[number];

/** Issue states. Match the database enum. */
export const ISSUE_STATUSES = ['new', 'confirmed', 'dismissed', 'responding', 'resolved', 'merged'] as const;
/** An issue's state in triage and response. */
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/** Response deadline per level, in hours (重大 24 h, 较大 48 h, 一般 72 h). */
export const RESPONSE_DEADLINE_HOURS: Record<Exclude<IssueLevel, 'none'>, number> = {
  severe: 24,
  major: 48,
  general: 72,
};

/** Issue states in which nothing more is expected (no deadline, not overdue). */
export const CLOSED_ISSUE_STATUSES: IssueStatus[] = ['dismissed', 'resolved', 'merged'];

/** Order of the levels, for "higher than" comparisons. */
export const ISSUE_LEVEL_RANK: Record<IssueLevel, number> = { none: 0, general: 1, major: 2, severe: 3 };

const HOUR_MS = 3600_000;

/** Deadline for a response to an issue raised to `level` at `from`; null for level none. */
export function deadlineForLevel(level: IssueLevel, from: Date): Date | null {
  if (level === 'none') return null;
  return new Date(from.getTime() + RESPONSE_DEADLINE_HOURS[level] * HOUR_MS);
}

/** True when `status` is closed: no deadline applies and the issue cannot be overdue. */
export function isClosedIssueStatus(status: IssueStatus): boolean {
  return CLOSED_ISSUE_STATUSES.includes(status);
}

/** True when `to` is above `from` (raising a level records the escalation). */
export function isLevelRaised(from: IssueLevel, to: IssueLevel): boolean {
  return ISSUE_LEVEL_RANK[to] > ISSUE_LEVEL_RANK[from];
}

/** The highest of the levels (the level of issues merged together); none for an empty list. */
export function highestLevel(levels: readonly IssueLevel[]): IssueLevel {
  return levels.reduce<IssueLevel>((top, level) => (isLevelRaised(top, level) ? level : top), 'none');
}

/**
 * The level change an analyst makes: the new deadline (a closed issue keeps its own) and whether it is an
 * escalation.
 */
export function levelChange(
  issue: { level: IssueLevel; status: IssueStatus; deadlineAt: Date | null },
  level: IssueLevel,
  now: Date,
): { deadlineAt: Date | null; raised: boolean } {
  return {
    deadlineAt: isClosedIssueStatus(issue.status) ? issue.deadlineAt : deadlineForLevel(level, now),
    raised: isLevelRaised(issue.level, level),
  };
}

/** An issue as the triage rules see it. */
export interface TriagedIssue {
  id: number;
  status: IssueStatus;
}

function conflict(message: string): NonRetryableError {
  return new NonRetryableError('CONFLICT', message);
}

/** What an analyst can do to an issue (button labels: 确认, 排除, 合并, 拆分, 创建回应草稿). */
export const ISSUE_ACTIONS = ['confirm', 'dismiss', 'merge', 'split', 'respond'] as const;
/** One triage or response action on an issue. */
export type IssueAction = (typeof ISSUE_ACTIONS)[number];

/**
 * The one table of which action each state allows. A dismissed issue can only be confirmed again (reopened);
 * resolved and merged issues are closed: nothing to confirm, dismiss, merge into, split or start a response to.
 */
export const ISSUE_ACTIONS_BY_STATUS: Readonly<Record<IssueStatus, readonly IssueAction[]>> = {
  new: ['confirm', 'dismiss', 'merge', 'split', 'respond'],
  confirmed: ['dismiss', 'merge', 'split', 'respond'],
  responding: ['dismiss', 'merge', 'split', 'respond'],
  dismissed: ['confirm'],
  resolved: [],
  merged: [],
};

/** The actions the issue's state allows, in {@link ISSUE_ACTIONS} order (the dashboard shows only these). */
export function allowedIssueActions(issue: { status: IssueStatus }): IssueAction[] {
  return [...ISSUE_ACTIONS_BY_STATUS[issue.status]];
}

/** States an issue can be merged from (into another): any that still holds its own mentions and no resolution. */
const MERGEABLE_FROM: readonly IssueStatus[] = ['new', 'confirmed', 'responding', 'dismissed'];

function assertIssueAllows(issue: TriagedIssue, action: IssueAction, verb: string): void {
  if (!ISSUE_ACTIONS_BY_STATUS[issue.status].includes(action))
    throw conflict(
      `issue ${issue.id} is ${issue.status}; only ${statesAllowing(action).join(' or ')} issues can be ${verb}`,
    );
}

function statesAllowing(action: IssueAction): IssueStatus[] {
  return ISSUE_STATUSES.filter((status) => ISSUE_ACTIONS_BY_STATUS[status].includes(action));
}

/**
 * The caller decided on the state it saw (`expected`): when the issue moved on meanwhile (another analyst
 * acted first), the action is refused with `CONFLICT` instead of silently overriding that decision.
 */
export function assertExpectedStatus(issue: TriagedIssue, expected: IssueStatus | undefined): void {
  if (expected !== undefined && issue.status !== expected)
    throw conflict(`issue ${issue.id} is now ${issue.status} (expected ${expected}); reload and decide again`);
}

/** Only new or dismissed issues can be confirmed; throws `CONFLICT` otherwise. */
export function assertCanConfirm(issue: TriagedIssue): void {
  assertIssueAllows(issue, 'confirm', 'confirmed');
}

/** New, confirmed and responding issues can be dismissed; throws `CONFLICT` otherwise. */
export function assertCanDismiss(issue: TriagedIssue): void {
  assertIssueAllows(issue, 'dismiss', 'dismissed');
}

/** The issues to merge into `targetId`: each named once, the target left out; throws `INVALID` when none is left. */
export function issuesToMerge(targetId: number, sourceIds: readonly number[]): number[] {
  const others = [...new Set(sourceIds)].filter((id) => id !== targetId);
  if (others.length === 0) throw new NonRetryableError('INVALID', 'name at least one other issue to merge');
  return others;
}

/** A merge target must be open (not merged, dismissed or resolved); throws `CONFLICT`. */
export function assertCanMergeInto(target: TriagedIssue): void {
  if (target.status === 'merged') throw conflict(`issue ${target.id} is itself merged`);
  assertIssueAllows(target, 'merge', 'merged into');
}

/** An issue already merged, or resolved, cannot be merged into another; throws `CONFLICT`. */
export function assertCanMergeFrom(issue: TriagedIssue): void {
  if (issue.status === 'merged') throw conflict(`issue ${issue.id} is already merged`);
  if (!MERGEABLE_FROM.includes(issue.status))
    throw conflict(`issue ${issue.id} is ${issue.status} and cannot be merged into another issue`);
}

/** Only open issues (new, confirmed, responding) can be split; throws `CONFLICT`. */
export function assertCanSplitIssue(issue: TriagedIssue): void {
  assertIssueAllows(issue, 'split', 'split');
}

/**
 * A split moves some of an issue's mentions into a new issue: every mention named (`requested`, ids) must
 * belong to it (`owned`: how many do) and at least one must stay (`total`: how many it has). Throws `INVALID`.
 */
export function assertCanSplit(requested: readonly number[], owned: number, total: number): void {
  if (owned === 0 || owned !== new Set(requested).size)
    throw new NonRetryableError('INVALID', 'every mention to split off must belong to the issue');
  if (owned >= total) throw new NonRetryableError('INVALID', 'leave at least one mention in the original issue');
}

/** State and level of the issue a split creates: confirmed (an analyst made it), level still to be set. */
export const SPLIT_ISSUE_DEFAULTS = { status: 'confirmed', level: 'none' } as const satisfies {
  status: IssueStatus;
  level: IssueLevel;
};
