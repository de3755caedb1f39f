import type { Clock } from '@yuqing/core';
import { ALERT_LEVELS, resolveHotIssueOptions, type AlertLevel, type HotIssueOptions } from './hot-issue-config.ts';
import { simHashFromHex } from './simhash.ts';

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
}

/** Version of {@link HotIssueState}; {@link HotIssueEngine.restore} also reads version 1. */
export const HOT_ISSUE_STATE_VERSION = 2;

/** The engine's whole state: plain JSON, so a store can persist it and {@link HotIssueEngine.restore} resume it. */
export interface HotIssueState {
  formatVersion: typeof HOT_ISSUE_STATE_VERSION;
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

/** Distinct-text SimHashes kept per issue for near-duplicate matching. */
const MAX_SIMHASHES_PER_ISSUE = 32;
/** Window points kept per issue (the database keeps the full history). */
const MAX_HISTORY_POINTS = 500;
/** Place names kept per issue (the rarest go first). */
const MAX_ISSUE_PLACES = 40;
/** Keywords reported per issue. */
const ISSUE_KEYWORDS = 8;
/** An issue is found through its strongest keywords only (its long tail still counts in the similarity). */
const INDEXED_TERMS_PER_ISSUE = 12;
/** Candidates scored exactly, the best by their rough score (indexed keywords only). */
const EXACT_CANDIDATES = 8;
/** A rough score below this share of the threshold cannot reach it once the keyword tail is added. */
const ROUGH_SHARE = 0.5;
/** A keyword shared by more active issues than this is too common to find candidates by (业主, 小区). */
const MAX_TERM_POSTING = 60;
/** Past its first mentions, an issue's indexed keywords are re-ranked every this many mentions. */
const REINDEX_EVERY = 4;
/** Per mention, the title's claim to be typical fades by this factor. */
const TITLE_SCORE_DECAY = 0.98;
/** Largest gap closed window by window; longer idle gaps are skipped in one step. */
const MAX_WINDOWS_CLOSED_AT_ONCE = 48;
/** Administrative places (A市, 岳麓区) are too broad to tell events apart; estates, streets, companies are not. */
const ADMIN_PLACE = /[省市区县]$/;
/** Areas and roads (街道, 镇, 社区, 东六路): many events share them; shared they help a little, different they prove nothing. */
const AREA_PLACE = /(?:街道|镇|乡|社区|村|路|街|大道|巷)$/;
/** Weight of a shared area or road against a shared estate/company. */
const AREA_PLACE_WEIGHT = 0.4;
/** Place-key suffixes shorter than this are not compared (园, 新城 name nothing on their own). */
const MIN_PLACE_KEY_CHARS = 3;
/** A place shared by at most this many active issues (or this share of them) counts fully as evidence. */
const SPECIFIC_PLACE_ISSUES = 4;
const SPECIFIC_PLACE_SHARE = 0.002;
/** Shared-place strength at which the long {@link HotIssueOptions.placeWindowMs} applies. */
const STRONG_PLACE = 0.5;
/** Without a shared place, content this much above the threshold also links across the long window. */
const LONG_WINDOW_MARGIN = 0.2;
/** A place named by this share of an issue's mentions is one of its own (a mention naming others is another event). */
const OWN_PLACE_SHARE = 0.25;

/** Runtime index data of one issue (rebuilt on restore; not part of the state). */
interface IssueIndex {
  issue: IssueState;
  norm: number;
  /** Squared norm of the centroid, kept as terms are added. */
  normSq: number;
  /** Distinct terms in the centroid. */
  termCount: number;
  /** Scratch of one {@link HotIssueEngine.findSimilar} call (valid while `stamp` / `placeStamp` match it). */
  stamp: number;
  dot: number;
  placeStamp: number;
  placeScore: number;
  /** Whether the issue is about a place of its own (see {@link HotIssueEngine.ownPlaceMentions}), kept current as mentions arrive. */
  ownPlace: boolean;
  /** Mentions naming the issue's most named place of its own (counts only grow, so a running maximum). */
  ownPlaceMentions: number;
  terms: Set<string>;
  places: Set<string>;
  hashes: HashEntry[];
}

interface HashEntry {
  hi: number;
  lo: number;
  issue: IssueState;
}

function emptyState(): HotIssueState {
  return { formatVersion: HOT_ISSUE_STATE_VERSION, nextIssueNumber: 1, windowStart: null, issues: [], baselines: {} };
}

function norm(v: Record<string, number>): number {
  let s = 0;
  for (const k in v) s += v[k]! * v[k]!;
  return Math.sqrt(s);
}

function topEntries(v: Record<string, number>, n: number): [string, number][] {
  return Object.entries(v)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}

/** Scratch of {@link nthLargest}: a typed array sorts natively, without a comparator call per comparison. */
let nthScratch = new Float64Array(256);

/** The n-th largest value of a vector (-Infinity when it has n values or fewer): a cut-off without sorting entries. */
function nthLargest(v: Record<string, number>, n: number): number {
  let count = 0;
  for (const k in v) {
    if (count === nthScratch.length) {
      const grown = new Float64Array(count * 2);
      grown.set(nthScratch);
      nthScratch = grown;
    }
    nthScratch[count++] = v[k]!;
  }
  if (count <= n) return -Infinity;
  const values = nthScratch.subarray(0, count).sort();
  return values[count - n]!;
}

/** The terms of `v` at or above `cutoff`. */
function keepFrom(v: Record<string, number>, cutoff: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in v) if (v[k]! >= cutoff) out[k] = v[k]!;
  return out;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Bands of the 64-bit SimHash index for a near-duplicate distance of `bits`: `bits + 1` disjoint bands, so two
 * hashes within `bits` differ in at most `bits` bands and share at least one whole band (pigeonhole): the index
 * finds every near-duplicate. As few and as wide bands as that allows: 7 bands of 9–10 bits for the default 6,
 * which leaves a quarter of the candidates 8-bit bands did.
 */
function bandLayout(bits: number): { starts: number[]; widths: number[] } {
  const bands = Math.min(64, Math.max(1, Math.floor(bits) + 1));
  const starts: number[] = [];
  const widths: number[] = [];
  let start = 0;
  for (let b = 0; b < bands; b++) {
    const width = Math.floor(64 / bands) + (b < 64 % bands ? 1 : 0);
    starts.push(start);
    widths.push(width);
    start += width;
  }
  return { starts, widths };
}

/** Bits [start, start + width) of the 64-bit hash hi:lo (bit 0 = lowest of lo), width ≤ 32. */
function hashBits(hi: number, lo: number, start: number, width: number): number {
  let v: number;
  if (start >= 32) v = hi >>> (start - 32);
  else if (start + width <= 32) v = lo >>> start;
  else v = (lo >>> start) | (hi << (32 - start));
  return width >= 32 ? v >>> 0 : v & ((1 << width) - 1);
}

function majority(counts: Record<string, number>): string {
  return topEntries(counts, 1)[0]?.[0] ?? 'default';
}

/** Count of sorted `times` greater than `after`. */
function countAfter(times: readonly number[], after: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > after) hi = mid;
    else lo = mid + 1;
  }
  return times.length - lo;
}

