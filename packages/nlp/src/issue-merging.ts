// Sibling issues: two open issues about the same event. Mention by mention, clustering can open a second issue for
// an event whose first posts it had not yet learnt to recognise (58车贷 in one post, 展星投资 in the next); once both
// have grown, their centroids show they are one event and the smaller is folded into the larger, so the event's
// messages end up in one issue and its burst is measured (and flagged) whole. Pure: state in, state out.
import type { HotIssueOptions } from './hot-issue-config.ts';
import { MAX_HISTORY_POINTS, MAX_SIMHASHES_PER_ISSUE, type HotnessPoint, type IssueState } from './hot-issue-state.ts';
import { issueHotness } from './hotness.ts';
import { OWN_PLACE_SHARE, PLACE_ADMIN, PLACE_AREA, PLACE_OWN, placeKind, placeSuffixes } from './issue-places.ts';
import { keepFrom, nthLargest, topEntries } from './term-vector.ts';

/** Weight of a shared area or road against a shared estate or company (as in clustering). */
const AREA_PLACE_WEIGHT = 0.4;
/** A place named by fewer than this share of an issue's mentions is incidental to it, not what it is about. */
const PLACE_MENTION_SHARE = 0.2;
/** Place names kept per issue after a fold (the most named; as clustering keeps them). */
const MAX_ISSUE_PLACES = 40;

/**
 * Whether clustering may fold an issue into another on its own: only while nobody has acted on it. A flagged issue
 * has been alerted on (its flag and alert name it), a held one was touched by an analyst (status, locked field,
 * assignee, rumour mark), a resolved or merged one carries a decision: an analyst's decision is data, and nothing
 * automatic overwrites it. Such an issue can still take a fragment in.
 */
export function isFoldable(issue: IssueState): boolean {
  return (
    issue.level === null &&
    issue.flaggedAt === null &&
    issue.held !== true &&
    issue.fixed === undefined &&
    issue.resolvedAt === undefined &&
    issue.mergedInto === undefined
  );
}

/** Cosine of two issues' keyword centroids. */
export function centroidCosine(a: Record<string, number>, b: Record<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const t in a) {
    const w = a[t]!;
    na += w * w;
    const v = b[t];
    if (v !== undefined) dot += w * v;
  }
  for (const t in b) nb += b[t]! * b[t]!;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** The places an issue is about: specific (not administrative) and named by a fair share of its mentions. */
function placesAbout(issue: IssueState): string[] {
  const min = Math.max(1, PLACE_MENTION_SHARE * issue.mentionCount);
  return Object.keys(issue.places).filter((p) => issue.places[p]! >= min && placeKind(p) !== PLACE_ADMIN);
}

/** True when place `a` and place `b` name the same thing: equal, or one ends with the other (万科魅力之城, 魅力之城). */
function samePlace(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return placeSuffixes(long).includes(short);
}

/**
 * How strongly two issues share a place they are about: 1 for an estate, company or case, 0.4 for an area or road,
 * 0 for none; and whether both are about places of their own of which none match (different estates, different
 * events).
 */
export function sharedPlace(a: IssueState, b: IssueState): { strength: number; different: boolean } {
  const pa = placesAbout(a);
  const pb = placesAbout(b);
  let strength = 0;
  for (const x of pa)
    for (const y of pb)
      if (samePlace(x, y)) {
        const kind = placeKind(x.length <= y.length ? x : y);
        strength = Math.max(strength, kind === PLACE_AREA ? AREA_PLACE_WEIGHT : 1);
      }
  const own = (issue: IssueState, places: string[]) =>
    places.some((p) => placeKind(p) === PLACE_OWN && issue.places[p]! >= OWN_PLACE_SHARE * issue.mentionCount);
  return { strength, different: strength === 0 && own(a, pa) && own(b, pb) };
}

/**
 * Similarity of two issues as one event: centroid cosine, plus the clustering's shared-place bonus or minus its
 * different-place penalty (the same rule that files a single mention, applied to two issues).
 */
