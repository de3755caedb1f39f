import { NonRetryableError } from '@yuqing/core';
import { roundToFloat16 } from './compact-arrays.ts';
import type { SparseVector } from './feature-hashing.ts';

/**
 * Labelled examples kept for nearest-neighbour voting: the training vectors (tf-idf, L2-normalised, as the linear
 * model saw them, values rounded to half precision) stored example by example, buckets increasing within each.
 */
export interface ExampleMemory {
  /** Neighbours that vote. */
  k: number;
  /** Share of the final probability given to the neighbours' vote. */
  weight: number;
  /** Cosine similarities are raised to this power before voting, so near-copies outvote loose matches. */
  power: number;
  /** Label index of each example. */
  labels: Uint16Array;
  /** Example e's features are `buckets[offsets[e]] … buckets[offsets[e+1]-1]` (n + 1 entries). */
  offsets: Int32Array;
  buckets: Int32Array;
  values: Float32Array;
}

/**
 * Default neighbours for long texts, their share of the vote and the similarity power. Measured over eight Teddy
 * title+detail splits: macro-F1 0.926 → 0.941, a gain that comes from held-out messages whose own titles are in the
 * titles file (most details rows carry no title; about 70 % of their titles are in the titles file); with those
 * titles removed from training the vote gains nothing measurable (0.902 → 0.903). That is the product's case too:
 * a repost of a message an analyst labelled follows the label. On SMP2020 Weibo posts it gained nothing (exact
 * reposts there carry inconsistent labels), so short texts keep the linear model alone.
 */
export const DEFAULT_NEIGHBOURS = 10;
/** Name in a prediction's `top` for the part of the winner's probability that came from the neighbours' vote. */
export const NEIGHBOUR_EXPLANATION = '相似已标注样本';
const NEIGHBOUR_WEIGHT = 0.5;
const NEIGHBOUR_POWER = 3;

/**
 * Packs the training vectors and their labels as an {@link ExampleMemory}: each example's buckets in increasing
 * order and its values rounded to half precision, exactly as a model file keeps them, so a model votes the same
 * before and after a save. (Half precision moves a cosine by under 0.1 %.)
 */
export function buildMemory(vectors: readonly SparseVector[], targets: Int32Array, k: number): ExampleMemory {
  const offsets = new Int32Array(vectors.length + 1);
  for (let e = 0; e < vectors.length; e++) offsets[e + 1] = offsets[e]! + vectors[e]!.indices.length;
  const buckets = new Int32Array(offsets[vectors.length]!);
  const values = new Float32Array(buckets.length);
  vectors.forEach((v, e) => {
    const order = Array.from(v.indices.keys()).sort((a, b) => v.indices[a]! - v.indices[b]!);
    let at = offsets[e]!;
    for (const j of order) {
      buckets[at] = v.indices[j]!;
      values[at++] = roundToFloat16(v.values[j]!);
    }
  });
  return {
    k,
    weight: NEIGHBOUR_WEIGHT,
    power: NEIGHBOUR_POWER,
    labels: Uint16Array.from(targets),
    offsets,
    buckets,
    values,
  };
}

/**
 * Moves the `limit` examples of highest score among `ids[0..count)` into `outIds`/`outScores` (best first) and
 * clears the accumulator entry of every example scanned, kept or not; returns how many were kept.
 */
function keepBest(
  ids: Int32Array,
  count: number,
  score: Float32Array,
  outIds: Int32Array,
  outScores: Float64Array,
  limit = outIds.length,
): number {
  let kept = 0;
  for (let t = 0; t < count; t++) {
    const e = ids[t]!;
    const s = score[e]!;
    score[e] = 0;
    if (kept === limit && s <= outScores[limit - 1]!) continue;
    let at = kept < limit ? kept++ : limit - 1;
    while (at > 0 && outScores[at - 1]! < s) {
      outScores[at] = outScores[at - 1]!;
      outIds[at] = outIds[at - 1]!;
      at--;
    }
    outScores[at] = s;
    outIds[at] = e;
  }
  return kept;
}

/** Examples rescored exactly per vote, found through the text's rarer features. */
const CANDIDATES = 16;
/** A bucket is indexed when at most this share of the examples hold it (but always up to {@link MIN_INDEXED_POSTINGS}). */
const INDEXED_POSTINGS_SHARE = 0.005;
const MIN_INDEXED_POSTINGS = 16;
/** The vote runs only when the linear model's best probability is below this. */
export const NEIGHBOUR_GATE = 0.8;

/**
 * Inverted index over an {@link ExampleMemory}: the examples holding each of the rarer buckets. A vote finds the
 * examples sharing a text's rarer features, rescores the best of them by exact cosine and lets the k nearest vote.
 */
export class NeighbourIndex {
  private readonly start: Int32Array;
  private readonly examples: Int32Array;
  private readonly weights: Float32Array;
  private readonly similarity: Float32Array;
  private readonly touched: Int32Array;
  private readonly topExample: Int32Array;
  private readonly topSimilarity: Float64Array;
  private readonly tally: Float64Array;
  private voted = false;
  private readonly candidates: Int32Array;
  private readonly candidateScore: Float64Array;
  private readonly dense: Float32Array;
  private readonly indexed: Int32Array;

