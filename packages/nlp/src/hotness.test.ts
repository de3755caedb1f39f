import { analysedMentionFixture } from '@yuqing/testkit';
import { describe, expect, it } from 'vitest';
import { resolveHotIssueOptions } from './hot-issue-config.ts';
import { emptyState, newIssue, type AnalysedMention } from './hot-issue-state.ts';
import { addToHotness, countAfter, hotListRankBonus, issueHotness, mentionScore } from './hotness.ts';

const HOUR = 3600_000;
const options = resolveHotIssueOptions();

function mention(time: number, extra: Partial<AnalysedMention> = {}): AnalysedMention {
  return analysedMentionFixture({ id: `m${time}`, time, ...extra });
}

describe('hotness', () => {
  it('countAfter counts the sorted times strictly after a time', () => {
    const times = [1, 2, 2, 5, 9];
    for (const after of [0, 1, 2, 3, 9, 10])
      expect(countAfter(times, after)).toBe(times.filter((t) => t > after).length);
    expect(countAfter([], 0)).toBe(0);
  });

  it('scores engagement, negativity and source weight upwards', () => {
    const plain = mentionScore(mention(0), options);
    expect(plain).toBe(1);
    expect(mentionScore(mention(0, { likes: 10 }), options)).toBeGreaterThan(plain);
    expect(mentionScore(mention(0, { reposts: 10 }), options)).toBeGreaterThan(
      mentionScore(mention(0, { likes: 10 }), options),
    );
    expect(mentionScore(mention(0, { negativity: 1 }), options)).toBe(plain * (1 + options.negativityWeight));
    expect(mentionScore(mention(0, { source: 'news' }), options)).toBe(options.sourceWeights.news);
    expect(mentionScore(mention(0, { likes: -5 }), options)).toBe(plain);
  });

  it('gives a hot-list entry a bonus that grows as its rank gets better, none past rank 50', () => {
    expect(hotListRankBonus(1)).toBe(2);
    expect(hotListRankBonus(10)).toBeCloseTo(0.829, 3);
    expect(hotListRankBonus(50)).toBeCloseTo(0.01, 2);
    for (const rank of [0, 51, undefined, null, Number.NaN]) expect(hotListRankBonus(rank)).toBe(0);
    for (let rank = 1; rank < 50; rank++) expect(hotListRankBonus(rank)).toBeGreaterThan(hotListRankBonus(rank + 1));
    const plain = mentionScore(mention(0), options);
    expect(mentionScore(mention(0, { hotRank: 1 }), options)).toBe(plain * 3);
    expect(mentionScore(mention(0, { hotRank: 14 }), options)).toBeCloseTo(plain * (1 + hotListRankBonus(14)), 10);
    expect(mentionScore(mention(0, { hotRank: 80 }), options)).toBe(plain);
  });

  it('decays by half per half-life, keeps recent times sorted and drops old ones', () => {
    const start = 100 * HOUR;
    const issue = newIssue(emptyState(), mention(start), start);
    for (const t of [start, start + 10 * 60_000, start + 5 * 60_000]) {
      issue.mentionCount++;
      addToHotness(issue, mention(t), start + 10 * 60_000, options);
    }
    expect(issue.recentTimes).toEqual([start, start + 5 * 60_000, start + 10 * 60_000]);
    const now = issue.hotnessAt;
    expect(issue.peakHotness).toBeCloseTo(issueHotness(issue, now, options), 9);
    // Past the window and the half-life nothing is recent: only the decay is left.
    const later = now + options.hotnessHalfLifeMs + options.windowMs;
    expect(
      issueHotness(issue, later + options.hotnessHalfLifeMs, options) / issueHotness(issue, later, options),
    ).toBeCloseTo(0.5, 9);
    issue.mentionCount++;
    addToHotness(issue, mention(later), later, options);
    expect(issue.recentTimes).toEqual([later]);
    expect(issue.peakHotness).toBeGreaterThanOrEqual(issueHotness(issue, later, options));
  });
});
