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

/** A mention's contribution: source weight × (1 + ln(1 + likes + 2·comments + 3·reposts)) × (1 + negativityWeight × negativity). */
export function mentionScore(m: AnalysedMention, options: HotIssueOptions): number {
  const source = options.sourceWeights[m.source] ?? 1;
  const engagement = Math.log(1 + Math.max(0, m.likes) + 2 * Math.max(0, m.comments) + 3 * Math.max(0, m.reposts));
  return source * (1 + engagement) * (1 + options.negativityWeight * Math.min(1, Math.max(0, m.negativity)));
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