  constructor(
    private readonly memory: ExampleMemory,
    dims: number,
    labelCount: number,
  ) {
    const { offsets, buckets, values } = memory;
    const n = memory.labels.length;
    // Checked here, before any table is sized from it: a damaged model file must fail with MODEL_INVALID.
    if (
      offsets.length !== n + 1 ||
      buckets.length !== values.length ||
      offsets[n] !== buckets.length ||
      !(memory.k >= 1)
    ) {
      throw new NonRetryableError('MODEL_INVALID', 'model example memory is inconsistent');
    }
    for (const label of memory.labels)
      if (label >= labelCount)
        throw new NonRetryableError('MODEL_INVALID', 'model example memory names an unknown label');
    this.start = new Int32Array(dims + 1);
    for (const b of buckets) {
      if (b < 0 || b >= dims)
        throw new NonRetryableError('MODEL_INVALID', `model example memory: bucket ${b} out of range`);
      this.start[b + 1]!++;
    }
    // Buckets in more than a small share of the examples are left out of the index: their long postings made the
    // vote 4× slower than the linear model, and candidates found through rarer features are rescored exactly anyway.
    const limit = Math.max(MIN_INDEXED_POSTINGS, Math.floor(n * INDEXED_POSTINGS_SHARE));
    for (let b = 0; b < dims; b++) if (this.start[b + 1]! > limit) this.start[b + 1] = 0;
    this.indexed = new Int32Array(Math.ceil(dims / 32));
    for (let b = 0; b < dims; b++) if (this.start[b + 1]! > 0) this.indexed[b >>> 5]! |= 1 << (b & 31);
    for (let b = 0; b < dims; b++) this.start[b + 1]! += this.start[b]!;
    const fill = this.start.slice(0, dims);
    this.examples = new Int32Array(this.start[dims]!);
    this.weights = new Float32Array(this.start[dims]!);
    for (let e = 0; e < n; e++) {
      for (let j = offsets[e]!; j < offsets[e + 1]!; j++) {
        const b = buckets[j]!;
        if (this.start[b + 1] === this.start[b]) continue;
        const at = fill[b]!++;
        this.examples[at] = e;
        this.weights[at] = values[j]!;
      }
    }
    this.similarity = new Float32Array(n);
    this.touched = new Int32Array(n);
    this.topExample = new Int32Array(memory.k);
    this.topSimilarity = new Float64Array(memory.k);
    this.tally = new Float64Array(labelCount);
    this.dense = new Float32Array(dims);
    this.candidates = new Int32Array(Math.max(CANDIDATES, memory.k));
    this.candidateScore = new Float64Array(this.candidates.length);
  }

  /**
   * Mixes the vote of the nearest examples into the probabilities `p` (in place): `(1 − weight) · p + weight ·
   * vote`, where each of the k most similar examples votes for its label with similarity^power. A text sharing no
   * feature with any example keeps `p`.
   */
  vote(indices: Int32Array, values: Float32Array, size: number, p: Float64Array): void {
    const { start, examples, weights, similarity, touched } = this;
    this.voted = false;
    let touchedCount = 0;
    // Candidates: examples sharing the text's rarer features (short postings); near-copies share many of them.
    const indexed = this.indexed;
    for (let j = 0; j < size; j++) {
      const b = indices[j]!;
      // Most of a text's buckets have no postings (too common to index, or unseen): a 32 KB bitset answers that
      // without touching the 1 MB offsets table, whose cache misses otherwise dominate the vote.
      if ((indexed[b >>> 5]! & (1 << (b & 31))) === 0) continue;
      const x = values[j]!;
      for (let at = start[b]!; at < start[b + 1]!; at++) {
        const e = examples[at]!;
        if (similarity[e] === 0) touched[touchedCount++] = e;
        similarity[e]! += x * weights[at]!;
      }
    }
    if (touchedCount === 0) return;
    const candidates = this.candidates;
    const candidateScore = this.candidateScore;
    const keptCandidates = keepBest(touched, touchedCount, similarity, candidates, candidateScore);
    // Exact cosine of each candidate over all its features, against the text scattered into a dense table.
    const dense = this.dense;
    for (let j = 0; j < size; j++) dense[indices[j]!] = values[j]!;
    const { offsets, buckets, values: exampleValues } = this.memory;
    for (let i = 0; i < keptCandidates; i++) {
      const e = candidates[i]!;
      let dot = 0;
      for (let at = offsets[e]!; at < offsets[e + 1]!; at++) dot += dense[buckets[at]!]! * exampleValues[at]!;
      similarity[e] = dot;
    }
    for (let j = 0; j < size; j++) dense[indices[j]!] = 0;
    const topExample = this.topExample;
    const topSimilarity = this.topSimilarity;
    const kept = keepBest(candidates, keptCandidates, similarity, topExample, topSimilarity, this.memory.k);
    const tally = this.tally;
    tally.fill(0);
    let total = 0;
    for (let i = 0; i < kept; i++) {
      const s = topSimilarity[i]!;
      if (s <= 0) continue;
      const w = s ** this.memory.power;
      tally[this.memory.labels[topExample[i]!]!]! += w;
      total += w;
    }
    if (!(total > 0)) return;
    const share = this.memory.weight;
    for (let c = 0; c < p.length; c++) {
      tally[c] = (share * tally[c]!) / total;
      p[c] = (1 - share) * p[c]! + tally[c]!;
    }
    this.voted = true;
  }

  /** Records that the last scored text was not put to a vote. */
  skip(): void {
    this.voted = false;
  }

  /** Probability the last {@link vote} gave to label `c` (0 when the last scored text was not put to a vote). */
  voteFor(c: number): number {
    return this.voted ? this.tally[c]! : 0;
  }
}