const PLACE_ADMIN = 0;
const PLACE_AREA = 1;
const PLACE_OWN = 2;
/** Kinds of the places seen (bounded: cleared when it grows past {@link MAX_PLACE_KINDS_CACHED}). */
const placeKinds = new Map<string, number>();
const MAX_PLACE_KINDS_CACHED = 100_000;

/** Administrative unit, area/road, or a place of its own (estate, company, school …). */
function placeKind(place: string): number {
  let kind = placeKinds.get(place);
  if (kind === undefined) {
    kind = ADMIN_PLACE.test(place) ? PLACE_ADMIN : AREA_PLACE.test(place) ? PLACE_AREA : PLACE_OWN;
    if (placeKinds.size >= MAX_PLACE_KINDS_CACHED) placeKinds.clear();
    placeKinds.set(place, kind);
  }
  return kind;
}

function isSpecific(place: string): boolean {
  return placeKind(place) !== PLACE_ADMIN;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** Suffixes of the places seen (bounded like {@link placeKinds}): each mention looks its places' up again. */
const placeSuffixCache = new Map<string, readonly string[]>();
const NO_SUFFIXES: readonly string[] = [];

/** Suffixes of a place name long enough to name something (商品房伊景园 → 品房伊景园 … 伊景园). */
function placeSuffixes(place: string): readonly string[] {
  if (place.length <= MIN_PLACE_KEY_CHARS) return NO_SUFFIXES;
  let out = placeSuffixCache.get(place);
  if (out === undefined) {
    const suffixes: string[] = [];
    for (let i = 1; place.length - i >= MIN_PLACE_KEY_CHARS; i++) suffixes.push(place.slice(i));
    if (placeSuffixCache.size >= MAX_PLACE_KINDS_CACHED) placeSuffixCache.clear();
    placeSuffixCache.set(place, (out = suffixes));
  }
  return out;
}

/** Keyword weights are stored to this many decimals: a third less JSON, no visible change in similarity. */
const STORED_WEIGHT_SCALE = 1e4;

/** Scores (decayed hotness, title score) are stored to this many decimals: 17 digits say nothing more. */
const STORED_SCORE_SCALE = 1e4;

/** The strongest `max` terms, rounded: the tail beyond `maxIssueTerms` is slack between prunings, not state. */
function storedTerms(terms: Record<string, number>, max: number): Record<string, number> {
  const cutoff = nthLargest(terms, max);
  const out: Record<string, number> = {};
  for (const k in terms) if (terms[k]! >= cutoff) out[k] = Math.round(terms[k]! * STORED_WEIGHT_SCALE) / STORED_WEIGHT_SCALE;
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
  };
}

