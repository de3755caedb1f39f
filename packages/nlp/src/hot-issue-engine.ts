import type { Clock } from '@yuqing/core';
import { resolveHotIssueOptions, type HotIssueOptions } from './hot-issue-config.ts';
import { BurstDetector, issueCategory, type HotIssueEvent } from './burst-detector.ts';
import {
  emptyState,
  newIssue,
  readState,
  snapshotState,
  type AnalysedMention,
  type AnalystDecision,
  type HotIssueState,
  type IssueState,
} from './hot-issue-state.ts';
import { addToHotness, issueHotness } from './hotness.ts';
import { IssueIndexes } from './issue-indexes.ts';
import { IssueMembership } from './issue-membership.ts';
import type { HashEntry } from './simhash-bands.ts';
import { simHashFromHex } from './simhash.ts';
import { topEntries } from './term-vector.ts';
import { issueKeyphrases } from './issue-keyphrases.ts';
import { foldDirection, foldIssueInto, siblingSimilarity } from './issue-merging.ts';

/** Keywords reported per issue. */
const ISSUE_KEYWORDS = 8;
/** Merges followed from a merged issue to the one that holds its mentions (a chain is short; a loop is stopped). */
const MAX_MERGE_HOPS = 8;
/** Terms ranked per issue for its keyphrases: three times as many as are shown, as some are dropped as unreadable. */
const KEYPHRASE_CANDIDATE_FACTOR = 3;
/** Sibling folds after one mention: each fold can bring the next sibling within reach; a few are plenty. */
const MAX_FOLDS_PER_MENTION = 3;
/** A keyword held by more active issues than this is too common to look for siblings by (业主, 小区). */
const MAX_SIBLING_TERM_POSTING = 60;
/**
 * Issues whose rough similarity (over the indexed keywords only) is below this share of the threshold are not
 * scored exactly: the keyword tails rarely add that much.
 */
const SIBLING_ROUGH_SHARE = 0.4;

/** An issue folded into a sibling about the same event ({@link HotIssueEngine.ingest}). */
export interface IssueFold {
  /** The folded issue's id: it no longer exists in the engine; its mentions are the target's. */
  from: string;
  /** The issue that took its mentions in. */
  into: string;
}

/** Result of {@link HotIssueEngine.ingest}. */
export interface IngestResult {
  issueId: string;
  /** True when the mention opened a new issue. */
  created: boolean;
  /** How it was matched: a new issue, a near-duplicate, or similar content. */
  match: 'new' | 'near-duplicate' | 'similar';
  events: HotIssueEvent[];
  /**
   * Issues folded into a sibling because of this mention, in order. When the mention's own issue was folded,
   * {@link issueId} is the issue that holds it now.
   */
  folds: IssueFold[];
}

/**
 * Incremental issue clustering and hot-issue detection. Pure: no I/O, time from the injected clock, state as
 * plain JSON ({@link snapshot} / {@link HotIssueEngine.restore}).
 *
 * - A mention joins the issue of a near-duplicate (SimHash within `nearDuplicateBits`), else the most similar
 *   issue: keyword cosine against the issue's centroid, plus a bonus for a shared specific place (estate,
 *   company, case — weighted by how few active issues name it) or minus a penalty when both name their own
 *   places and none match. Content alone links posts within `clusterWindowMs`; a shared specific place or a
 *   near-duplicate within `placeWindowMs`. Else it opens a new issue ({@link IssueMembership}).
 * - Cost per mention is bounded by its candidates, not by the number of issues: issues are found through
 *   inverted indexes of SimHash bands, place names (and their suffixes) and their strongest keywords
 *   ({@link IssueIndexes}).
 * - Hotness = exponentially decayed sum of mention scores (source weight × (1 + ln(1 + likes + 2·comments +
 *   3·reposts)) × (1 + negativityWeight × negativity)) × (1 + ½ × share of recent mentions in the last window):
 *   volume, engagement, negativity, source weight and velocity in one number.
 * - Burst: hotness / the category's baseline (smoothed hotness of an ordinary active issue) against the level
 *   thresholds, plus a minimum of mentions in the window; a flagged issue that keeps growing escalates
 *   ({@link BurstDetector}).
 *
 * This class coordinates those parts: it owns the state, the clock and the retirement of silent issues.
 */
export class HotIssueEngine {
  readonly options: HotIssueOptions;
  /** How {@link HotIssueEngine.restore} treated the state it was given (`reset`: unreadable, started empty). */
  readonly restoredFrom: 'new' | 'state' | 'upgraded' | 'reset';
  private readonly clock: Clock;
  private readonly state: HotIssueState;
  private readonly byId = new Map<string, IssueState>();
  private readonly indexes: IssueIndexes;
  private readonly membership: IssueMembership;
  private readonly bursts: BurstDetector;
  /** Latest mention time seen: issues silent for longer than the retention leave the indexes. */
  private latest = -Infinity;
  private nextSweep = -Infinity;

