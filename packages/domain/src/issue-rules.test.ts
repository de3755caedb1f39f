import { describe, expect, it } from 'vitest';
import { YuqingError } from '@yuqing/core';
import {
  assertCanConfirm,
  assertCanDismiss,
  assertCanMergeFrom,
  assertCanMergeInto,
  assertCanSplit,
  assertCanSplitIssue,
  assertExpectedStatus,
  allowedIssueActions,
  ISSUE_ACTIONS_BY_STATUS,
  CLOSED_ISSUE_STATUSES,
  deadlineForLevel,
  highestLevel,
  isClosedIssueStatus,
  isLevelRaised,
  issuesToMerge,
  ISSUE_STATUSES,
  levelChange,
  type IssueStatus,
} from './issue-rules.ts';

/** The code and message a rule throws, for comparing with what the API reports. */
function failure(fn: () => void): { code: string; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof YuqingError)) throw error;
    expect(error.retryable).toBe(false);
    return { code: error.code, message: error.message };
  }
}

const from = new Date('2026-11-27T08:00:00Z');

describe('levels and deadlines', () => {
  it('gives severe 24 h, major 48 h, general 72 h and none no deadline', () => {
    expect(deadlineForLevel('severe', from)?.toISOString()).toBe('2026-11-28T08:00:00.000Z');
    expect(deadlineForLevel('major', from)?.toISOString()).toBe('2026-11-29T08:00:00.000Z');
    expect(deadlineForLevel('general', from)?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(deadlineForLevel('none', from)).toBeNull();
  });

  it('ranks levels: raising is strictly upwards, a merge keeps the highest', () => {
    expect(isLevelRaised('general', 'major')).toBe(true);
    expect(isLevelRaised('major', 'major')).toBe(false);
    expect(isLevelRaised('severe', 'none')).toBe(false);
    expect(highestLevel(['general', 'severe', 'major'])).toBe('severe');
    expect(highestLevel(['none'])).toBe('none');
    expect(highestLevel([])).toBe('none');
  });

  it('treats dismissed, resolved and merged as closed', () => {
    expect(ISSUE_STATUSES.filter(isClosedIssueStatus)).toEqual(['dismissed', 'resolved', 'merged']);
    expect([...CLOSED_ISSUE_STATUSES].sort()).toEqual(['dismissed', 'merged', 'resolved']);
  });

  it('sets a new deadline from now unless the issue is closed, and flags escalations', () => {
    const old = new Date('2026-11-01T00:00:00Z');
    expect(levelChange({ level: 'general', status: 'confirmed', deadlineAt: old }, 'severe', from)).toEqual({
      deadlineAt: new Date('2026-11-28T08:00:00Z'),
      raised: true,
    });
    expect(levelChange({ level: 'severe', status: 'responding', deadlineAt: old }, 'none', from)).toEqual({
      deadlineAt: null,
      raised: false,
    });
    expect(levelChange({ level: 'general', status: 'resolved', deadlineAt: old }, 'major', from)).toEqual({
      deadlineAt: old,
      raised: true,
    });
  });
});

describe('triage', () => {
  const issue = (status: IssueStatus) => ({ id: 7, status });

  it('confirms only new or dismissed issues', () => {
    expect(ISSUE_STATUSES.filter((s) => failure(() => assertCanConfirm(issue(s))) === undefined)).toEqual([
      'new',
      'dismissed',
    ]);
    expect(failure(() => assertCanConfirm(issue('resolved')))).toEqual({
      code: 'CONFLICT',
      message: 'issue 7 is resolved; only new or dismissed issues can be confirmed',
    });
  });

  it('dismisses only open issues (not dismissed twice, not resolved or merged ones)', () => {
    expect(ISSUE_STATUSES.filter((s) => failure(() => assertCanDismiss(issue(s))) === undefined)).toEqual([
      'new',
      'confirmed',
      'responding',
    ]);
    expect(failure(() => assertCanDismiss(issue('merged')))).toEqual({
      code: 'CONFLICT',
      message: 'issue 7 is merged; only new or confirmed or responding issues can be dismissed',
    });
  });

  it('offers each state only its actions: resolved and merged issues none, dismissed ones only to confirm again', () => {
    expect(Object.fromEntries(ISSUE_STATUSES.map((s) => [s, allowedIssueActions({ status: s })]))).toEqual({
      new: ['confirm', 'dismiss', 'merge', 'split', 'respond'],
      confirmed: ['dismiss', 'merge', 'split', 'respond'],
      dismissed: ['confirm'],
      responding: ['dismiss', 'merge', 'split', 'respond'],
      resolved: [],
      merged: [],
    });
    // The table and the assertions the repository applies agree state by state.
    const passes = (rule: (i: { id: number; status: IssueStatus }) => void) =>
      ISSUE_STATUSES.filter((s) => failure(() => rule(issue(s))) === undefined);
    expect(passes(assertCanConfirm)).toEqual(
      ISSUE_STATUSES.filter((s) => ISSUE_ACTIONS_BY_STATUS[s].includes('confirm')),
    );
    expect(passes(assertCanSplitIssue)).toEqual(
      ISSUE_STATUSES.filter((s) => ISSUE_ACTIONS_BY_STATUS[s].includes('split')),
    );
    expect(passes(assertCanMergeInto)).toEqual(
      ISSUE_STATUSES.filter((s) => ISSUE_ACTIONS_BY_STATUS[s].includes('merge')),
    );
  });

  it('refuses a decision taken on a state that has moved on', () => {
    expect(failure(() => assertExpectedStatus({ id: 7, status: 'new' }, 'new'))).toBeUndefined();
    expect(failure(() => assertExpectedStatus({ id: 7, status: 'dismissed' }, undefined))).toBeUndefined();
    expect(failure(() => assertExpectedStatus({ id: 7, status: 'confirmed' }, 'new'))).toEqual({
      code: 'CONFLICT',
      message: 'issue 7 is now confirmed (expected new); reload and decide again',
    });
  });

  it('merges other issues, each once, into a target that is not merged itself', () => {
    expect(issuesToMerge(1, [2, 3, 2, 1])).toEqual([2, 3]);
    expect(failure(() => issuesToMerge(1, [1, 1]))).toEqual({
      code: 'INVALID',
      message: 'name at least one other issue to merge',
    });
    expect(failure(() => assertCanMergeInto(issue('merged')))).toEqual({
      code: 'CONFLICT',
      message: 'issue 7 is itself merged',
    });
    expect(failure(() => assertCanMergeFrom(issue('merged')))).toEqual({
      code: 'CONFLICT',
      message: 'issue 7 is already merged',
    });
    expect(failure(() => assertCanMergeInto(issue('resolved')))).toEqual({
      code: 'CONFLICT',
      message: 'issue 7 is resolved; only new or confirmed or responding issues can be merged into',
    });
    expect(failure(() => assertCanMergeFrom(issue('resolved')))).toEqual({
      code: 'CONFLICT',
      message: 'issue 7 is resolved and cannot be merged into another issue',
    });
    expect(failure(() => assertCanMergeFrom(issue('dismissed')))).toBeUndefined();
  });

  it('splits off only mentions of the issue and leaves at least one behind', () => {
    expect(failure(() => assertCanSplit([1, 2], 2, 5))).toBeUndefined();
    expect(failure(() => assertCanSplit([1, 2, 2], 2, 5))).toBeUndefined();
    expect(failure(() => assertCanSplit([1, 9], 1, 5))).toEqual({
      code: 'INVALID',
      message: 'every mention to split off must belong to the issue',
    });
    expect(failure(() => assertCanSplit([9], 0, 5))).toEqual({
      code: 'INVALID',
      message: 'every mention to split off must belong to the issue',
    });
    expect(failure(() => assertCanSplit([1, 2], 2, 2))).toEqual({
      code: 'INVALID',
      message: 'leave at least one mention in the original issue',
    });
  });
});