/** Brings a version-1 state (before mention counts, sorted recent times and distinct hashes) to the current form. */
function upgradeState(state: { formatVersion: number } & Omit<HotIssueState, 'formatVersion'>): HotIssueState {
  for (const issue of state.issues as (Omit<IssueState, 'mentionCount' | 'titleScore'> & { mentionCount?: number; titleScore?: number })[]) {
    issue.mentionCount ??= issue.mentionIds.length;
    issue.titleScore ??= 0;
    issue.recentTimes.sort((a, b) => a - b);
    issue.simhashes = [...new Set(issue.simhashes)].slice(-MAX_SIMHASHES_PER_ISSUE);
    if (issue.history.length > MAX_HISTORY_POINTS) issue.history = issue.history.slice(-MAX_HISTORY_POINTS);
  }
  return { ...state, formatVersion: HOT_ISSUE_STATE_VERSION };
}

/**
 * Incremental issue clustering and hot-issue detection. Pure: no I/O, time from the injected clock, state as
 * plain JSON ({@link snapshot} / {@link HotIssueEngine.restore}).
 *
 * - A mention joins the issue of a near-duplicate (SimHash within `nearDuplicateBits`), else the most similar
 *   issue: keyword cosine against the issue's centroid, plus a bonus for a shared specific place (estate,
 *   company, case — weighted by how few active issues name it) or minus a penalty when both name their own
 *   places and none match. Content alone links posts within `clusterWindowMs`; a shared specific place or a
 *   near-duplicate within `placeWindowMs`. Else it opens a new issue.
 * - Cost per mention is bounded by its candidates, not by the number of issues: issues are found through
 *   inverted indexes of SimHash bands, place names (and their suffixes) and their strongest keywords.
 * - Hotness = exponentially decayed sum of mention scores (source weight × (1 + ln(1 + likes + 2·comments +
 *   3·reposts)) × (1 + negativityWeight × negativity)) × (1 + ½ × share of recent mentions in the last window):
 *   volume, engagement, negativity, source weight and velocity in one number.
 * - Burst: hotness / the category's baseline (smoothed hotness of an ordinary active issue) against the level
 *   thresholds, plus a minimum of mentions in the window; a flagged issue that keeps growing escalates.
 */
