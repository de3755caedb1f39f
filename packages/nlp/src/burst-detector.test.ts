import { analysedMentionFixture } from '@yuqing/testkit';
import { describe, expect, it } from 'vitest';
import { BurstDetector } from './burst-detector.ts';
import { resolveHotIssueOptions } from './hot-issue-config.ts';
import { emptyState, newIssue, type AnalysedMention, type HotIssueState, type IssueState } from './hot-issue-state.ts';
import { addToHotness, issueHotness } from './hotness.ts';

const HOUR = 3600_000;
const START = Date.UTC(2024, 0, 8);
const options = resolveHotIssueOptions();

function mention(time: number, category = 'x'): AnalysedMention {
  return analysedMentionFixture({ id: `m${time}`, time, category });
}

function issueWith(state: HotIssueState, times: number[], category = 'x'): IssueState {
  const issue = newIssue(state, mention(times[0]!, category), times[0]!);
  state.issues.push(issue);
  for (const t of times) {
    issue.mentionCount++;
    issue.lastSeen = Math.max(issue.lastSeen, t);
    issue.categoryCounts[category] = (issue.categoryCounts[category] ?? 0) + 1;
    addToHotness(issue, mention(t, category), t, options);
  }
  return issue;
}

describe('BurstDetector', () => {
  it('starts the first window at the clock, and jumps over a long idle gap', () => {
    const state = emptyState();
    const bursts = new BurstDetector(options, state, -Infinity);
    expect(bursts.closeWindowsUntil(START + 30 * 60_000)).toEqual([]);
    expect(state.windowStart).toBe(START);
    bursts.closeWindowsUntil(START + 200 * HOUR + 10 * 60_000);
    expect(state.windowStart).toBe(START + 200 * HOUR);
  });

  it('lets ordinary active issues set their category baseline, not flagged ones', () => {
    const state = emptyState();
    const bursts = new BurstDetector(options, state, -Infinity);
    bursts.closeWindowsUntil(START);
    const ordinary = issueWith(state, [START + 10 * 60_000, START + 20 * 60_000]);
    const flagged = issueWith(state, [START + 15 * 60_000], 'y');
    flagged.level = '一般';
    bursts.touch(ordinary);
    bursts.touch(flagged);
    bursts.closeWindowsUntil(START + HOUR);
    expect(state.baselines.x).toEqual({ mean: issueHotness(ordinary, START + HOUR, options), windows: 1 });
    expect(state.baselines.y).toBeUndefined();
    expect(ordinary.history).toEqual([
      { at: START + HOUR, hotness: Math.round(issueHotness(ordinary, START + HOUR, options) * 100) / 100, velocity: 2 },
    ]);
  });

  it('flags an issue past a level once, and again only at a higher level', () => {
    const state = emptyState();
    const bursts = new BurstDetector(options, state, -Infinity);
    const times = Array.from({ length: 8 }, (_, i) => START + i * 60_000);
    const issue = issueWith(state, times);
    const now = times.at(-1)!;
    const hotness = issueHotness(issue, now, options);
    expect(hotness / options.baselineFloor).toBeGreaterThan(options.levels[0]!.minRatio);
    const [event] = bursts.checkThresholds(issue, now);
    expect(event).toMatchObject({
      type: 'flagged',
      level: '一般',
      previousLevel: null,
      reason: 'threshold',
      issueId: issue.id,
      category: 'x',
    });
    expect(issue.flaggedAt).toBe(now);
    expect(bursts.checkThresholds(issue, now)).toEqual([]);
    // Too few mentions in the window for 较大, however hot.
    issue.decayedScore *= 100;
    expect(bursts.checkThresholds(issue, now)).toEqual([]);
  });

  it('escalates a flagged issue that keeps growing, window after window', () => {
    const state = emptyState();
    state.windowStart = START;
    const issue = issueWith(state, [START + 60_000]);
    issue.level = '一般';
    // A detector resumed over a state follows the flagged issues seen within the content window.
    const resumed = new BurstDetector(options, state, issue.lastSeen);
    const events = [];
    for (let w = 1; w <= options.escalateAfterGrowingWindows; w++) {
      for (let i = 0; i < 10 * w; i++) {
        const t = START + (w - 1) * HOUR + 60_000 + i * 60_000;
        issue.mentionCount++;
        issue.lastSeen = t;
        addToHotness(issue, mention(t), t, options);
      }
      events.push(...resumed.closeWindowsUntil(START + w * HOUR));
    }
    expect(events).toMatchObject([{ type: 'escalated', level: '较大', previousLevel: '一般', reason: 'growth' }]);
    expect(issue.level).toBe('较大');
  });

  it('flags a burst spread over hours through the slow window, which the 1 h window alone misses', () => {
    // Two posts every 40 minutes for four hours: never more than three in one hour, eleven in six hours.
    const times = Array.from({ length: 11 }, (_, i) => START + i * 20 * 60_000 + (i % 2) * 60_000);
    const now = times.at(-1)!;
    const slowOff = resolveHotIssueOptions({
      levels: options.levels.map((level) => ({ ...level, minSlowMentions: Infinity })),
    });
    for (const [opts, expected] of [
      [options, '一般'],
      [slowOff, undefined],
    ] as const) {
      const state = emptyState();
      const issue = issueWith(state, times);
      const bursts = new BurstDetector(opts, state, -Infinity);
      expect(issue.recentTimes.filter((t) => t > now - HOUR).length).toBeLessThan(opts.levels[0]!.minMentions);
      expect(issueHotness(issue, now, opts) / opts.baselineFloor).toBeGreaterThan(opts.levels[0]!.minRatio);
      expect(bursts.checkThresholds(issue, now)[0]?.level).toBe(expected);
    }
  });
});
