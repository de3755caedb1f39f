import type { AlertLevel } from './hot-issue-config.ts';
import { nthLargest } from './term-vector.ts';

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
  /** Best rank on a platform hot list (1 = top) when the mention is a hot-list entry: raises its score. */
  hotRank?: number;
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
  /** Title of its most typical mention (the one closest to the issue's keywords when it arrived). */
  title: string;
  /** Similarity of the title's mention to the issue when it arrived, decaying, so later typical mentions take over. */
  titleScore: number;
  firstSeen: number;
  lastSeen: number;
  /** Member ids (a store may keep only some of them; {@link mentionCount} stays exact). */
  mentionIds: string[];
  /** Mentions filed under the issue. */
  mentionCount: number;
  terms: Record<string, number>;
  places: Record<string, number>;
  /** SimHashes of the distinct texts (a repost of a kept text adds none). */
  simhashes: string[];
  categoryCounts: Record<string, number>;
  negativeMentions: number;
  engagement: { likes: number; comments: number; reposts: number };
  /** Exponentially decayed mention score, valid at {@link hotnessAt}. */
  decayedScore: number;
  hotnessAt: number;
  /** Times of mentions in the current burst window (sliding), ascending. */
  recentTimes: number[];
  /** The latest {@link MAX_HISTORY_POINTS} window points. */
  history: HotnessPoint[];
  peakHotness: number;
  level: AlertLevel | null;
  flaggedAt: number | null;
  /** Hotness at the previous window close, for the growth test. */
  lastWindowHotness: number;
  growingWindows: number;
  /** What analysts set by hand ({@link AnalystDecision}): clustering keeps these instead of its own. */
  fixed?: { title?: string; category?: string; level?: AlertLevel | null };
  /** The resolution the engine last reset the issue's flag for (epoch ms). */
  resolvedAt?: number;
  /** Key of the issue an analyst merged this one into: its later mentions join that issue. */
  mergedInto?: string;
  /** An analyst has acted on the issue (status, locked field, assignee …): clustering never folds it away. */
  held?: true;
}

/**
 * An analyst's decision about one issue, applied to the engine before each batch
 * ({@link HotIssueEngine.applyAnalystDecisions}). Absent fields were not set by hand.
 */
export interface AnalystDecision {
  /** The engine's issue id (the database's cluster key). */
  issueId: string;
  title?: string;
  category?: string;
  /** A level set by hand (null: set to none). */
  level?: AlertLevel | null;
  /** When the issue was resolved (epoch ms), if it is: a burst after it may reopen the issue. */
  resolvedAt?: number;
  /** The issue it was merged into. */
  mergedInto?: string;
  /** An analyst has acted on the issue in any way: it is never folded into a sibling (it may take one in). */
  held?: boolean;
}

/** Version of {@link HotIssueState}; {@link readState} also reads version 1. */
export const HOT_ISSUE_STATE_VERSION = 2;