export class HotIssueEngine {
  readonly options: HotIssueOptions;
  /** How {@link HotIssueEngine.restore} treated the state it was given (`reset`: unreadable, started empty). */
  readonly restoredFrom: 'new' | 'state' | 'upgraded' | 'reset';
  private readonly clock: Clock;
  private state: HotIssueState;
  private readonly byId = new Map<string, IssueState>();
  private readonly index = new Map<IssueState, IssueIndex>();
  private stamp = 0;
  /** Issues that can still take mentions (within the longer window of their last mention). */
  private readonly active = new Set<IssueState>();
  /** Issues that received a mention since the last window closed. */
  private readonly touched = new Set<IssueState>();
  private readonly flagged = new Set<IssueState>();
  /** Term → issues with it among their strongest keywords, with its weight there (as of the last re-rank). */
  private readonly termIndex = new Map<string, Map<IssueIndex, number>>();
  /** Specific place → issues naming exactly it; and place suffix → issues naming a place that ends with it. */
  private readonly placeIndex = new Map<string, Set<IssueIndex>>();
  private readonly placeSuffixIndex = new Map<string, Set<IssueIndex>>();
  /** Per SimHash band: the band's bits → hashes holding them (see {@link bandLayout}). */
  private readonly bandIndex: Map<number, HashEntry[]>[];
  private readonly bandStarts: number[];
  private readonly bandWidths: number[];
  /** Latest mention time seen: issues silent for longer than the retention leave the indexes. */
  private latest = -Infinity;
  private nextSweep = -Infinity;

  constructor(clock: Clock, options: Partial<HotIssueOptions> = {}, state: HotIssueState = emptyState(), restoredFrom: HotIssueEngine['restoredFrom'] = 'new') {
    this.clock = clock;
    this.options = resolveHotIssueOptions(options);
    const layout = bandLayout(this.options.nearDuplicateBits);
    this.bandStarts = layout.starts;
    this.bandWidths = layout.widths;
    this.bandIndex = layout.starts.map(() => new Map<number, HashEntry[]>());
    this.state = state;
    this.restoredFrom = restoredFrom;
    for (const issue of state.issues) {
      this.byId.set(issue.id, issue);
      this.latest = Math.max(this.latest, issue.lastSeen);
    }
    const horizon = this.latest - this.retentionMs();
    for (const issue of state.issues) {
      if (issue.lastSeen >= horizon) this.activate(issue);
      if (issue.level !== null && issue.lastSeen >= this.latest - this.options.clusterWindowMs) this.flagged.add(issue);
      // Issues that got mentions in the open window are visited when it closes (history, baseline, growth), as
      // they would have been without a save in between: a worker's batch boundaries must not change the result.
      if (state.windowStart !== null && issue.lastSeen >= state.windowStart) this.touched.add(issue);
    }
  }

  /**
   * Resumes from a saved state, which the engine takes over (it changes as mentions arrive: pass a copy to keep
   * the original). Reads the current and the previous format; anything else (a newer build's state, a damaged
   * row) starts an empty engine with {@link restoredFrom} `reset` rather than failing every later batch.
   */
  static restore(state: unknown, clock: Clock, options: Partial<HotIssueOptions> = {}): HotIssueEngine {
    const s = state as { formatVersion?: unknown; issues?: unknown } | null;
    if (s && Array.isArray(s.issues) && s.formatVersion === HOT_ISSUE_STATE_VERSION) return new HotIssueEngine(clock, options, s as HotIssueState, 'state');
    if (s && Array.isArray(s.issues) && s.formatVersion === 1) {
      return new HotIssueEngine(clock, options, upgradeState(s as unknown as HotIssueState), 'upgraded');
    }
    return new HotIssueEngine(clock, options, emptyState(), 'reset');
  }

  /** A deep copy of the state, safe to serialise and to change. */
  snapshot(): HotIssueState {
    return { ...this.state, issues: this.state.issues.map((issue) => copyIssue(issue, this.options.maxIssueTerms)), baselines: structuredClone(this.state.baselines) };
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
    const decayed = issue.decayedScore * Math.pow(2, -(now - issue.hotnessAt) / this.options.hotnessHalfLifeMs);
    const recent = countAfter(issue.recentTimes, now - this.options.windowMs);
    const volume = countAfter(issue.recentTimes, now - this.options.hotnessHalfLifeMs);
    const velocityShare = issue.mentionCount > 0 ? Math.min(1, recent / Math.max(1, volume)) : 0;
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
    return this.closeWindowsUntil(this.clock.now().getTime());
  }