  constructor(
    clock: Clock,
    options: Partial<HotIssueOptions> = {},
    state: HotIssueState = emptyState(),
    restoredFrom: HotIssueEngine['restoredFrom'] = 'new',
  ) {
    this.clock = clock;
    this.options = resolveHotIssueOptions(options);
    this.indexes = new IssueIndexes(this.options.nearDuplicateBits);
    this.membership = new IssueMembership(this.indexes, this.options);
    this.state = state;
    this.restoredFrom = restoredFrom;
    for (const issue of state.issues) {
      this.byId.set(issue.id, issue);
      this.latest = Math.max(this.latest, issue.lastSeen);
    }
    const horizon = this.latest - this.retentionMs();
    for (const issue of state.issues) if (issue.lastSeen >= horizon) this.indexes.activate(issue);
    this.bursts = new BurstDetector(this.options, state, this.latest);
  }

  /**
   * Resumes from a saved state, which the engine takes over (it changes as mentions arrive: pass a copy to keep
   * the original). Reads the current and the previous format; anything else (a newer build's state, a damaged
   * row) starts an empty engine with {@link restoredFrom} `reset` rather than failing every later batch.
   */
  static restore(state: unknown, clock: Clock, options: Partial<HotIssueOptions> = {}): HotIssueEngine {
    const read = readState(state);
    return new HotIssueEngine(clock, options, read.state, read.from);
  }

  /** A deep copy of the state, safe to serialise and to change. */
  snapshot(): HotIssueState {
    return snapshotState(this.state, this.options.maxIssueTerms);
  }

  /** All issues, oldest first (the engine's own array: do not change it). */
  listIssues(): readonly IssueState[] {
    return this.state.issues;
  }

  /** One issue by id. */
  issue(id: string): IssueState | undefined {
    return this.byId.get(id);
  }

  /** Current hotness of an issue at the clock's time. */
  hotness(issue: IssueState, now = this.clock.now().getTime()): number {
    return issueHotness(issue, now, this.options);
  }

  /** Top keywords of an issue, as readable keyphrases (no fragments, numbers or question words). */
  keywords(issue: IssueState): string[] {
    // Some strong terms are dropped as unreadable: rank a few more than are shown.
    const ranked = topEntries(issue.terms, ISSUE_KEYWORDS * KEYPHRASE_CANDIDATE_FACTOR).map(([t]) => t);
    return issueKeyphrases(ranked, ISSUE_KEYWORDS);
  }

  /** Category of an issue: the most common category of its mentions. */
  category(issue: IssueState): string {
    return issueCategory(issue);
  }

  /** Closes every burst window that ended before the clock's time (updates baselines, checks escalation). */
  tick(): HotIssueEvent[] {
    return this.bursts.closeWindowsUntil(this.clock.now().getTime());
  }

  /** Files one mention under an issue, updates its hotness and returns any flag or escalation it causes. */
  ingest(mention: AnalysedMention): IngestResult {
    const now = this.clock.now().getTime();
    const events = this.bursts.closeWindowsUntil(now);
    this.latest = Math.max(this.latest, mention.time);
    if (this.latest >= this.nextSweep) this.sweep();
    const hash = simHashFromHex(mention.simhash);
    let match: IngestResult['match'] = 'new';
    let duplicateOf: HashEntry | undefined;
    let issue: IssueState | undefined;
    const near = this.indexes.nearDuplicate(hash.hi, hash.lo, mention.time, this.options.placeWindowMs);
    if (near) {
      match = 'near-duplicate';
      issue = near.issue;
      duplicateOf = near;
    } else {
      issue = this.membership.findSimilar(mention);
      if (issue) match = 'similar';
    }
    // An issue an analyst merged into another passes its mentions on (when that one is still held).
    for (let hops = 0; issue?.mergedInto !== undefined && hops < MAX_MERGE_HOPS; hops++) {
      const target = this.byId.get(issue.mergedInto);
      if (!target) break;
      issue = target;
    }
    const created = !issue;
    issue ??= this.createIssue(mention, now);
    const entry = this.indexes.entry(issue) ?? this.indexes.activate(issue);
    this.membership.join(issue, entry, mention, duplicateOf ? undefined : hash);
    addToHotness(issue, mention, now, this.options);
    this.bursts.touch(issue);
    // A new issue holds one mention that matched no issue: it cannot be anyone's sibling yet.
    const folds: IssueFold[] = [];
    if (!created) issue = this.foldSiblings(issue, now, folds);
    events.push(...this.bursts.checkThresholds(issue, now));
    return { issueId: issue.id, created, match, events, folds };
  }

