import type { Clock } from '@yuqing/core';
import { ALERT_LEVELS, resolveHotIssueOptions, type AlertLevel, type HotIssueOptions } from './hot-issue-config.ts';
import { hammingDistance, simHashFromHex, type SimHash } from './simhash.ts';

/** A mention after analysis: everything clustering and hotness need, nothing else (no body text is stored). */
export interface AnalysedMention {
  id: string;
  /** Publication time, epoch ms. */
  time: number;
  /** Title, or the opening of the text when there is none. */
  title: string;
  /** Keyword vector: term → tf-idf weight. */
  terms: Record<string, number>;
  /** Place and organisation names. */
  places: string[];
  /** SimHash of the text (16 hex digits). */
  simhash: string;
  /** Category (HR sub-category, topic …) whose baseline the burst is measured against. */
  category: string;
  /** Probability the mention is negative, 0–1. */
  negativity: number;
  likes: number;
  comments: number;
  reposts: number;
  source: string;
}

/** One point of an issue's hotness history (end of a window). */
export interface HotnessPoint {
  at: number;
  hotness: number;
  /** Mentions in the window. */
  velocity: number;
}

/** An issue (cluster of mentions about one event) as stored in the engine state. */
export interface IssueState {
  id: string;
  title: string;
  firstSeen: number;
  lastSeen: number;
  mentionIds: string[];
  terms: Record<string, number>;
  places: Record<string, number>;
  simhashes: string[];
  categoryCounts: Record<string, number>;
  negativeMentions: number;
  engagement: { likes: number; comments: number; reposts: number };
  /** Exponentially decayed mention score, valid at {@link hotnessAt}. */
  decayedScore: number;
  hotnessAt: number;
  /** Times of mentions in the current burst window (sliding). */
  recentTimes: number[];
  history: HotnessPoint[];
  peakHotness: number;
  level: AlertLevel | null;
  flaggedAt: number | null;
  /** Hotness at the previous window close, for the growth test. */
  lastWindowHotness: number;
  growingWindows: number;
}

/** The engine's whole state: plain JSON, so a store can persist it and {@link HotIssueEngine.restore} resume it. */
export interface HotIssueState {
  formatVersion: 1;
  nextIssueNumber: number;
  windowStart: number | null;
  issues: IssueState[];
  /** Per category: smoothed hotness of an ordinary (unflagged) active issue, and windows seen. */
  baselines: Record<string, { mean: number; windows: number }>;
}

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

/** Result of {@link HotIssueEngine.ingest}. */
export interface IngestResult {
  issueId: string;
  /** True when the mention opened a new issue. */
  created: boolean;
  /** How it was matched: a new issue, a near-duplicate, or similar content. */
  match: 'new' | 'near-duplicate' | 'similar';
  events: HotIssueEvent[];
}

/** Persistence of the engine state; the database layer implements it, tests use {@link MemoryHotIssueStore}. */
export interface HotIssueStore {
  load(): Promise<HotIssueState | undefined>;
  save(state: HotIssueState): Promise<void>;
}

/** A store that keeps the state as a JSON string in memory (proves the state survives serialisation). */
export class MemoryHotIssueStore implements HotIssueStore {
  private json: string | undefined;
  async load(): Promise<HotIssueState | undefined> {
    return this.json === undefined ? undefined : (JSON.parse(this.json) as HotIssueState);
  }
  async save(state: HotIssueState): Promise<void> {
    this.json = JSON.stringify(state);
  }
}

/** Recent SimHashes kept per issue for near-duplicate matching. */
const MAX_SIMHASHES_PER_ISSUE = 64;
/** Number of 8-bit bands of the 64-bit SimHash index: any two hashes within 7 bits share a band. */
const SIMHASH_BANDS = 8;
/** Keywords reported per issue. */
const ISSUE_KEYWORDS = 8;
/** Largest gap closed window by window; longer idle gaps are skipped in one step. */
const MAX_WINDOWS_CLOSED_AT_ONCE = 48;
/** Administrative places (A市, 岳麓区) are too broad to tell events apart; estates, streets, companies are not. */
const ADMIN_PLACE = /[省市区县]$/;

function emptyState(): HotIssueState {
  return { formatVersion: 1, nextIssueNumber: 1, windowStart: null, issues: [], baselines: {} };
}

function norm(v: Record<string, number>): number {
  let s = 0;
  for (const x of Object.values(v)) s += x * x;
  return Math.sqrt(s);
}