  private closeWindowsUntil(now: number): HotIssueEvent[] {
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
    const now = this.clock.now().getTime();
    const events = this.closeWindowsUntil(now);
    this.latest = Math.max(this.latest, mention.time);
    if (this.latest >= this.nextSweep) this.sweep();
    const hash = simHashFromHex(mention.simhash);
    let match: IngestResult['match'] = 'new';
    let duplicateOf: HashEntry | undefined;
    let issue: IssueState | undefined;
    const near = this.findNearDuplicate(hash.hi, hash.lo, mention.time);
    if (near) {
      match = 'near-duplicate';
      issue = near.issue;
      duplicateOf = near;
    } else {
      issue = this.findSimilar(mention);
      if (issue) match = 'similar';
    }
    const created = !issue;
    issue ??= this.createIssue(mention, now);
    this.addMention(issue, mention, now, duplicateOf ? undefined : hash);
    events.push(...this.checkThresholds(issue, now));
    return { issueId: issue.id, created, match, events };
  }

  private retentionMs(): number {
    return Math.max(this.options.clusterWindowMs, this.options.placeWindowMs);
  }

  private activate(issue: IssueState): void {
    const n = norm(issue.terms);
    const entry: IssueIndex = {
      issue,
      norm: n,
      normSq: n * n,
      termCount: Object.keys(issue.terms).length,
      stamp: 0,
      dot: 0,
      placeStamp: 0,
      placeScore: 0,
      ownPlace: false,
      ownPlaceMentions: 0,
      terms: new Set(),
      places: new Set(),
      hashes: [],
    };
    entry.ownPlaceMentions = this.ownPlaceMentions(issue);
    entry.ownPlace = entry.ownPlaceMentions >= OWN_PLACE_SHARE * issue.mentionCount;
    this.index.set(issue, entry);
    this.active.add(issue);
    if (entry.termCount > 0) this.reindexTerms(entry);
    for (const place of Object.keys(issue.places)) this.indexPlace(entry, place);
    for (const hex of issue.simhashes) {
      const h = simHashFromHex(hex);
      this.indexHash(issue, entry, h.hi, h.lo);
    }
  }

  /** Takes issues silent for longer than the retention out of the indexes (they stay in the state). */
  private sweep(): void {
    const horizon = this.latest - this.retentionMs();
    for (const issue of this.active) {
      if (issue.lastSeen >= horizon) continue;
      const entry = this.index.get(issue)!;
      for (const term of entry.terms) this.unindexTerm(term, entry);
      for (const place of entry.places) {
        removeFrom(this.placeIndex, place, entry);
        for (const suffix of placeSuffixes(place)) removeFrom(this.placeSuffixIndex, suffix, entry);
      }
      for (let b = 0; b < this.bandIndex.length; b++) {
        const band = this.bandIndex[b]!;
        const keys = new Set<number>();
        for (const h of entry.hashes) keys.add(hashBits(h.hi, h.lo, this.bandStarts[b]!, this.bandWidths[b]!));
        for (const key of keys) {
          const list = band.get(key);
          if (!list) continue;
          const kept = list.filter((h) => h.issue !== issue);
          if (kept.length > 0) band.set(key, kept);
          else band.delete(key);
        }
      }
      this.index.delete(issue);
      this.active.delete(issue);
      this.flagged.delete(issue);
    }
    // Sweeping costs one pass over the active issues: a few times per shorter window is plenty.
    this.nextSweep = this.latest + this.options.clusterWindowMs / 4;
  }

  private isActive(issue: IssueState, time: number, windowMs: number): boolean {
    return Math.abs(time - issue.lastSeen) <= windowMs;
  }

  private findNearDuplicate(hi: number, lo: number, time: number): HashEntry | undefined {
    let best: HashEntry | undefined;
    let bestDistance = this.options.nearDuplicateBits + 1;
    for (let b = 0; b < this.bandIndex.length; b++) {
      const list = this.bandIndex[b]!.get(hashBits(hi, lo, this.bandStarts[b]!, this.bandWidths[b]!));
      if (!list) continue;
      for (let k = 0; k < list.length; k++) {
        const entry = list[k]!;
        const d = popcount32((entry.hi ^ hi) >>> 0) + popcount32((entry.lo ^ lo) >>> 0);
        if (d < bestDistance || (d === bestDistance && best && entry.issue.lastSeen > best.issue.lastSeen)) {
          if (!this.isActive(entry.issue, time, this.options.placeWindowMs)) continue;
          bestDistance = d;
          best = entry;
        }
      }
    }
    return best;
  }

