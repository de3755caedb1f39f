import type { FeatureHasher } from './feature-hashing.ts';
import { NEIGHBOUR_EXPLANATION } from './neighbour-index.ts';

/** Rounds a probability or a contribution to 4 decimals, as predictions report them. */
export function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** A linear model's tables as the classifier packs them: per bucket one row `[idf, w_label0 … w_labelK-1]`. */
export interface PackedModel {
  packed: Float32Array;
  /** Row length: labels + 1. */
  stride: number;
  /** Names the buckets of the text scored last. */
  hasher: Pick<FeatureHasher, 'describeReadable'>;
}

/**
 * The `explain` features that pushed a scored text towards label `best` most, strongest first: each feature's
 * value (`values[j]` of bucket `indices[j]`, j < `size`) times its weight for `best` above the mean over labels.
 * `voted` is the part of `best`'s probability `probability` the neighbours' vote gave; when it outweighs the
 * words, {@link NEIGHBOUR_EXPLANATION} comes first.
 */
export function explainPrediction(
  model: PackedModel,
  best: number,
  indices: Int32Array,
  values: Float32Array,
  size: number,
  explain: number,
  probability: number,
  voted: number,
): [string, number][] {
  const { packed, stride, hasher } = model;
  const k = stride - 1;
  // Contribution towards the winner relative to the average label: features every label likes explain nothing.
  // Only the winning label is explained, and feature names are built only for the few reported.
  const contributions: { bucket: number; value: number }[] = [];
  for (let j = 0; j < size; j++) {
    const bucket = indices[j]!;
    const base = bucket * stride + 1;
    let mean = 0;
    for (let c = 0; c < k; c++) mean += packed[base + c]!;
    mean /= k;
    const value = values[j]! * (packed[base + best]! - mean);
    if (value !== 0) contributions.push({ bucket, value });
  }
  // Strongest either way: a reason names what pushed towards the label (+) and what held it back (−).
  contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  // Fragments are read as the whole words they lie in (资拖 → 工资拖欠); single characters and stopwords are no
  // reason a person can read and are skipped. Buckets of one name (the word 拖欠 and its characters) add up.
  const named = new Map<string, number>();
  const against = Math.floor(explain / 3);
  let towardsCount = 0;
  let againstCount = 0;
  for (const { bucket, value } of contributions) {
    const name = hasher.describeReadable(bucket);
    if (!name) continue;
    const known = named.get(name);
    if (known !== undefined) {
      if (Math.sign(known) === Math.sign(value)) named.set(name, known + value);
      continue;
    }
    if (value > 0 ? towardsCount >= explain - against : againstCount >= against) continue;
    named.set(name, value);
    if (value > 0) towardsCount++;
    else againstCount++;
    if (towardsCount + againstCount >= explain) break;
  }
  const top: [string, number][] = [];
  for (const [name, value] of named) top.push([name, round4(value)]);
  // Towards the label first, strongest first; then what held it back.
  top.sort((a, b) => (Math.sign(b[1]) - Math.sign(a[1])) * 10 + (Math.abs(b[1]) - Math.abs(a[1])));
  // When labelled examples gave the winner more of its probability than the words did, say so first.
  if (voted > probability - voted) {
    top.unshift([NEIGHBOUR_EXPLANATION, round4(voted)]);
    if (top.length > explain) top.pop();
  }
  return top;
}