export function siblingSimilarity(a: IssueState, b: IssueState, options: HotIssueOptions): number {
  const place = sharedPlace(a, b);
  let score = centroidCosine(a.terms, b.terms);
  if (place.strength > 0) score += options.sharedPlaceBonus * place.strength;
  else if (place.different) score -= options.differentPlacePenalty;
  return score;
}

/**
 * Which of two sibling issues is folded into which: a foldable issue ({@link isFoldable}) into the other; when both
 * are, the smaller into the larger (on a tie the younger into the older). Undefined when neither may be folded.
 */
export function foldDirection(a: IssueState, b: IssueState): { source: IssueState; target: IssueState } | undefined {
  const fa = isFoldable(a);
  const fb = isFoldable(b);
  if (!fa && !fb) return undefined;
  if (fa && !fb) return { source: a, target: b };
  if (fb && !fa) return { source: b, target: a };
  const aFirst =
    a.mentionCount > b.mentionCount ||
    (a.mentionCount === b.mentionCount && (a.firstSeen < b.firstSeen || (a.firstSeen === b.firstSeen && a.id < b.id)));
  return aFirst ? { source: b, target: a } : { source: a, target: b };
}

/** Two sorted arrays as one sorted array. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!);
  return out;
}

/** Two histories as one: points of the same window end add up. */
function mergeHistory(a: readonly HotnessPoint[], b: readonly HotnessPoint[]): HotnessPoint[] {
  const byAt = new Map<number, HotnessPoint>();
  for (const p of [...a, ...b]) {
    const known = byAt.get(p.at);
    if (known) {
      known.hotness = Math.round((known.hotness + p.hotness) * 100) / 100;
      known.velocity += p.velocity;
    } else byAt.set(p.at, { ...p });
  }
  return [...byAt.values()].sort((x, y) => x.at - y.at).slice(-MAX_HISTORY_POINTS);
}

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k]!;
}

/**
 * Folds `source` into `target` at `now`: members, counts, keyword centroid (both are sums of unit mention vectors,
 * so they add), places, SimHashes, engagement, decayed hotness (both brought to `now`), recent times and history.
 * The target keeps its id, title, level and analyst decisions; the source is left as it was (the caller drops it).
 */
export function foldIssueInto(target: IssueState, source: IssueState, now: number, options: HotIssueOptions): void {
  target.mentionIds.push(...source.mentionIds);
  target.mentionCount += source.mentionCount;
  target.firstSeen = Math.min(target.firstSeen, source.firstSeen);
  target.lastSeen = Math.max(target.lastSeen, source.lastSeen);
  addCounts(target.terms, source.terms);
  if (Object.keys(target.terms).length > options.maxIssueTerms * 2)
    target.terms = keepFrom(target.terms, nthLargest(target.terms, options.maxIssueTerms));
  addCounts(target.places, source.places);
  if (Object.keys(target.places).length > MAX_ISSUE_PLACES * 1.5)
    target.places = Object.fromEntries(topEntries(target.places, MAX_ISSUE_PLACES));
  target.simhashes = [...new Set([...target.simhashes, ...source.simhashes])].slice(-MAX_SIMHASHES_PER_ISSUE);
  addCounts(target.categoryCounts, source.categoryCounts);
  target.negativeMentions += source.negativeMentions;
  target.engagement.likes += source.engagement.likes;
  target.engagement.comments += source.engagement.comments;
  target.engagement.reposts += source.engagement.reposts;
  const decay = (issue: IssueState) =>
    issue.decayedScore * Math.pow(2, -(now - issue.hotnessAt) / options.hotnessHalfLifeMs);
  target.decayedScore = decay(target) + decay(source);
  target.hotnessAt = now;
  target.recentTimes = mergeSorted(target.recentTimes, source.recentTimes);
  target.history = mergeHistory(target.history, source.history);
  target.peakHotness = Math.max(target.peakHotness, source.peakHotness, issueHotness(target, now, options));
}