function topEntries(v: Record<string, number>, n: number): [string, number][] {
  return Object.entries(v)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}

function bands(h: SimHash): string[] {
  const out: string[] = [];
  for (let b = 0; b < SIMHASH_BANDS; b++) {
    const word = b < 4 ? h.hi : h.lo;
    out.push(`${b}:${(word >>> ((b % 4) * 8)) & 0xff}`);
  }
  return out;
}

function majority(counts: Record<string, number>): string {
  return topEntries(counts, 1)[0]?.[0] ?? 'default';
}

/**
 * Incremental issue clustering and hot-issue detection. Pure: no I/O, time from the injected clock, state as
 * plain JSON ({@link snapshot} / {@link HotIssueEngine.restore}).
 *
 * - A mention joins the issue of a near-duplicate (SimHash within `nearDuplicateBits`), else the most similar
 *   active issue (keyword cosine, adjusted for shared or conflicting specific places) within `clusterWindowMs`,
 *   else opens a new issue.
 * - Hotness = exponentially decayed sum of mention scores (source weight × (1 + ln(1 + likes + 2·comments +
 *   3·reposts)) × (1 + negativityWeight × negativity)) × (1 + ½ × share of recent mentions in the last window):
 *   volume, engagement, negativity, source weight and velocity in one number.
 * - Burst: hotness / the category's baseline (smoothed hotness of an ordinary active issue) against the level
 *   thresholds, plus a minimum of mentions in the window; a flagged issue that keeps growing escalates.
 */
export class HotIssueEngine {
  readonly options: HotIssueOptions;
  private readonly clock: Clock;
  private state: HotIssueState;
  private readonly issues = new Map<string, IssueState>();
  /** term → ids of issues that contain it (rebuilt on restore; not part of the state). */
  private readonly termIndex = new Map<string, Set<string>>();
  private readonly bandIndex = new Map<string, Set<string>>();

  constructor(clock: Clock, options: Partial<HotIssueOptions> = {}, state: HotIssueState = emptyState()) {
    this.clock = clock;
    this.options = resolveHotIssueOptions(options);
    this.state = state;
    for (const issue of state.issues) {
      this.issues.set(issue.id, issue);
      this.indexIssue(issue, Object.keys(issue.terms), issue.simhashes);
    }
  }

  /** Resumes from a saved state. */
  static restore(state: HotIssueState, clock: Clock, options: Partial<HotIssueOptions> = {}): HotIssueEngine {
    if (state.formatVersion !== 1) throw new Error(`unsupported hot-issue state version ${String(state.formatVersion)}`);
    return new HotIssueEngine(clock, options, structuredClone(state));
  }

  /** A deep copy of the state, safe to serialise. */
  snapshot(): HotIssueState {
    return structuredClone(this.state);
  }

  /** All issues, oldest first. */
  listIssues(): IssueState[] {
    return this.state.issues;
  }

  /** Current hotness of an issue at the clock's time. */
  hotness(issue: IssueState, now = this.clock.now().getTime()): number {
    const decayed = issue.decayedScore * Math.pow(2, -(now - issue.hotnessAt) / this.options.hotnessHalfLifeMs);
    const recent = issue.recentTimes.filter((t) => t > now - this.options.windowMs).length;
    const velocityShare = issue.mentionIds.length > 0 ? Math.min(1, recent / Math.max(1, this.windowVolume(issue, now))) : 0;
    return decayed * (1 + 0.5 * velocityShare);
  }

  /** Top keywords of an issue. */
  keywords(issue: IssueState): string[] {
    return topEntries(issue.terms, ISSUE_KEYWORDS).map(([t]) => t);
  }

  /** Category of an issue: the most common category of its mentions. */
  category(issue: IssueState): string {
    return majority(issue.categoryCounts);
  }

