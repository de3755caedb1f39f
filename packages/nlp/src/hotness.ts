import type { HotIssueOptions } from './hot-issue-config.ts';
import type { AnalysedMention, IssueState } from './hot-issue-state.ts';

/**
 * Hotness of an issue: exponentially decayed sum of mention scores × (1 + ½ × share of recent mentions in the
 * last window), so volume, engagement, negativity, source weight and velocity make one number.
 */

/** Count of sorted `times` greater than `after`. */
export function countAfter(times: readonly number[], after: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > after) hi = mid;
    else lo = mid + 1;
  }
  return times.length - lo;
}

/** The bonus of a hot list's top entry (rank 1): its score counts 1 + 2 = 3 times. */
export const HOTLIST_RANK_BONUS_MAX = 2;
/** Ranks past this one earn no bonus (the lists hold 30 to 50 entries). */
export const HOTLIST_RANK_DEPTH = 50;

/**
 * The hot-list bonus of a mention that is a platform hot-list entry at `rank` (1 = top):
 * HOTLIST_RANK_BONUS_MAX × (1 − ln(rank) / ln(HOTLIST_RANK_DEPTH + 1)), so 2 at rank 1, 1.18 at rank 5, 0.83 at
 * rank 10, 0.27 at rank 30, 0.01 at rank 50 and 0 past it (or without a rank). Logarithmic because the top of a list
 * is where attention is: moving from 10th to 1st matters far more than from 50th to 41st.
 */
export function hotListRankBonus(rank: number | null | undefined): number {
  if (rank === null || rank === undefined || !Number.isFinite(rank) || rank < 1 || rank > HOTLIST_RANK_DEPTH) return 0;
  return HOTLIST_RANK_BONUS_MAX * (1 - Math.log(rank) / Math.log(HOTLIST_RANK_DEPTH + 1));
}

/**
 * A mention's contribution: source weight × (1 + ln(1 + likes + 2·comments + 3·reposts)) × (1 + negativityWeight ×
 * negativity) × (1 + hot-list rank bonus, see {@link hotListRankBonus}).
 */
export function mentionScore(m: AnalysedMention, options: HotIssueOptions): number {
  const source = options.sourceWeights[m.source] ?? 1;
  const engagement = Math.log(1 + Math.max(0, m.likes) + 2 * Math.max(0, m.comments) + 3 * Math.max(0, m.reposts));
  return (
    source *
    (1 + engagement) *
    (1 + options.negativityWeight * Math.min(1, Math.max(0, m.negativity))) *
    (1 + hotListRankBonus(m.hotRank))
  );
}

/** Hotness of an issue at `now`. */
export function issueHotness(issue: IssueState, now: number, options: HotIssueOptions): number {
  const decayed = issue.decayedScore * Math.pow(2, -(now - issue.hotnessAt) / options.hotnessHalfLifeMs);
  const recent = countAfter(issue.recentTimes, now - options.windowMs);
  const volume = countAfter(issue.recentTimes, now - options.hotnessHalfLifeMs);
  const velocityShare = issue.mentionCount > 0 ? Math.min(1, recent / Math.max(1, volume)) : 0;
  return decayed * (1 + 0.5 * velocityShare);
}

/**
 * Adds a mention (already counted in `issue.mentionCount`) to the issue's decayed score and recent times, and
 * raises its peak hotness.
 */
export function addToHotness(issue: IssueState, m: AnalysedMention, now: number, options: HotIssueOptions): void {
  issue.decayedScore =
    issue.decayedScore * Math.pow(2, -(now - issue.hotnessAt) / options.hotnessHalfLifeMs) + mentionScore(m, options);
  issue.hotnessAt = now;
  const times = issue.recentTimes;
  let at = times.length;
  while (at > 0 && times[at - 1]! > m.time) at--;
  times.splice(at, 0, m.time);
  // Times older than the burst windows and the half-life count in neither hotness nor the burst tests.
  const horizon = now - Math.max(options.windowMs, options.slowWindowMs, options.hotnessHalfLifeMs);
  let drop = 0;
  while (drop < times.length && times[drop]! <= horizon) drop++;
  if (drop > 0) times.splice(0, drop);
  issue.peakHotness = Math.max(issue.peakHotness, issueHotness(issue, now, options));
}