  /**
   * Folds the issue that just grew and its siblings (issues about the same event, {@link siblingSimilarity} at least
   * `siblingSimilarity`, both with a post within `siblingWindowMs`) into one, the smaller into the larger, unless
   * neither may be folded ({@link foldDirection}). Returns the issue that holds the mention now.
   */
  private foldSiblings(issue: IssueState, now: number, folds: IssueFold[]): IssueState {
    const { siblingSimilarity: threshold, siblingWindowMs } = this.options;
    if (!Number.isFinite(threshold)) return issue;
    for (let n = 0; n < MAX_FOLDS_PER_MENTION; n++) {
      let best: IssueState | undefined;
      let bestScore = threshold;
      const related = this.indexes.relatedIssues(issue, {
        maxPosting: MAX_SIBLING_TERM_POSTING,
        since: now - siblingWindowMs,
        minScore: threshold * SIBLING_ROUGH_SHARE,
        placeBonus: this.options.sharedPlaceBonus,
      });
      for (const other of related) {
        if (other.mergedInto !== undefined) continue;
        if (!foldDirection(issue, other)) continue;
        const score = siblingSimilarity(issue, other, this.options);
        // Ties go to the older issue, so the choice never depends on the index's iteration order.
        if (score > bestScore || (score === bestScore && best !== undefined && other.id < best.id)) {
          bestScore = score;
          best = other;
        }
      }
      if (!best) break;
      const { source, target } = foldDirection(issue, best)!;
      this.fold(source, target, now);
      folds.push({ from: source.id, into: target.id });
      issue = target;
    }
    return issue;
  }

  /** Folds `source` into `target`: the target takes its content and its place in the indexes; the source is gone. */
  private fold(source: IssueState, target: IssueState, now: number): void {
    this.indexes.deactivate(source);
    this.indexes.deactivate(target);
    foldIssueInto(target, source, now, this.options);
    this.indexes.activate(target);
    this.bursts.drop(source);
    this.bursts.touch(target);
    this.byId.delete(source.id);
    const at = this.state.issues.indexOf(source);
    if (at >= 0) this.state.issues.splice(at, 1);
  }

  /**
   * Applies what analysts decided (from the database, before each batch), so clustering never undoes it: a title,
   * category or level set by hand replaces the engine's own and stays; a merged issue passes later mentions to
   * its target; a newly resolved issue loses its flag, so only a burst after the resolution flags it again.
   * Decisions about issues the engine no longer holds are ignored.
   */
  applyAnalystDecisions(decisions: readonly AnalystDecision[]): void {
    for (const decision of decisions) {
      const issue = this.byId.get(decision.issueId);
      if (!issue) continue;
      const fixed: NonNullable<IssueState['fixed']> = {};
      if (decision.title !== undefined) fixed.title = issue.title = decision.title;
      if (decision.category !== undefined) fixed.category = decision.category;
      if (decision.level !== undefined) fixed.level = decision.level;
      if (Object.keys(fixed).length > 0) issue.fixed = fixed;
      else delete issue.fixed;
      if (decision.mergedInto !== undefined && decision.mergedInto !== issue.id) issue.mergedInto = decision.mergedInto;
      if (decision.held) issue.held = true;
      else delete issue.held;
      if (decision.resolvedAt !== undefined && decision.resolvedAt !== issue.resolvedAt) {
        // The response closed the burst: the detector starts over for this issue, counting only the mentions
        // after the resolution, so only a new burst flags it again (a resolved issue reopens only on that).
        const resolvedAt = decision.resolvedAt;
        issue.resolvedAt = resolvedAt;
        issue.level = null;
        issue.flaggedAt = null;
        issue.growingWindows = 0;
        issue.lastWindowHotness = 0;
        issue.recentTimes = issue.recentTimes.filter((t) => t > resolvedAt);
        issue.decayedScore = 0;
      } else if (decision.resolvedAt === undefined && decision.level !== undefined) {
        // A level set by hand is where escalation continues from (a threshold at or below it raises nothing).
        issue.level = decision.level;
        issue.flaggedAt ??= decision.level === null ? null : issue.lastSeen;
      }
    }
  }

  private retentionMs(): number {
    return Math.max(this.options.clusterWindowMs, this.options.placeWindowMs);
  }

  private createIssue(mention: AnalysedMention, now: number): IssueState {
    const issue = newIssue(this.state, mention, now);
    this.state.issues.push(issue);
    this.byId.set(issue.id, issue);
    this.indexes.activate(issue);
    return issue;
  }

  /** Takes issues silent for longer than the retention out of the indexes (they stay in the state). */
  private sweep(): void {
    for (const issue of this.indexes.retireBefore(this.latest - this.retentionMs())) this.bursts.forget(issue);
    // Sweeping costs one pass over the active issues: a few times per shorter window is plenty.
    this.nextSweep = this.latest + this.options.clusterWindowMs / 4;
  }
}