  /** Closes every burst window that ended before the clock's time (updates baselines, checks escalation). */
  tick(): HotIssueEvent[] {
    const now = this.clock.now().getTime();
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

  /** Files one mention under an issue, updates its hotness and returns any flag or escalation it causes. */
  ingest(mention: AnalysedMention): IngestResult {
    const events = this.tick();
    const now = this.clock.now().getTime();
    const hash = simHashFromHex(mention.simhash);
    let match: IngestResult['match'] = 'new';
    let issue = this.findNearDuplicate(hash, mention.time);
    if (issue) match = 'near-duplicate';
    else {
      issue = this.findSimilar(mention);
      if (issue) match = 'similar';
    }
    const created = !issue;
    if (!issue) {
      issue = this.createIssue(mention);
    }
    this.addMention(issue, mention, now);
    events.push(...this.checkThresholds(issue, now));
    return { issueId: issue.id, created, match, events };
  }

  private windowVolume(issue: IssueState, now: number): number {
    // Mentions within the hotness half-life: the denominator of the velocity share.
    return issue.recentTimes.length === 0 ? 0 : issue.recentTimes.filter((t) => t > now - this.options.hotnessHalfLifeMs).length;
  }

  private isActive(issue: IssueState, time: number): boolean {
    return Math.abs(time - issue.lastSeen) <= this.options.clusterWindowMs;
  }

  private findNearDuplicate(hash: SimHash, time: number): IssueState | undefined {
    const candidates = new Set<string>();
    for (const band of bands(hash)) for (const id of this.bandIndex.get(band) ?? []) candidates.add(id);
    let best: IssueState | undefined;
    let bestDistance = this.options.nearDuplicateBits + 1;
    for (const id of candidates) {
      const issue = this.issues.get(id)!;
      if (!this.isActive(issue, time)) continue;
      for (const hex of issue.simhashes) {
        const d = hammingDistance(hash, simHashFromHex(hex));
        if (d < bestDistance) {
          bestDistance = d;
          best = issue;
        }
      }
    }
    return best;
  }

  private findSimilar(mention: AnalysedMention): IssueState | undefined {
    const mentionNorm = norm(mention.terms);
    if (mentionNorm === 0) return undefined;
    const candidates = new Set<string>();
    for (const term of Object.keys(mention.terms)) for (const id of this.termIndex.get(term) ?? []) candidates.add(id);
    const specific = mention.places.filter((p) => !ADMIN_PLACE.test(p));
    let best: IssueState | undefined;
    let bestScore = this.options.similarityThreshold;
    for (const id of candidates) {
      const issue = this.issues.get(id)!;
      if (!this.isActive(issue, mention.time)) continue;
      let dot = 0;
      for (const [term, w] of Object.entries(mention.terms)) dot += w * (issue.terms[term] ?? 0);
      let score = dot / (mentionNorm * (norm(issue.terms) || 1));
      const issueSpecific = Object.keys(issue.places).filter((p) => !ADMIN_PLACE.test(p));
      if (specific.length > 0 && issueSpecific.length > 0) {
        score += specific.some((p) => p in issue.places) ? this.options.sharedPlaceBonus : -this.options.differentPlacePenalty;
      }
      if (score >= bestScore) {
        bestScore = score;
        best = issue;
      }
    }
    return best;
  }

  private createIssue(mention: AnalysedMention): IssueState {
    const issue: IssueState = {
      id: `I${String(this.state.nextIssueNumber++).padStart(6, '0')}`,
      title: mention.title,
      firstSeen: mention.time,
      lastSeen: mention.time,
      mentionIds: [],
      terms: {},
      places: {},
      simhashes: [],
      categoryCounts: {},
      negativeMentions: 0,
      engagement: { likes: 0, comments: 0, reposts: 0 },
      decayedScore: 0,
      hotnessAt: this.clock.now().getTime(),
      recentTimes: [],
      history: [],
      peakHotness: 0,
      level: null,
      flaggedAt: null,
      lastWindowHotness: 0,
      growingWindows: 0,
    };
    this.state.issues.push(issue);
    this.issues.set(issue.id, issue);
    return issue;
  }

  private indexIssue(issue: IssueState, terms: string[], simhashes: string[]): void {
    for (const t of terms) {
      let set = this.termIndex.get(t);
      if (!set) this.termIndex.set(t, (set = new Set()));
      set.add(issue.id);
    }
    for (const hex of simhashes) {
      for (const band of bands(simHashFromHex(hex))) {
        let set = this.bandIndex.get(band);
        if (!set) this.bandIndex.set(band, (set = new Set()));
        set.add(issue.id);
      }
    }
  }

  private mentionScore(m: AnalysedMention): number {
    const source = this.options.sourceWeights[m.source] ?? 1;
    const engagement = Math.log(1 + Math.max(0, m.likes) + 2 * Math.max(0, m.comments) + 3 * Math.max(0, m.reposts));
    return source * (1 + engagement) * (1 + this.options.negativityWeight * Math.min(1, Math.max(0, m.negativity)));
  }

  private addMention(issue: IssueState, m: AnalysedMention, now: number): void {
    issue.mentionIds.push(m.id);
    issue.firstSeen = Math.min(issue.firstSeen, m.time);
    issue.lastSeen = Math.max(issue.lastSeen, m.time);
    // Centroid: sum of the mention vectors normalised to unit length, pruned to the strongest terms.
    const n = norm(m.terms) || 1;
    for (const [term, w] of Object.entries(m.terms)) issue.terms[term] = (issue.terms[term] ?? 0) + w / n;
    if (Object.keys(issue.terms).length > this.options.maxIssueTerms) {
      const kept = topEntries(issue.terms, this.options.maxIssueTerms);
      for (const term of Object.keys(issue.terms)) if (!kept.some(([k]) => k === term)) this.termIndex.get(term)?.delete(issue.id);
      issue.terms = Object.fromEntries(kept);
    }
    for (const p of m.places) issue.places[p] = (issue.places[p] ?? 0) + 1;
    issue.simhashes.push(m.simhash);
    if (issue.simhashes.length > MAX_SIMHASHES_PER_ISSUE) issue.simhashes.shift();
    issue.categoryCounts[m.category] = (issue.categoryCounts[m.category] ?? 0) + 1;
    if (m.negativity >= 0.5) issue.negativeMentions++;
    issue.engagement.likes += m.likes;
    issue.engagement.comments += m.comments;
    issue.engagement.reposts += m.reposts;
    issue.decayedScore = issue.decayedScore * Math.pow(2, -(now - issue.hotnessAt) / this.options.hotnessHalfLifeMs) + this.mentionScore(m);
    issue.hotnessAt = now;
    issue.recentTimes.push(m.time);
    const horizon = now - Math.max(this.options.windowMs, this.options.hotnessHalfLifeMs);
    while (issue.recentTimes.length > 0 && issue.recentTimes[0]! <= horizon) issue.recentTimes.shift();
    issue.peakHotness = Math.max(issue.peakHotness, this.hotness(issue, now));
    this.indexIssue(issue, Object.keys(issue.terms), [m.simhash]);
  }

  private baseline(category: string): number {
    const b = this.state.baselines[category];
    return Math.max(this.options.baselineFloor, b?.mean ?? 0);
  }

  private event(issue: IssueState, level: AlertLevel, previous: AlertLevel | null, now: number, hotness: number, reason: HotIssueEvent['reason']): HotIssueEvent {
    return {
      type: previous === null ? 'flagged' : 'escalated',
      issueId: issue.id,
      title: issue.title,
      category: this.category(issue),
      level,
      previousLevel: previous,
      at: new Date(now).toISOString(),
      hotness: Math.round(hotness * 100) / 100,
      ratio: Math.round((hotness / this.baseline(this.category(issue))) * 100) / 100,
      reason,
    };
  }

  private checkThresholds(issue: IssueState, now: number): HotIssueEvent[] {
    const hotness = this.hotness(issue, now);
    const ratio = hotness / this.baseline(this.category(issue));
    const inWindow = issue.recentTimes.filter((t) => t > now - this.options.windowMs).length;
    let reached: AlertLevel | null = null;
    for (const threshold of this.options.levels) {
      if (ratio >= threshold.minRatio && inWindow >= threshold.minMentions) reached = threshold.level;
    }
    if (reached === null) return [];
    const previous = issue.level;
    if (previous !== null && ALERT_LEVELS.indexOf(reached) <= ALERT_LEVELS.indexOf(previous)) return [];
    issue.level = reached;
    if (issue.flaggedAt === null) issue.flaggedAt = now;
    issue.lastWindowHotness = hotness;
    issue.growingWindows = 0;
    return [this.event(issue, reached, previous, now, hotness, 'threshold')];
  }

  private closeWindow(end: number): HotIssueEvent[] {
    const events: HotIssueEvent[] = [];
    const perCategory = new Map<string, { sum: number; count: number }>();
    for (const issue of this.state.issues) {
      if (end - issue.lastSeen > this.options.clusterWindowMs) continue;
      const hotness = this.hotness(issue, end);
      const velocity = issue.recentTimes.filter((t) => t > end - this.options.windowMs && t <= end).length;
      if (velocity > 0) issue.history.push({ at: end, hotness: Math.round(hotness * 100) / 100, velocity });
      if (issue.level === null) {
        // Only ordinary issues that were active in this window shape the baseline, so a burst cannot raise its own bar.
        if (velocity > 0) {
          const category = this.category(issue);
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
      this.state.baselines[category] = b ? { mean: b.mean + alpha * (mean - b.mean), windows: b.windows + 1 } : { mean, windows: 1 };
    }
    return events;
  }
}
