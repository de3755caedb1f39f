/** Alert levels of a hot issue, in rising order: 一般 (general), 较大 (major), 重大 (severe). */
export const ALERT_LEVELS = ['一般', '较大', '重大'] as const;
/** One of {@link ALERT_LEVELS}. */
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Threshold an issue must pass to be flagged at one level. */
export interface LevelThreshold {
  level: AlertLevel;
  /** Hotness divided by the category's baseline hotness per issue. */
  minRatio: number;
  /** Mentions inside the burst window; a single viral post is not yet an issue. */
  minMentions: number;
  /**
   * Or mentions inside the slow window: a burst spread over an afternoon (a few posts an hour, every hour) never
   * fills the 1 h window, yet it is the same event growing. `Infinity` turns the slow test off.
   */
  minSlowMentions: number;
}

/** Settings of clustering, hotness and burst detection; every field has a default. */
export interface HotIssueOptions {
  /** Posts further apart than this are not merged by content similarity. @defaultValue 72 h */
  clusterWindowMs: number;
  /**
   * Posts sharing a specific place (estate, company, case) with an issue, and near-duplicates, join it up to
   * this long after its last post: complaints about one estate come back for weeks. @defaultValue 30 days
   */
  placeWindowMs: number;
  /** Max SimHash bit distance (of 64) for a near-duplicate / repost. @defaultValue 6 */
  nearDuplicateBits: number;
  /** Cosine similarity of keyword vectors to join an issue. @defaultValue 0.35 */
  similarityThreshold: number;
  /** Added to the similarity when the post and the issue share a specific place (estate, street, company). @defaultValue 0.15 */
  sharedPlaceBonus: number;
  /** Subtracted when both name specific places and none match (different estates are different events). @defaultValue 0.2 */
  differentPlacePenalty: number;
  /** Length of the burst window and of one baseline step. @defaultValue 1 h */
  windowMs: number;
  /** Length of the slow burst window ({@link LevelThreshold.minSlowMentions}). @defaultValue 6 h */
  slowWindowMs: number;
  /** Half-life of a mention's contribution to hotness. @defaultValue 6 h */
  hotnessHalfLifeMs: number;
  /** Weight of each source kind in hotness (unknown sources weigh 1). */
  sourceWeights: Record<string, number>;
  /** Extra weight of a negative mention (1 → a negative mention counts double). @defaultValue 1 */
  negativityWeight: number;
  /** Smoothing of each category's baseline (EWMA weight of the newest window). @defaultValue 0.1 */
  baselineAlpha: number;
  /** Baseline hotness per active issue before a category has history (≈ one ordinary post). @defaultValue 1.5 */
  baselineFloor: number;
  /** Thresholds, lowest level first. */
  levels: LevelThreshold[];
  /** Windows of continued growth after which a flagged issue is raised one level. @defaultValue 3 */
  escalateAfterGrowingWindows: number;
  /** Growth per window that counts as "still growing" (hotness × this). @defaultValue 1.2 */
  growthFactor: number;
  /** Most keywords kept per issue. @defaultValue 40 */
  maxIssueTerms: number;
  /**
   * Similarity of two open issues ({@link siblingSimilarity}: centroid cosine with the place bonus or penalty) at
   * which they are one event and the smaller is folded into the larger. `Infinity` turns folding off. @defaultValue 0.5
   */
  siblingSimilarity: number;
  /** Issues are folded only while both had a post within this time. @defaultValue 6 h */
  siblingWindowMs: number;
}

/**
 * Defaults tuned on planted bursts (`pnpm bench bursts`): a flat background of ordinary posts never flags; 5+
 * related posts in an hour, or 8+ in six hours, with hotness 5× the category's ordinary issue, do.
 */
export const DEFAULT_HOT_ISSUE_OPTIONS: HotIssueOptions = {
  clusterWindowMs: 72 * 3600_000,
  placeWindowMs: 30 * 24 * 3600_000,
  nearDuplicateBits: 6,
  similarityThreshold: 0.35,
  sharedPlaceBonus: 0.15,
  differentPlacePenalty: 0.2,
  windowMs: 3600_000,
  slowWindowMs: 6 * 3600_000,
  hotnessHalfLifeMs: 6 * 3600_000,
  sourceWeights: { weibo: 1.2, news: 1.5, gov: 1.3, forum: 1, board: 1 },
  negativityWeight: 1,
  baselineAlpha: 0.1,
  baselineFloor: 1.5,
  levels: [
    { level: '一般', minRatio: 5, minMentions: 5, minSlowMentions: 8 },
    { level: '较大', minRatio: 15, minMentions: 12, minSlowMentions: 20 },
    { level: '重大', minRatio: 40, minMentions: 30, minSlowMentions: 50 },
  ],
  escalateAfterGrowingWindows: 3,
  growthFactor: 1.2,
  maxIssueTerms: 40,
  siblingSimilarity: 0.5,
  siblingWindowMs: 6 * 3600_000,
};

/** Merges partial options over the defaults (levels sorted lowest first). */
export function resolveHotIssueOptions(options: Partial<HotIssueOptions> = {}): HotIssueOptions {
  const merged = {
    ...DEFAULT_HOT_ISSUE_OPTIONS,
    ...options,
    sourceWeights: { ...DEFAULT_HOT_ISSUE_OPTIONS.sourceWeights, ...options.sourceWeights },
  };
  merged.levels = [...merged.levels].sort((a, b) => ALERT_LEVELS.indexOf(a.level) - ALERT_LEVELS.indexOf(b.level));
  return merged;
}
