import { analysedMentionFixture } from '@yuqing/testkit';
import { describe, expect, it } from 'vitest';
import {
  HOT_ISSUE_STATE_VERSION,
  MAX_HISTORY_POINTS,
  MAX_SIMHASHES_PER_ISSUE,
  emptyState,
  newIssue,
  readState,
  snapshotState,
  type HotIssueState,
} from './hot-issue-state.ts';

function stateWithIssue(): HotIssueState {
  const state = emptyState();
  const issue = newIssue(state, analysedMentionFixture({ id: 'm', time: 5, title: 't', source: 'x' }), 5);
  state.issues.push(issue);
  return state;
}

describe('hot issue state', () => {
  it('numbers new issues from the state', () => {
    const state = emptyState();
    state.nextIssueNumber = 41;
    const issue = newIssue(state, analysedMentionFixture({ id: 'm', time: 5, title: 'title', source: 'x' }), 7);
    expect(issue).toMatchObject({
      id: 'I000041',
      title: 'title',
      firstSeen: 5,
      lastSeen: 5,
      hotnessAt: 7,
      mentionCount: 0,
      level: null,
    });
    expect(state.nextIssueNumber).toBe(42);
  });

  it('snapshots a deep copy with the strongest keywords and rounded scores', () => {
    const state = stateWithIssue();
    const issue = state.issues[0]!;
    issue.terms = { a: 0.123456789, b: 0.5, c: 0.01 };
    issue.decayedScore = 1 / 3;
    issue.recentTimes.push(1);
    const copy = snapshotState(state, 2);
    expect(copy.issues[0]!.terms).toEqual({ a: 0.1235, b: 0.5 });
    expect(copy.issues[0]!.decayedScore).toBe(0.3333);
    copy.issues[0]!.recentTimes.push(2);
    copy.baselines.x = { mean: 1, windows: 1 };
    expect(issue.recentTimes).toEqual([1]);
    expect(state.baselines).toEqual({});
    expect(issue.decayedScore).toBe(1 / 3);
  });

  it('reads the current format as is, upgrades version 1 and resets anything else', () => {
    const current = stateWithIssue();
    expect(readState(current)).toEqual({ state: current, from: 'state' });
    const v1 = JSON.parse(JSON.stringify(stateWithIssue())) as Record<string, unknown> & {
      issues: Record<string, unknown>[];
    };
    v1.formatVersion = 1;
    Object.assign(v1.issues[0]!, {
      mentionIds: ['a', 'b'],
      recentTimes: [3, 1, 2],
      simhashes: [...Array.from({ length: MAX_SIMHASHES_PER_ISSUE + 5 }, (_, i) => `h${i}`), 'h0'],
      history: Array.from({ length: MAX_HISTORY_POINTS + 3 }, (_, i) => ({ at: i, hotness: 1, velocity: 1 })),
    });
    delete v1.issues[0]!.mentionCount;
    delete v1.issues[0]!.titleScore;
    const upgraded = readState(v1);
    expect(upgraded.from).toBe('upgraded');
    expect(upgraded.state.formatVersion).toBe(HOT_ISSUE_STATE_VERSION);
    const issue = upgraded.state.issues[0]!;
    expect(issue).toMatchObject({ mentionCount: 2, titleScore: 0, recentTimes: [1, 2, 3] });
    expect(issue.simhashes).toHaveLength(MAX_SIMHASHES_PER_ISSUE);
    expect(new Set(issue.simhashes).size).toBe(MAX_SIMHASHES_PER_ISSUE);
    expect(issue.history).toHaveLength(MAX_HISTORY_POINTS);
    expect(issue.history[0]!.at).toBe(3);
    for (const junk of [
      undefined,
      null,
      'x',
      { formatVersion: 3, issues: [] },
      { formatVersion: HOT_ISSUE_STATE_VERSION },
    ]) {
      expect(readState(junk)).toEqual({ state: emptyState(), from: 'reset' });
    }
  });
});
