import type { HotIssueOptions } from './hot-issue-config.ts';
import { MAX_SIMHASHES_PER_ISSUE, type AnalysedMention, type IssueState } from './hot-issue-state.ts';
import type { IssueIndex, IssueIndexes } from './issue-indexes.ts';
import { PLACE_ADMIN, PLACE_AREA, PLACE_OWN, placeKind, placeSuffixes } from './issue-places.ts';
import { keepFrom, norm, nthLargest, topEntries } from './term-vector.ts';

/** Place names kept per issue (the rarest go first). */
const MAX_ISSUE_PLACES = 40;
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
/** Weight of a shared area or road against a shared estate/company. */
const AREA_PLACE_WEIGHT = 0.4;
/** A place shared by at most this many active issues (or this share of them) counts fully as evidence. */
const SPECIFIC_PLACE_ISSUES = 4;
const SPECIFIC_PLACE_SHARE = 0.002;
/** Shared-place strength at which the long {@link HotIssueOptions.placeWindowMs} applies. */
const STRONG_PLACE = 0.5;
/** Without a shared place, content this much above the threshold also links across the long window. */
const LONG_WINDOW_MARGIN = 0.2;

/**
 * Which issue a mention joins, and what joining changes in the issue's content (members, keyword centroid,
 * title, places, SimHashes, counts). Near-duplicates are found by {@link IssueIndexes.nearDuplicate}; the rest by
 * {@link findSimilar}: keyword cosine against the issue's centroid, plus a bonus for a shared specific place
 * (weighted by how few active issues name it) or minus a penalty when both name places of their own and none
 * match. Content alone links posts within `clusterWindowMs`; a strongly shared place within `placeWindowMs`.
 */
export class IssueMembership {
  constructor(
    private readonly indexes: IssueIndexes,
    private readonly options: HotIssueOptions,
  ) {}

  /** How much a place names one event: 1 when few active issues name it, less the more do. */
  private placeStrength(issuesNamingIt: number): number {
    const common = Math.max(SPECIFIC_PLACE_ISSUES, this.indexes.activeCount * SPECIFIC_PLACE_SHARE);
    return issuesNamingIt <= common ? 1 : common / issuesNamingIt;
  }

  /** The most similar active issue at or above the similarity threshold, if any. */
  findSimilar(mention: AnalysedMention): IssueState | undefined {
    // The mention's vector as arrays: it is compared with several candidates, and for-in over a many-keyed
    // object is slow and allocates.
    const keys = Object.keys(mention.terms);
    const weights = keys.map((k) => mention.terms[k]!);
    let mentionNorm = 0;
    for (const w of weights) mentionNorm += w * w;
    mentionNorm = Math.sqrt(mentionNorm);
    if (mentionNorm === 0) return undefined;
    const indexes = this.indexes;
    // Per-call scratch lives on the issues' index entries (marked with this call's stamp): no maps to fill.
    const stamp = indexes.nextStamp();
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
      const exact = indexes.issuesNaming(place);
      const longer = indexes.issuesNamingLonger(place);
      const strength =
        this.placeStrength((exact?.size ?? 0) + (longer?.size ?? 0)) * (kind === PLACE_AREA ? AREA_PLACE_WEIGHT : 1);
      if (kind === PLACE_OWN && strength >= STRONG_PLACE) ownPlaces = true;
      share(exact, strength);
      share(longer, strength);
      for (const suffix of placeSuffixes(place)) {
        const shorter = indexes.issuesNaming(suffix);
        if (!shorter) continue;
        share(
          shorter,
          this.placeStrength(shorter.size + (indexes.issuesNamingLonger(suffix)?.size ?? 0)) *
            (placeKind(suffix) === PLACE_AREA ? AREA_PLACE_WEIGHT : 1),
        );
      }
    }
    // … and through keywords: a partial dot product over the issues' indexed (strongest) keywords, accumulated
    // posting by posting, so the work is the number of shared keywords rather than candidates × keywords.
    const reached: IssueIndex[] = [];
    for (let k = 0; k < keys.length; k++) {
      const posting = indexes.issuesWithTerm(keys[k]!);
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
    const { placeWindowMs, clusterWindowMs, similarityThreshold, sharedPlaceBonus, differentPlacePenalty } =
      this.options;
    // Rough scores pick the few candidates worth an exact score; every strongly shared place is among them.
    const floor = similarityThreshold * ROUGH_SHARE;
    const top: IssueIndex[] = [];
    const topScores: number[] = [];
    for (const e of reached) {
      const roughScore =
        e.dot / (mentionNorm * (e.norm || 1)) + (e.placeStamp === stamp ? sharedPlaceBonus * e.placeScore : 0);
      if (roughScore < floor || (top.length === EXACT_CANDIDATES && roughScore <= topScores[EXACT_CANDIDATES - 1]!))
        continue;
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
      // Places of its own on both sides and none shared: another estate's or company's event. Also when no one place
      // dominates the issue (a run of 油烟 or 电梯 posts about many estates is a topic, not an event; a post about one
      // more estate starts its own). Planted bursts (pnpm bench bursts, 10 seeds): background flags 1 → 0, mixed 1 → 0.
      else if (ownPlaces && entry.ownPlaceMentions > 0) score -= differentPlacePenalty;
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
   * Files a mention under an issue (its index `entry`): members, times, centroid, title, places and indexes;
   * `newHash` is the mention's SimHash when it is a new distinct text (a repost of a kept text adds none).
   */
  join(
    issue: IssueState,
    entry: IssueIndex,
    m: AnalysedMention,
    newHash: { hi: number; lo: number } | undefined,
  ): void {
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
    // A title an analyst wrote stays.
    if (typical > issue.titleScore && m.title && issue.fixed?.title === undefined) {
      issue.title = m.title;
      issue.titleScore = typical;
    }
    // A large issue's strongest keywords hardly move with one more mention: re-rank them now and then.
    if (issue.mentionCount <= 2 || issue.mentionCount % REINDEX_EVERY === 0) this.indexes.reindexTerms(entry);
    for (const p of m.places) {
      const count = (issue.places[p] ?? 0) + 1;
      issue.places[p] = count;
      if (count > entry.ownPlaceMentions && placeKind(p) === PLACE_OWN) entry.ownPlaceMentions = count;
      this.indexes.indexPlace(entry, p);
    }
    if (m.places.length > 0 && Object.keys(issue.places).length > MAX_ISSUE_PLACES * 1.5) {
      // Rare places leave the state; the index keeps them until the issue retires (harmless, and cheap).
      issue.places = Object.fromEntries(topEntries(issue.places, MAX_ISSUE_PLACES));
    }
    if (newHash) {
      issue.simhashes.push(m.simhash);
      this.indexes.indexHash(entry, newHash.hi, newHash.lo);
      if (issue.simhashes.length > MAX_SIMHASHES_PER_ISSUE) issue.simhashes.shift();
    }
    issue.categoryCounts[m.category] = (issue.categoryCounts[m.category] ?? 0) + 1;
    if (m.negativity >= 0.5) issue.negativeMentions++;
    issue.engagement.likes += m.likes;
    issue.engagement.comments += m.comments;
    issue.engagement.reposts += m.reposts;
  }
}
