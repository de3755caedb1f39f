import { ALERT_LEVELS, type AlertLevel, type HotIssueOptions } from './hot-issue-config.ts';
import { MAX_HISTORY_POINTS, type HotIssueState, type IssueState } from './hot-issue-state.ts';
import { countAfter, issueHotness } from './hotness.ts';
import { majority } from './term-vector.ts';

/** What the dashboard and the digest are told: an issue crossed a level, or kept growing into a higher one. */
export interface HotIssueEvent {
  type: 'flagged' | 'escalated';
  issueId: string;
  title: string;
  category: string;
  level: AlertLevel;
  previousLevel: AlertLevel | null;
  /** ISO time from the engine's clock. */
  at: string;
  hotness: number;
  ratio: number;
  reason: 'threshold' | 'growth';
}

/** Largest gap closed window by window; longer idle gaps are skipped in one step. */
const MAX_WINDOWS_CLOSED_AT_ONCE = 48;

/** Category of an issue: the one an analyst set, else the most common category of its mentions. */
export function issueCategory(issue: IssueState): string {
  return issue.fixed?.category ?? majority(issue.categoryCounts);
}

/**
 * Burst detection over the engine state: hotness / the category's baseline (smoothed hotness of an ordinary
 * active issue) against the level thresholds (一般, 较大, 重大), plus a minimum of mentions in the window; a flagged
 * issue that keeps growing window after window escalates one level. Owns the state's `windowStart` and `baselines`
 * and the issues' levels and history points.
 */
export class BurstDetector {
  /** Issues that received a mention since the last window closed. */
  private readonly touched = new Set<IssueState>();
  /** Flagged issues still within the content window of their last mention (growth test). */
  private readonly flagged = new Set<IssueState>();

  /** `latest`: the latest mention time of the state; flagged issues silent since before its content window stay out. */
  constructor(
    private readonly options: HotIssueOptions,
    private readonly state: HotIssueState,
    latest: number,
  ) {
    for (const issue of state.issues) {
      if (issue.level !== null && issue.lastSeen >= latest - options.clusterWindowMs) this.flagged.add(issue);
      // Issues that got mentions in the open window are visited when it closes (history, baseline, growth), as
      // they would have been without a save in between: a worker's batch boundaries must not change the result.
      if (state.windowStart !== null && issue.lastSeen >= state.windowStart) this.touched.add(issue);
    }
  }

  /** Records that an issue got a mention in the current window. */
  touch(issue: IssueState): void {
    this.touched.add(issue);
  }

  /** Stops following an issue's growth (it left the engine's indexes). */
  forget(issue: IssueState): void {
    this.flagged.delete(issue);
  }

  /** Drops an issue entirely (folded into a sibling, which carries its mentions on). */
  drop(issue: IssueState): void {
    this.flagged.delete(issue);
    this.touched.delete(issue);
  }

  /** Closes every window that ended at or before `now`. */
  closeWindowsUntil(now: number): HotIssueEvent[] {
    const { windowMs } = this.options;
    if (this.state.windowStart === null) {
      this.state.windowStart = Math.floor(now / windowMs) * windowMs;
      return [];
    }
    const events: HotIssueEvent[] = [];
    let start = this.state.windowStart;
    let closed = 0;
    while (now >= start + windowMs) {
      const end: number = start + windowMs;
      if (closed < MAX_WINDOWS_CLOSED_AT_ONCE) events.push(...this.closeWindow(end));
      closed++;
      start = closed >= MAX_WINDOWS_CLOSED_AT_ONCE ? Math.floor(now / windowMs) * windowMs : end;
    }
    this.state.windowStart = start;
    return events;
  }

