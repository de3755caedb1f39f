import { createLogger, type Clock } from '@yuqing/core';
import type { ClusteredIssue, IssueLevel, MentionForAnalysis } from '@yuqing/db';
import {
  analyseMention,
  HotIssueEngine,
  type AnalystDecision,
  type AlertLevel,
  type AnalysedMention,
  type HotIssueEvent,
  type HotIssueOptions,
  type HotIssueState,
  type IssueFold,
  type IssueState,
  type PreCutText,
} from '@yuqing/nlp';

/** The persisted form: the engine's state plus the engine's own clock (it follows the mentions' times). */
export interface StoredClusteringState {
  engine: HotIssueState;
  clockMs: number;
}

/** Engine levels → database levels. */
export const LEVEL_OF: Record<AlertLevel, Exclude<IssueLevel, 'none'>> = {
  一般: 'general',
  较大: 'major',
  重大: 'severe',
};

const log = createLogger('issue-clustering');

/** Issue ids kept per engine issue in the persisted state (the database holds the full membership). */
const KEPT_MENTION_IDS = 20;
/** Issues silent for this many clustering windows leave the engine (they stay in the database). */
const RETIRE_AFTER_WINDOWS = 2;

/** What clustering one batch produced. */
export interface ClusteringOutcome {
  /** Engine issues touched by the batch, ready to upsert. */
  issues: ClusteredIssue[];
  /** mention id → engine issue key, with the first mention of a near-duplicate's issue as its original. */
  assignments: { mentionId: number; clusterKey: string; repostOfMentionId: number | null }[];
  events: HotIssueEvent[];
  /** Per touched issue, its history point at the engine's time. */
  hotness: { clusterKey: string; at: Date; hotness: number; velocity: number; engagement: number }[];
  /** Per touched issue, the highest hotness the engine has seen it reach. */
  peakHotness: Record<string, number>;
  /**
   * Issues folded into a sibling about the same event, in order, each with the key of the issue that holds its
   * mentions at the end of the batch ({@link finalKey}): a stored one is to be folded into that one.
   */
  folds: (IssueFold & { finalKey: string })[];
  state: StoredClusteringState;
}