/** The engine's whole state: plain JSON, so a store can persist it and the engine resume it. */
export interface HotIssueState {
  formatVersion: typeof HOT_ISSUE_STATE_VERSION;
  nextIssueNumber: number;
  windowStart: number | null;
  issues: IssueState[];
  /** Per category: smoothed hotness of an ordinary (unflagged) active issue, and windows seen. */
  baselines: Record<string, { mean: number; windows: number }>;
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

/** Distinct-text SimHashes kept per issue for near-duplicate matching. */
export const MAX_SIMHASHES_PER_ISSUE = 32;
/** Window points kept per issue (the database keeps the full history). */
export const MAX_HISTORY_POINTS = 500;

/** A state without issues, baselines or windows. */
export function emptyState(): HotIssueState {
  return { formatVersion: HOT_ISSUE_STATE_VERSION, nextIssueNumber: 1, windowStart: null, issues: [], baselines: {} };
}

/**
 * A new issue named after `mention` (its title, its time), without members yet: the caller adds the mention. The
 * id takes the state's next issue number.
 */
export function newIssue(state: HotIssueState, mention: AnalysedMention, now: number): IssueState {
  return {
    id: `I${String(state.nextIssueNumber++).padStart(6, '0')}`,
    title: mention.title,
    titleScore: 0,
    firstSeen: mention.time,
    lastSeen: mention.time,
    mentionIds: [],
    mentionCount: 0,
    terms: {},
    places: {},
    simhashes: [],
    categoryCounts: {},
    negativeMentions: 0,
    engagement: { likes: 0, comments: 0, reposts: 0 },
    decayedScore: 0,
    hotnessAt: now,
    recentTimes: [],
    history: [],
    peakHotness: 0,
    level: null,
    flaggedAt: null,
    lastWindowHotness: 0,
    growingWindows: 0,
  };
}

/** Keyword weights are stored to this many decimals: a third less JSON, no visible change in similarity. */
const STORED_WEIGHT_SCALE = 1e4;

/** Scores (decayed hotness, title score) are stored to this many decimals: 17 digits say nothing more. */
const STORED_SCORE_SCALE = 1e4;

/** The strongest `max` terms, rounded: the tail beyond `maxIssueTerms` is slack between prunings, not state. */
function storedTerms(terms: Record<string, number>, max: number): Record<string, number> {
  const cutoff = nthLargest(terms, max);
  const out: Record<string, number> = {};
  for (const k in terms)
    if (terms[k]! >= cutoff) out[k] = Math.round(terms[k]! * STORED_WEIGHT_SCALE) / STORED_WEIGHT_SCALE;
  return out;
}

function roundedScore(x: number): number {
  return Math.round(x * STORED_SCORE_SCALE) / STORED_SCORE_SCALE;
}

function copyIssue(i: IssueState, maxTerms: number): IssueState {
  return {
    ...i,
    titleScore: roundedScore(i.titleScore),
    decayedScore: roundedScore(i.decayedScore),
    peakHotness: roundedScore(i.peakHotness),
    lastWindowHotness: roundedScore(i.lastWindowHotness),
    mentionIds: i.mentionIds.slice(),
    terms: storedTerms(i.terms, maxTerms),
    places: { ...i.places },
    simhashes: i.simhashes.slice(),
    categoryCounts: { ...i.categoryCounts },
    engagement: { ...i.engagement },
    recentTimes: i.recentTimes.slice(),
    history: i.history.map((p) => ({ ...p })),
    ...(i.fixed ? { fixed: { ...i.fixed } } : {}),
  };
}

/** A deep copy of a state for storing: each issue's strongest `maxTerms` keywords, scores rounded. */
export function snapshotState(state: HotIssueState, maxTerms: number): HotIssueState {
  return {
    ...state,
    issues: state.issues.map((issue) => copyIssue(issue, maxTerms)),
    baselines: structuredClone(state.baselines),
  };
}

/** Brings a version-1 state (before mention counts, sorted recent times and distinct hashes) to the current form. */
function upgradeState(state: { formatVersion: number } & Omit<HotIssueState, 'formatVersion'>): HotIssueState {
  for (const issue of state.issues as (Omit<IssueState, 'mentionCount' | 'titleScore'> & {
    mentionCount?: number;
    titleScore?: number;
  })[]) {
    issue.mentionCount ??= issue.mentionIds.length;
    issue.titleScore ??= 0;
    issue.recentTimes.sort((a, b) => a - b);
    issue.simhashes = [...new Set(issue.simhashes)].slice(-MAX_SIMHASHES_PER_ISSUE);
    if (issue.history.length > MAX_HISTORY_POINTS) issue.history = issue.history.slice(-MAX_HISTORY_POINTS);
  }
  return { ...state, formatVersion: HOT_ISSUE_STATE_VERSION };
}

/**
 * Reads a stored state of the current or the previous format (upgraded in place); anything else (a newer build's
 * state, a damaged row) gives an empty state marked `reset`.
 */
export function readState(state: unknown): { state: HotIssueState; from: 'state' | 'upgraded' | 'reset' } {
  const s = state as { formatVersion?: unknown; issues?: unknown } | null;
  if (s && Array.isArray(s.issues) && s.formatVersion === HOT_ISSUE_STATE_VERSION)
    return { state: s as HotIssueState, from: 'state' };
  if (s && Array.isArray(s.issues) && s.formatVersion === 1)
    return { state: upgradeState(s as unknown as HotIssueState), from: 'upgraded' };
  return { state: emptyState(), from: 'reset' };
}