  /** Flags an issue, or raises its level, when it passes a higher level's thresholds at `now`. */
  checkThresholds(issue: IssueState, now: number): HotIssueEvent[] {
    const hotness = issueHotness(issue, now, this.options);
    const ratio = hotness / this.baseline(issueCategory(issue));
    const inWindow = countAfter(issue.recentTimes, now - this.options.windowMs);
    const inSlowWindow = countAfter(issue.recentTimes, now - this.options.slowWindowMs);
    let reached: AlertLevel | null = null;
    for (const threshold of this.options.levels) {
      const enough = inWindow >= threshold.minMentions || inSlowWindow >= threshold.minSlowMentions;
      if (ratio >= threshold.minRatio && enough) reached = threshold.level;
    }
    if (reached === null) return [];
    const previous = issue.level;
    if (previous !== null && ALERT_LEVELS.indexOf(reached) <= ALERT_LEVELS.indexOf(previous)) return [];
    issue.level = reached;
    if (issue.flaggedAt === null) issue.flaggedAt = now;
    issue.lastWindowHotness = hotness;
    issue.growingWindows = 0;
    this.flagged.add(issue);
    return [this.event(issue, reached, previous, now, hotness, 'threshold')];
  }

  private baseline(category: string): number {
    const b = this.state.baselines[category];
    return Math.max(this.options.baselineFloor, b?.mean ?? 0);
  }

  private event(
    issue: IssueState,
    level: AlertLevel,
    previous: AlertLevel | null,
    now: number,
    hotness: number,
    reason: HotIssueEvent['reason'],
  ): HotIssueEvent {
    return {
      type: previous === null ? 'flagged' : 'escalated',
      issueId: issue.id,
      title: issue.title,
      category: issueCategory(issue),
      level,
      previousLevel: previous,
      at: new Date(now).toISOString(),
      hotness: Math.round(hotness * 100) / 100,
      ratio: Math.round((hotness / this.baseline(issueCategory(issue))) * 100) / 100,
      reason,
    };
  }

  /**
   * Closes one window. Only issues with mentions since the last close (the window's active ones) and flagged
   * issues (growth test) are visited: an issue that got no mention has no history point and no say in the
   * baseline, so the cost follows the traffic, not the number of issues held.
   */
  private closeWindow(end: number): HotIssueEvent[] {
    const events: HotIssueEvent[] = [];
    const perCategory = new Map<string, { sum: number; count: number }>();
    const visit = new Set<IssueState>(this.touched);
    for (const issue of this.flagged) visit.add(issue);
    this.touched.clear();
    for (const issue of visit) {
      if (end - issue.lastSeen > this.options.clusterWindowMs) {
        this.flagged.delete(issue);
        continue;
      }
      const hotness = issueHotness(issue, end, this.options);
      const velocity = countAfter(issue.recentTimes, end - this.options.windowMs) - countAfter(issue.recentTimes, end);
      if (velocity > 0) {
        issue.history.push({ at: end, hotness: Math.round(hotness * 100) / 100, velocity });
        if (issue.history.length > MAX_HISTORY_POINTS)
          issue.history.splice(0, issue.history.length - MAX_HISTORY_POINTS);
      }
      if (issue.level === null) {
        // Only ordinary issues that were active in this window shape the baseline, so a burst cannot raise its own bar.
        if (velocity > 0) {
          const category = issueCategory(issue);
          const acc = perCategory.get(category) ?? { sum: 0, count: 0 };
          acc.sum += hotness;
          acc.count++;
          perCategory.set(category, acc);
        }
        continue;
      }
      const growing = hotness >= issue.lastWindowHotness * this.options.growthFactor && velocity > 0;
      issue.growingWindows = growing ? issue.growingWindows + 1 : 0;
      issue.lastWindowHotness = hotness;
      const index = ALERT_LEVELS.indexOf(issue.level);
      if (issue.growingWindows >= this.options.escalateAfterGrowingWindows && index < ALERT_LEVELS.length - 1) {
        const previous = issue.level;
        issue.level = ALERT_LEVELS[index + 1]!;
        issue.growingWindows = 0;
        events.push(this.event(issue, issue.level, previous, end, hotness, 'growth'));
      }
    }
    const alpha = this.options.baselineAlpha;
    for (const [category, { sum, count }] of perCategory) {
      const mean = sum / count;
      const b = this.state.baselines[category];
      this.state.baselines[category] = b
        ? { mean: b.mean + alpha * (mean - b.mean), windows: b.windows + 1 }
        : { mean, windows: 1 };
    }
    return events;
  }
}