  /** How much a place names one event: 1 when few active issues name it, less the more do. */
  private placeStrength(issuesNamingIt: number): number {
    const common = Math.max(SPECIFIC_PLACE_ISSUES, this.active.size * SPECIFIC_PLACE_SHARE);
    return issuesNamingIt <= common ? 1 : common / issuesNamingIt;
  }

  private findSimilar(mention: AnalysedMention): IssueState | undefined {
    // The mention's vector as arrays: it is compared with several candidates, and for-in over a many-keyed
    // object is slow and allocates.
    const keys = Object.keys(mention.terms);
    const weights = keys.map((k) => mention.terms[k]!);
    let mentionNorm = 0;
    for (const w of weights) mentionNorm += w * w;
    mentionNorm = Math.sqrt(mentionNorm);
    if (mentionNorm === 0) return undefined;
    // Per-call scratch lives on the issues' index entries (marked with this call's stamp): no maps to fill.
    const stamp = ++this.stamp;
    // Candidates through shared places, with the strength of the best shared place …
    const placed: IssueIndex[] = [];
    const share = (entries: Iterable<IssueIndex> | undefined, strength: number) => {
      if (!entries) return;
      for (const e of entries) {
        if (e.placeStamp !== stamp) {
          e.placeStamp = stamp;
          e.placeScore = strength;
          placed.push(e);
        } else if (strength > e.placeScore) e.placeScore = strength;
      }
    };
    let ownPlaces = false;
    for (const place of mention.places) {
      const kind = placeKind(place);
      if (kind === PLACE_ADMIN) continue;
      const exact = this.placeIndex.get(place);
      const longer = this.placeSuffixIndex.get(place);
      const strength = this.placeStrength((exact?.size ?? 0) + (longer?.size ?? 0)) * (kind === PLACE_AREA ? AREA_PLACE_WEIGHT : 1);
      if (kind === PLACE_OWN && strength >= STRONG_PLACE) ownPlaces = true;
      share(exact, strength);
      share(longer, strength);
      for (const suffix of placeSuffixes(place)) {
        const shorter = this.placeIndex.get(suffix);
        if (!shorter) continue;
        share(shorter, this.placeStrength(shorter.size + (this.placeSuffixIndex.get(suffix)?.size ?? 0)) * (placeKind(suffix) === PLACE_AREA ? AREA_PLACE_WEIGHT : 1));
      }
    }
    // … and through keywords: a partial dot product over the issues' indexed (strongest) keywords, accumulated
    // posting by posting, so the work is the number of shared keywords rather than candidates × keywords.
    const reached: IssueIndex[] = [];
    for (let k = 0; k < keys.length; k++) {
      const posting = this.termIndex.get(keys[k]!);
      if (!posting || posting.size > MAX_TERM_POSTING) continue;
      const w = weights[k]!;
      posting.forEach((issueWeight, e) => {
        if (e.stamp !== stamp) {
          e.stamp = stamp;
          e.dot = 0;
          reached.push(e);
        }
        e.dot += w * issueWeight;
      });
    }
    const { placeWindowMs, clusterWindowMs, similarityThreshold, sharedPlaceBonus, differentPlacePenalty } = this.options;
    // Rough scores pick the few candidates worth an exact score; every strongly shared place is among them.
    const floor = similarityThreshold * ROUGH_SHARE;
    const top: IssueIndex[] = [];
    const topScores: number[] = [];
    for (const e of reached) {
      const roughScore = e.dot / (mentionNorm * (e.norm || 1)) + (e.placeStamp === stamp ? sharedPlaceBonus * e.placeScore : 0);
      if (roughScore < floor || (top.length === EXACT_CANDIDATES && roughScore <= topScores[EXACT_CANDIDATES - 1]!)) continue;
      if (Math.abs(mention.time - e.issue.lastSeen) > placeWindowMs) continue;
      if (top.length === EXACT_CANDIDATES) {
        top.pop();
        topScores.pop();
      }
      let at = top.length;
      while (at > 0 && topScores[at - 1]! < roughScore) at--;
      top.splice(at, 0, e);
      topScores.splice(at, 0, roughScore);
    }
    for (const e of placed) if (e.placeScore >= STRONG_PLACE && !top.includes(e)) top.push(e);
    let best: IssueState | undefined;
    let bestScore = similarityThreshold;
    for (const entry of top) {
      const issue = entry.issue;
      const gap = Math.abs(mention.time - issue.lastSeen);
      if (gap > placeWindowMs) continue;
      const terms = issue.terms;
      let dot = 0;
      for (let k = 0; k < keys.length; k++) {
        const w = terms[keys[k]!];
        if (w !== undefined) dot += weights[k]! * w;
      }
      let score = dot / (mentionNorm * (entry.norm || 1));
      const placeScore = entry.placeStamp === stamp ? entry.placeScore : 0;
      if (placeScore > 0) score += sharedPlaceBonus * placeScore;
      else if (ownPlaces && entry.ownPlace) score -= differentPlacePenalty;
      const longWindow = placeScore >= STRONG_PLACE || score >= similarityThreshold + LONG_WINDOW_MARGIN;
      if (!longWindow && gap > clusterWindowMs) continue;
      if (score >= bestScore) {
        bestScore = score;
        best = issue;
      }
    }
    return best;
  }

