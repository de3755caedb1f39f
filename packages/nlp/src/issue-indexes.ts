import type { IssueState } from './hot-issue-state.ts';
import { isSpecific, ownPlaceMentions, placeSuffixes } from './issue-places.ts';
import { SimHashBandIndex, type HashEntry } from './simhash-bands.ts';
import { simHashFromHex } from './simhash.ts';
import { norm, nthLargest } from './term-vector.ts';

/** An issue is found through its strongest keywords only (its long tail still counts in the similarity). */
const INDEXED_TERMS_PER_ISSUE = 12;

/** Runtime index data of one issue (rebuilt on restore; not part of the state). */
export interface IssueIndex {
  issue: IssueState;
  norm: number;
  /** Squared norm of the centroid, kept as terms are added. */
  normSq: number;
  /** Distinct terms in the centroid. */
  termCount: number;
  /** Scratch of one candidate search (valid while `stamp` / `placeStamp` match the search's stamp). */
  stamp: number;
  dot: number;
  placeStamp: number;
  placeScore: number;
  /** Mentions naming the issue's most named place of its own (counts only grow, so a running maximum). */
  ownPlaceMentions: number;
  terms: Set<string>;
  places: Set<string>;
  hashes: HashEntry[];
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

/**
 * Candidate indexes over the active issues (those that can still take mentions): SimHash bands, specific place
 * names and their suffixes, and each issue's strongest keywords. They make the cost per mention follow its
 * candidates, not the number of issues held; they are runtime data, rebuilt from the state on restore.
 */
export class IssueIndexes {
  private readonly index = new Map<IssueState, IssueIndex>();
  /** Issues that can still take mentions (within the longer window of their last mention). */
  private readonly active = new Set<IssueState>();
  /** Term → issues with it among their strongest keywords, with its weight there (as of the last re-rank). */
  private readonly termIndex = new Map<string, Map<IssueIndex, number>>();
  /** Specific place → issues naming exactly it; and place suffix → issues naming a place that ends with it. */
  private readonly placeIndex = new Map<string, Set<IssueIndex>>();
  private readonly placeSuffixIndex = new Map<string, Set<IssueIndex>>();
  private readonly hashIndex: SimHashBandIndex;
  private stamp = 0;

  constructor(nearDuplicateBits: number) {
    this.hashIndex = new SimHashBandIndex(nearDuplicateBits);
  }

  /** Number of active issues. */
  get activeCount(): number {
    return this.active.size;
  }

  /** The index entry of an active issue. */
  entry(issue: IssueState): IssueIndex | undefined {
    return this.index.get(issue);
  }

  /** Issues with `term` among their indexed keywords, with its weight there. */
  issuesWithTerm(term: string): ReadonlyMap<IssueIndex, number> | undefined {
    return this.termIndex.get(term);
  }

  /** Issues naming exactly `place`. */
  issuesNaming(place: string): ReadonlySet<IssueIndex> | undefined {
    return this.placeIndex.get(place);
  }

  /** Issues naming a longer place that ends with `place`. */
  issuesNamingLonger(place: string): ReadonlySet<IssueIndex> | undefined {
    return this.placeSuffixIndex.get(place);
  }

  /** A fresh stamp for the scratch fields of the entries one search reaches. */
  nextStamp(): number {
    return ++this.stamp;
  }

  /** Puts an issue (new, restored or back from retirement) into the indexes; returns its entry. */
  activate(issue: IssueState): IssueIndex {
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
      ownPlaceMentions: 0,
      terms: new Set(),
      places: new Set(),
      hashes: [],
    };
    entry.ownPlaceMentions = ownPlaceMentions(issue.places);
    this.index.set(issue, entry);
    this.active.add(issue);
    if (entry.termCount > 0) this.reindexTerms(entry);
    for (const place of Object.keys(issue.places)) this.indexPlace(entry, place);
    for (const hex of issue.simhashes) {
      const h = simHashFromHex(hex);
      this.indexHash(entry, h.hi, h.lo);
    }
    return entry;
  }

  /** Takes the issues last seen before `horizon` out of the indexes (they stay in the state); returns them. */
  retireBefore(horizon: number): IssueState[] {
    const retired: IssueState[] = [];
    for (const issue of this.active) {
      if (issue.lastSeen >= horizon) continue;
      this.deactivate(issue);
      retired.push(issue);
    }
    return retired;
  }