/** A clock the engine reads: the latest mention time seen, never ahead of the wall clock. */
class FollowingClock implements Clock {
  constructor(public ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
}

/** A relevant mention ready for clustering: the stored row and its clustering features. */
export interface ClusteringInput {
  mention: MentionForAnalysis;
  features: AnalysedMention;
}

/**
 * Clustering features of a classified mention (keywords, places, SimHash, engagement). Pure CPU and independent
 * of the shared state, so workers compute them before taking the clustering lock. `prepared`: the classifier's
 * jieba cut of `mentionText(mention)`, reused instead of cutting again.
 */
export function clusteringFeatures(
  mention: MentionForAnalysis,
  category: string,
  negativity: number,
  prepared?: PreCutText,
): AnalysedMention {
  return analyseMention(
    {
      id: String(mention.id),
      text: mention.body,
      title: mention.title,
      time: timeOf(mention),
      likes: mention.likes,
      comments: mention.comments,
      reposts: mention.reposts,
      source: mention.sourceKind ?? 'unknown',
      ...(mention.hotListRank ? { hotRank: mention.hotListRank } : {}),
    },
    { category, negativity },
    prepared,
  );
}

/**
 * Files a batch of classified, relevant mentions under issues with the shared engine state. Time follows
 * the mentions (a backlog from a first crawl replays in order instead of looking like a burst), capped at
 * the wall clock so a mis-dated future post cannot move time forward.
 */
export function clusterBatch(
  stored: StoredClusteringState | undefined,
  mentions: readonly ClusteringInput[],
  wallClock: Clock,
  options: Partial<HotIssueOptions> = {},
  decisions: readonly AnalystDecision[] = [],
): ClusteringOutcome {
  const wallMs = wallClock.now().getTime();
  const clock = new FollowingClock(stored?.clockMs ?? 0);
  const engine = stored ? HotIssueEngine.restore(stored.engine, clock, options) : new HotIssueEngine(clock, options);
  if (engine.restoredFrom === 'reset')
    log.warn('stored clustering state unreadable; clustering continues from an empty state (existing issues stay)');
  engine.applyAnalystDecisions(decisions);
  const ordered = [...mentions].sort((a, b) => timeOf(a.mention) - timeOf(b.mention) || a.mention.id - b.mention.id);
  const touched = new Set<string>();
  const events: HotIssueEvent[] = [];
  const assignments: ClusteringOutcome['assignments'] = [];
  /** Per issue, the earliest and latest own time of the batch's posts filed under it. */
  const seen = new Map<string, { first: number; last: number }>();
  const folds: IssueFold[] = [];
  for (const { mention, features } of ordered) {
    const time = Math.min(timeOf(mention), wallMs);
    clock.ms = Math.max(clock.ms, time);
    const result = engine.ingest({ ...features, time: clock.ms });
    events.push(...result.events);
    folds.push(...result.folds);
    touched.add(result.issueId);
    // The engine files a late post at its clock (windows close in order, a backlog is not a burst); the issue's
    // times shown to people are the posts' own: a post from 14:46 filed after one from 21:10 is seen at 14:46.
    const span = seen.get(result.issueId);
    if (span) {
      span.first = Math.min(span.first, time);
      span.last = Math.max(span.last, time);
    } else seen.set(result.issueId, { first: time, last: time });
    const issue = engine.issue(result.issueId);
    const first = issue?.mentionIds[0];
    assignments.push({
      mentionId: mention.id,
      clusterKey: result.issueId,
      repostOfMentionId:
        result.match === 'near-duplicate' && first && first !== String(mention.id) ? Number(first) : null,
    });
  }
  for (const event of events) touched.add(event.issueId);
  // A folded issue's mentions are its target's: filings, spans and touched keys follow the folds to the end.
  const into = new Map(folds.map((f) => [f.from, f.into]));
  const finalKey = (key: string): string => {
    for (let hops = 0; into.has(key) && hops <= folds.length; hops++) key = into.get(key)!;
    return key;
  };
  for (const a of assignments) a.clusterKey = finalKey(a.clusterKey);
  for (const f of folds) {
    touched.delete(f.from);
    touched.add(finalKey(f.into));
    const span = seen.get(f.from);
    if (!span) continue;
    seen.delete(f.from);
    const target = seen.get(finalKey(f.into));
    if (target) {
      target.first = Math.min(target.first, span.first);
      target.last = Math.max(target.last, span.last);
    } else seen.set(finalKey(f.into), span);
  }
  return outcomeOf(engine, clock.ms, touched, seen, {
    events,
    assignments,
    historyFor: touched,
    folds: folds.map((f) => ({ ...f, finalKey: finalKey(f.into) })),
  });
}

/** Issues whose stored hotness the engine tick refreshes: those with a post in the last few half-lives. */
const DECAY_REFRESH_HALF_LIVES = 4;

/**
 * Advances the engine's clock to the wall clock with no new mention (the periodic engine tick): burst windows that
 * ended since the last post close on time (baselines, growth escalations), and the hotness of issues active in the
 * last few half-lives is recomputed, so it decays on the dashboard while nobody posts. History points are added only
 * for issues an event concerns, so a quiet minute does not write a row per issue.
 */
export function advanceEngineClock(
  stored: StoredClusteringState,
  wallClock: Clock,
  options: Partial<HotIssueOptions> = {},
  decisions: readonly AnalystDecision[] = [],
): ClusteringOutcome {
  const clock = new FollowingClock(stored.clockMs);
  const engine = HotIssueEngine.restore(stored.engine, clock, options);
  engine.applyAnalystDecisions(decisions);
  clock.ms = Math.max(clock.ms, wallClock.now().getTime());
  const events = engine.tick();
  const horizon = clock.ms - DECAY_REFRESH_HALF_LIVES * engine.options.hotnessHalfLifeMs;
  const touched = new Set<string>(events.map((e) => e.issueId));
  for (const issue of engine.listIssues()) if (issue.lastSeen >= horizon) touched.add(issue.id);
  return outcomeOf(engine, clock.ms, touched, new Map(), {
    events,
    assignments: [],
    historyFor: new Set(events.map((e) => e.issueId)),
    folds: [],
  });
}

/** The issues to mirror, their history points and the state to save, after a batch or a tick. */
function outcomeOf(
  engine: HotIssueEngine,
  nowMs: number,
  touched: ReadonlySet<string>,
  seen: ReadonlyMap<string, { first: number; last: number }>,
  parts: Pick<ClusteringOutcome, 'events' | 'assignments' | 'folds'> & { historyFor: ReadonlySet<string> },
): ClusteringOutcome {
  const issues: ClusteredIssue[] = [];
  const hotness: ClusteringOutcome['hotness'] = [];
  const peakHotness: Record<string, number> = {};
  for (const key of touched) {
    const issue = engine.issue(key);
    if (!issue) continue;
    // An issue whose newest post is older than the clock (a backlog) gets its point at that post, so its chart
    // starts where its posts do.
    const span = seen.get(key);
    const pointMs = Math.min(nowMs, span?.last ?? issue.lastSeen);
    const value = engine.hotness(issue);
    issues.push({
      clusterKey: key,
      title: issue.title,
      keywords: engine.keywords(issue),
      places: topPlaces(issue),
      category: engine.category(issue),
      hotness: value,
      firstSeenAt: new Date(span?.first ?? issue.firstSeen),
      lastSeenAt: new Date(span?.last ?? issue.lastSeen),
      level: issue.level ? LEVEL_OF[issue.level] : 'none',
      flaggedAt: issue.flaggedAt === null ? null : new Date(issue.flaggedAt),
    });
    peakHotness[key] = issue.peakHotness;
    if (!parts.historyFor.has(key)) continue;
    const engagement = issue.engagement.likes + 2 * issue.engagement.comments + 3 * issue.engagement.reposts;
    hotness.push({
      clusterKey: key,
      at: new Date(pointMs),
      hotness: value,
      velocity: issue.recentTimes.filter((t) => t > nowMs - engine.options.windowMs).length,
      engagement,
    });
  }
  // Issues stay in the shared state while they can still absorb posts: the clustering window, or the longer
  // window in which a post naming the same specific place still joins.
  const keepMs = Math.max(RETIRE_AFTER_WINDOWS * engine.options.clusterWindowMs, engine.options.placeWindowMs);
  return {
    issues,
    assignments: parts.assignments,
    events: parts.events,
    hotness,
    peakHotness,
    folds: parts.folds,
    state: { engine: compact(engine.snapshot(), nowMs, keepMs), clockMs: nowMs },
  };
}

function timeOf(mention: MentionForAnalysis): number {
  return (mention.publishedAt ?? mention.fetchedAt).getTime();
}

function topPlaces(issue: IssueState): string[] {
  return Object.entries(issue.places)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([p]) => p);
}

/**
 * Keeps the shared state small: issues silent for longer than the clustering window can no longer absorb
 * new posts and leave the engine; member lists keep the first id (the original of reposts) and the newest.
 */
function compact(state: HotIssueState, nowMs: number, keepMs: number): HotIssueState {
  const horizon = nowMs - keepMs;
  state.issues = state.issues.filter((issue) => issue.lastSeen >= horizon);
  for (const issue of state.issues) {
    if (issue.mentionIds.length > KEPT_MENTION_IDS)
      issue.mentionIds = [issue.mentionIds[0]!, ...issue.mentionIds.slice(-(KEPT_MENTION_IDS - 1))];
  }
  return state;
}