  /**
   * Mentions naming the issue's most named place of its own (estate, company …): the issue is about that place
   * when a good share of its mentions name it ({@link OWN_PLACE_SHARE}).
   */
  private ownPlaceMentions(issue: IssueState): number {
    let most = 0;
    for (const place in issue.places) {
      if (issue.places[place]! > most && placeKind(place) === PLACE_OWN) most = issue.places[place]!;
    }
    return most;
  }

  private createIssue(mention: AnalysedMention, now: number): IssueState {
    const issue: IssueState = {
      id: `I${String(this.state.nextIssueNumber++).padStart(6, '0')}`,
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
    this.state.issues.push(issue);
    this.byId.set(issue.id, issue);
    this.activate(issue);
    return issue;
  }

  private reindexTerms(entry: IssueIndex): void {
    const terms = entry.issue.terms;
    const cutoff = nthLargest(terms, INDEXED_TERMS_PER_ISSUE);
    const top = new Set<string>();
    for (const term in terms) if (terms[term]! >= cutoff) top.add(term);
    for (const term of entry.terms) if (!top.has(term)) this.unindexTerm(term, entry);
    for (const term of top) {
      let posting = this.termIndex.get(term);
      if (!posting) this.termIndex.set(term, (posting = new Map()));
      posting.set(entry, terms[term]!);
    }
    entry.terms = top;
  }

  private unindexTerm(term: string, entry: IssueIndex): void {
    const posting = this.termIndex.get(term);
    if (!posting) return;
    posting.delete(entry);
    if (posting.size === 0) this.termIndex.delete(term);
  }

  private indexPlace(entry: IssueIndex, place: string): void {
    if (!isSpecific(place) || entry.places.has(place)) return;
    entry.places.add(place);
    addTo(this.placeIndex, place, entry);
    for (const suffix of placeSuffixes(place)) addTo(this.placeSuffixIndex, suffix, entry);
  }

  private indexHash(issue: IssueState, entry: IssueIndex, hi: number, lo: number): void {
    const h: HashEntry = { hi, lo, issue };
    entry.hashes.push(h);
    for (let b = 0; b < this.bandIndex.length; b++) {
      const band = this.bandIndex[b]!;
      const key = hashBits(hi, lo, this.bandStarts[b]!, this.bandWidths[b]!);
      const list = band.get(key);
      if (list) list.push(h);
      else band.set(key, [h]);
    }
  }

  private mentionScore(m: AnalysedMention): number {
    const source = this.options.sourceWeights[m.source] ?? 1;
    const engagement = Math.log(1 + Math.max(0, m.likes) + 2 * Math.max(0, m.comments) + 3 * Math.max(0, m.reposts));
    return source * (1 + engagement) * (1 + this.options.negativityWeight * Math.min(1, Math.max(0, m.negativity)));
  }

  private addMention(issue: IssueState, m: AnalysedMention, now: number, newHash: { hi: number; lo: number } | undefined): void {
    const entry = this.index.get(issue) ?? (this.activate(issue), this.index.get(issue)!);
    issue.mentionIds.push(m.id);
    issue.mentionCount++;
    issue.firstSeen = Math.min(issue.firstSeen, m.time);
    issue.lastSeen = Math.max(issue.lastSeen, m.time);
    // Centroid: sum of the mention vectors normalised to unit length, pruned to the strongest terms (with slack,
    // so the sort runs once per several mentions rather than on each).
    const n = norm(m.terms) || 1;
    const terms = issue.terms;
    const oldNorm = entry.norm;
    let dot = 0;
    for (const term in m.terms) {
      const old = terms[term];
      if (old !== undefined) dot += old * m.terms[term]!;
      const next = (old ?? 0) + m.terms[term]! / n;
      if (old === undefined) entry.termCount++;
      entry.normSq += next * next - (old ?? 0) * (old ?? 0);
      terms[term] = next;
    }
    if (entry.termCount > this.options.maxIssueTerms * 2) {
      issue.terms = keepFrom(terms, nthLargest(terms, this.options.maxIssueTerms));
      entry.termCount = Object.keys(issue.terms).length;
      entry.normSq = norm(issue.terms) ** 2;
    }
    entry.norm = Math.sqrt(Math.max(0, entry.normSq));
    const typical = oldNorm > 0 ? dot / (n * oldNorm) : 0;
    issue.titleScore *= TITLE_SCORE_DECAY;
    if (typical > issue.titleScore && m.title) {
      issue.title = m.title;
      issue.titleScore = typical;
    }
    // A large issue's strongest keywords hardly move with one more mention: re-rank them now and then.
    if (issue.mentionCount <= 2 || issue.mentionCount % REINDEX_EVERY === 0) this.reindexTerms(entry);
    for (const p of m.places) {
      const count = (issue.places[p] ?? 0) + 1;
      issue.places[p] = count;
      if (count > entry.ownPlaceMentions && placeKind(p) === PLACE_OWN) entry.ownPlaceMentions = count;
      this.indexPlace(entry, p);
    }
    if (m.places.length > 0 && Object.keys(issue.places).length > MAX_ISSUE_PLACES * 1.5) {
      // Rare places leave the state; the index keeps them until the issue retires (harmless, and cheap).
      issue.places = Object.fromEntries(topEntries(issue.places, MAX_ISSUE_PLACES));
    }
    if (m.places.length > 0 || issue.mentionCount % REINDEX_EVERY === 0) entry.ownPlace = entry.ownPlaceMentions >= OWN_PLACE_SHARE * issue.mentionCount;
    if (newHash) {
      issue.simhashes.push(m.simhash);
      this.indexHash(issue, entry, newHash.hi, newHash.lo);
      if (issue.simhashes.length > MAX_SIMHASHES_PER_ISSUE) issue.simhashes.shift();
    }
    issue.categoryCounts[m.category] = (issue.categoryCounts[m.category] ?? 0) + 1;
    if (m.negativity >= 0.5) issue.negativeMentions++;
    issue.engagement.likes += m.likes;
    issue.engagement.comments += m.comments;
    issue.engagement.reposts += m.reposts;
    issue.decayedScore = issue.decayedScore * Math.pow(2, -(now - issue.hotnessAt) / this.options.hotnessHalfLifeMs) + this.mentionScore(m);
    issue.hotnessAt = now;
    const times = issue.recentTimes;
    let at = times.length;
    while (at > 0 && times[at - 1]! > m.time) at--;
    times.splice(at, 0, m.time);
    const horizon = now - Math.max(this.options.windowMs, this.options.hotnessHalfLifeMs);
    let drop = 0;
    while (drop < times.length && times[drop]! <= horizon) drop++;
    if (drop > 0) times.splice(0, drop);
    issue.peakHotness = Math.max(issue.peakHotness, this.hotness(issue, now));
    this.touched.add(issue);
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
    const inWindow = countAfter(issue.recentTimes, now - this.options.windowMs);
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
    this.flagged.add(issue);
    return [this.event(issue, reached, previous, now, hotness, 'threshold')];
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
      const hotness = this.hotness(issue, end);
      const velocity = countAfter(issue.recentTimes, end - this.options.windowMs) - countAfter(issue.recentTimes, end);
      if (velocity > 0) {
        issue.history.push({ at: end, hotness: Math.round(hotness * 100) / 100, velocity });
        if (issue.history.length > MAX_HISTORY_POINTS) issue.history.splice(0, issue.history.length - MAX_HISTORY_POINTS);
      }
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