  /** Takes one issue out of the indexes (retired, or folded into a sibling); nothing when it is not active. */
  deactivate(issue: IssueState): void {
    const entry = this.index.get(issue);
    if (!entry) return;
    for (const term of entry.terms) this.unindexTerm(term, entry);
    for (const place of entry.places) {
      removeFrom(this.placeIndex, place, entry);
      for (const suffix of placeSuffixes(place)) removeFrom(this.placeSuffixIndex, suffix, entry);
    }
    this.hashIndex.remove(issue, entry.hashes);
    this.index.delete(issue);
    this.active.delete(issue);
  }

  /**
   * Active issues that may be about the same event as `issue`, found through its indexed keywords (a keyword too
   * common to tell events apart, held by more than `maxPosting` issues, is passed over) and its specific places
   * (exactly, or one ending with the other), last seen at or after `since`. Each gets a rough score, the cosine over
   * the indexed keywords of both (a lower bound of sorts: the tails are left out) plus `placeBonus` for a shared
   * place; those below `minScore` are left out, so only a few are scored exactly.
   */
  relatedIssues(
    issue: IssueState,
    options: { maxPosting: number; since: number; minScore: number; placeBonus: number },
  ): IssueState[] {
    const entry = this.index.get(issue);
    if (!entry) return [];
    const stamp = this.nextStamp();
    const reached: IssueIndex[] = [];
    const reach = (e: IssueIndex) => {
      if (e.stamp === stamp) return;
      e.stamp = stamp;
      e.dot = 0;
      reached.push(e);
    };
    for (const term of entry.terms) {
      const posting = this.termIndex.get(term);
      if (!posting || posting.size > options.maxPosting) continue;
      const w = issue.terms[term] ?? 0;
      posting.forEach((weight, e) => {
        if (e.issue.lastSeen < options.since) return;
        reach(e);
        e.dot += w * weight;
      });
    }
    const placed = (entries: ReadonlySet<IssueIndex> | undefined) => {
      if (!entries) return;
      for (const e of entries) {
        if (e.issue.lastSeen < options.since) continue;
        reach(e);
        e.placeStamp = stamp;
      }
    };
    for (const place of entry.places) {
      placed(this.placeIndex.get(place));
      placed(this.placeSuffixIndex.get(place));
      for (const suffix of placeSuffixes(place)) placed(this.placeIndex.get(suffix));
    }
    const out: IssueState[] = [];
    for (const e of reached) {
      if (e === entry) continue;
      const rough = e.dot / ((entry.norm || 1) * (e.norm || 1)) + (e.placeStamp === stamp ? options.placeBonus : 0);
      if (rough >= options.minScore) out.push(e.issue);
    }
    return out;
  }

  /** Re-ranks an issue's indexed keywords: its {@link INDEXED_TERMS_PER_ISSUE} strongest, with their weights. */
  reindexTerms(entry: IssueIndex): void {
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

  /** Indexes a place an issue names (administrative units are not indexed). */
  indexPlace(entry: IssueIndex, place: string): void {
    if (!isSpecific(place) || entry.places.has(place)) return;
    entry.places.add(place);
    addTo(this.placeIndex, place, entry);
    for (const suffix of placeSuffixes(place)) addTo(this.placeSuffixIndex, suffix, entry);
  }

  /** Indexes a distinct-text SimHash of an issue. */
  indexHash(entry: IssueIndex, hi: number, lo: number): void {
    entry.hashes.push(this.hashIndex.add(entry.issue, hi, lo));
  }

  /** The issue of the nearest near-duplicate of hi:lo seen within `windowMs` of `time` (see {@link SimHashBandIndex.nearest}). */
  nearDuplicate(hi: number, lo: number, time: number, windowMs: number): HashEntry | undefined {
    return this.hashIndex.nearest(hi, lo, time, windowMs);
  }

  private unindexTerm(term: string, entry: IssueIndex): void {
    const posting = this.termIndex.get(term);
    if (!posting) return;
    posting.delete(entry);
    if (posting.size === 0) this.termIndex.delete(term);
  }
}
