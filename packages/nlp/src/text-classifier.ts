import { NonRetryableError } from '@yuqing/core';
import { roundToFloat16 } from './compact-arrays.ts';
import { DEFAULT_FEATURE_CONFIG, FeatureHasher, prepareTexts, type FeatureConfig, type PreparedText, type SparseVector } from './feature-hashing.ts';

/** One labelled text. */
export interface LabelledText {
  text: string;
  label: string;
}

/** Training settings; stored with the model. */
export interface TrainOptions {
  /** Task name, e.g. `relevance`, `topic`, `sentiment`. */
  task: string;
  /** Feature settings. @defaultValue {@link DEFAULT_FEATURE_CONFIG} */
  features?: Partial<FeatureConfig>;
  /** Passes over the data. @defaultValue 12 for short texts (mean under {@link SHORT_TEXT_CHARS} characters), 30 for long */
  epochs?: number;
  /** L2 regularisation strength per example. @defaultValue 1e-5 for short texts, 1e-6 for long ones */
  l2?: number;
  /** Initial SGD step. @defaultValue 0.5 */
  learningRate?: number;
  /** Weigh classes inversely to their frequency so small classes count in macro-F1. @defaultValue true */
  balanceClasses?: boolean;
  /** Seed of the shuffling order, for reproducible models. @defaultValue 1 */
  seed?: number;
  /**
   * Nearest labelled examples that vote on each prediction (0: none, the linear model alone). The model keeps the
   * training examples' hashed vectors, so a message close to one already labelled (the same complaint posted
   * again, an analyst's correction of a repost) follows that label. @defaultValue {@link DEFAULT_NEIGHBOURS} for
   * long texts, 0 for short ones
   */
  neighbours?: number;
}

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

/** A prediction: the label, its probability and the features that pushed towards it most. */
export interface Prediction {
  label: string;
  score: number;
  /** `[feature, contribution]`, strongest first. */
  top: [string, number][];
  /** Probability of every label. */
  scores: Record<string, number>;
}

/** What is remembered about how a model was trained. */
export interface TrainingInfo {
  examples: number;
  classCounts: Record<string, number>;
  epochs: number;
  l2: number;
  learningRate: number;
  balanceClasses: boolean;
  seconds: number;
}

/** Parameters of a trained classifier in memory. */
export interface TextClassifierParams {
  task: string;
  labels: string[];
  features: FeatureConfig;
  idf: Float32Array;
  /** Row-major `dimensions × labels` weights. */
  weights: Float32Array;
  bias: Float32Array;
  training: TrainingInfo;
  /** Labelled examples that vote on predictions; absent when the model was trained without them. */
  memory?: ExampleMemory;
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

/** Mean text length below which character unigrams join the features. */
export const SHORT_TEXT_CHARS = 120;

/** Default passes and L2 strength for short texts (mean below {@link SHORT_TEXT_CHARS}) and for long ones. */
const SHORT_TEXT_EPOCHS = 12;
const SHORT_TEXT_L2 = 1e-5;
const LONG_TEXT_EPOCHS = 30;
const LONG_TEXT_L2 = 1e-6;

/**
 * Characters of raw text prepared at a time by the batch methods: jieba then the model each work through a chunk
 * while their tables are in the CPU cache (Teddy held-out: 1.07 → 1.23 M chars/s over alternating per text).
 */
const PREDICT_CHUNK_CHARS = 32_768;

/** Number of features reported in a prediction's `top`. */
export const DEFAULT_EXPLAIN_FEATURES = 5;

/** Small deterministic PRNG (mulberry32) for shuffling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function applyIdf(vector: SparseVector, idf: Float32Array): void {
  let norm = 0;
  const { indices, values } = vector;
  for (let j = 0; j < values.length; j++) {
    const v = values[j]! * idf[indices[j]!]!;
    values[j] = v;
    norm += v * v;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < values.length; j++) values[j]! *= inv;
  }
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp(scores[k]! - max);
    scores[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) scores[k]! /= sum;
}

/**
 * A linear text classifier for any labelled task: hashed word, word-bigram and character n-gram features with
 * tf-idf weighting, and multinomial logistic regression trained by SGD (L2, class balancing). Hashing keeps
 * memory fixed whatever the vocabulary; the model predicts a probability per label and names the features
 * that drove the decision.
 */
export class TextClassifier {
  readonly task: string;
  readonly labels: string[];
  readonly features: FeatureConfig;
  readonly training: TrainingInfo;
  /**
   * Per bucket one row `[idf, w_label0 … w_labelK-1]`: prediction reads a bucket's idf and weights from one
   * cache line instead of two distant arrays (random access into the tables dominates prediction time).
   */
  private readonly packed: Float32Array;
  private readonly stride: number;
  private readonly bias: Float32Array;
  private readonly hasher: FeatureHasher;
  private readonly scratch: Float64Array;
  private scratchIndices = new Int32Array(1024);
  private scratchValues = new Float32Array(1024);
  private readonly memory: ExampleMemory | undefined;
  private readonly neighbourIndex: NeighbourIndex | undefined;

  constructor(params: TextClassifierParams) {
    const k = params.labels.length;
    if (k < 2) throw new NonRetryableError('MODEL_INVALID', 'a classifier needs at least two labels');
    const dims = params.features.dimensions;
    if (params.weights.length !== dims * k || params.idf.length !== dims) {
      throw new NonRetryableError('MODEL_INVALID', 'model weights do not match its feature dimensions');
    }
    this.task = params.task;
    this.labels = params.labels;
    this.features = params.features;
    this.training = params.training;
    this.stride = k + 1;
    this.packed = new Float32Array(dims * this.stride);
    for (let b = 0; b < dims; b++) {
      const row = b * this.stride;
      this.packed[row] = params.idf[b]!;
      for (let c = 0; c < k; c++) this.packed[row + 1 + c] = params.weights[b * k + c]!;
    }
    this.bias = params.bias;
    this.hasher = new FeatureHasher(params.features);
    this.scratch = new Float64Array(k);
    this.memory = params.memory;
    if (params.memory) {
      const m = params.memory;
      const n = m.labels.length;
      if (m.offsets.length !== n + 1 || m.buckets.length !== m.values.length || m.offsets[n] !== m.buckets.length || !(m.k >= 1)) {
        throw new NonRetryableError('MODEL_INVALID', 'model example memory is inconsistent');
      }
      for (const label of m.labels) if (label >= k) throw new NonRetryableError('MODEL_INVALID', 'model example memory names an unknown label');
      this.neighbourIndex = new NeighbourIndex(m, dims, k);
    }
  }

  /** Trains a model from labelled texts (at least two labels, each with an example). */
  static train(examples: readonly LabelledText[], options: TrainOptions): TextClassifier {
    const started = performance.now();
    const features: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, ...options.features };
    const meanLength = examples.reduce((s, e) => s + e.text.length, 0) / Math.max(1, examples.length);
    const shortTexts = meanLength < SHORT_TEXT_CHARS;
    if (!options.features?.charNgrams) {
      // Short texts (Weibo) leave little evidence per document, and single characters (哭, 怒, 赞) then carry signal;
      // on long posts they only add noise (measured: +1.8 macro-F1 on SMP2020, −0.7 on Teddy title+detail).
      features.charNgrams = shortTexts ? [1, 2, 3] : [2, 3];
    }
    // Titles say what a long message is about; short posts rarely have a separate first line.
    if (options.features?.titleFeatures === undefined) features.titleFeatures = !shortTexts;
    // Long documents carry many features each and gain from a longer, less regularised fit (Teddy title+detail
    // macro-F1 0.9241 → 0.9286 and 0.9254 → 0.9328 on two held-out splits); short posts overfit with it (SMP2020
    // 0.6984 → 0.6950, 0.7009 → 0.6955), so they keep the stronger L2 and fewer passes.
    const epochs = options.epochs ?? (shortTexts ? SHORT_TEXT_EPOCHS : LONG_TEXT_EPOCHS);
    const l2 = options.l2 ?? (shortTexts ? SHORT_TEXT_L2 : LONG_TEXT_L2);
    const learningRate = options.learningRate ?? 0.5;
    const balanceClasses = options.balanceClasses ?? true;
    const neighbours = options.neighbours ?? (shortTexts ? 0 : DEFAULT_NEIGHBOURS);
    if (!Number.isInteger(neighbours) || neighbours < 0) throw new NonRetryableError('TRAINING_DATA_INVALID', `neighbours must be a whole number ≥ 0, got ${neighbours}`);
    const usable = examples.filter((e) => e.text.trim() !== '' && e.label.trim() !== '');
    const labels = [...new Set(usable.map((e) => e.label.trim()))].sort();
    if (labels.length < 2) {
      throw new NonRetryableError('TRAINING_DATA_INVALID', `training needs at least two labels, got ${labels.length} (${usable.length} usable examples)`);
    }
    const k = labels.length;
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const hasher = new FeatureHasher(features);
    const dims = features.dimensions;

    // Pass 1: vectors and document frequencies.
    const vectors: SparseVector[] = [];
    const targets = new Int32Array(usable.length);
    const df = new Float64Array(dims);
    const classCounts = new Float64Array(k);
    usable.forEach((e, i) => {
      const v = hasher.vectorize(e.text);
      vectors.push(v);
      for (const b of v.indices) df[b]! += 1;
      const y = labelIndex.get(e.label.trim())!;
      targets[i] = y;
      classCounts[y]! += 1;
    });
    const n = vectors.length;
    const idf = new Float32Array(dims);
    for (let b = 0; b < dims; b++) idf[b] = Math.log((1 + n) / (1 + df[b]!)) + 1;
    for (const v of vectors) applyIdf(v, idf);
    const classWeight = new Float64Array(k);
    for (let c = 0; c < k; c++) classWeight[c] = balanceClasses ? n / (k * classCounts[c]!) : 1;

    // Pass 2: SGD on the softmax loss. Weights are stored as scale × w so the L2 shrink is O(1) per step.
    const w = new Float64Array(dims * k);
    const bias = new Float64Array(k);
    let scale = 1;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const random = seededRandom(options.seed ?? 1);
    const p = new Float64Array(k);
    let step = 0;
    // Averaging the weights at the end of the later epochs smooths SGD noise (a cheap form of averaged SGD).
    const averageFrom = Math.floor(epochs / 2);
    const sum = new Float64Array(dims * k);
    const biasSum = new Float64Array(k);
    let snapshots = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      for (const doc of order) {
        const eta = learningRate / (1 + learningRate * l2 * step);
        step++;
        const { indices, values } = vectors[doc]!;
        for (let c = 0; c < k; c++) p[c] = bias[c]!;
        for (let j = 0; j < indices.length; j++) {
          const base = indices[j]! * k;
          const x = values[j]! * scale;
          for (let c = 0; c < k; c++) p[c]! += x * w[base + c]!;
        }
        softmaxInPlace(p);
        const y = targets[doc]!;
        const cw = classWeight[y]!;
        scale *= 1 - eta * l2;
        if (scale < 1e-9) {
          for (let q = 0; q < w.length; q++) w[q]! *= scale;
          scale = 1;
        }
        const stepSize = (eta * cw) / scale;
        for (let c = 0; c < k; c++) {
          const g = p[c]! - (c === y ? 1 : 0);
          p[c] = g;
          bias[c]! -= eta * cw * g * 0.1;
        }
        for (let j = 0; j < indices.length; j++) {
          const base = indices[j]! * k;
          const x = values[j]! * stepSize;
          for (let c = 0; c < k; c++) w[base + c]! -= x * p[c]!;
        }
      }
      if (epoch >= averageFrom) {
        for (let q = 0; q < w.length; q++) sum[q]! += w[q]! * scale;
        for (let c = 0; c < k; c++) biasSum[c]! += bias[c]!;
        snapshots++;
      }
    }
    const weights = new Float32Array(dims * k);
    for (let q = 0; q < w.length; q++) weights[q] = sum[q]! / snapshots;
    for (let c = 0; c < k; c++) bias[c] = biasSum[c]! / snapshots;
    const counts: Record<string, number> = {};
    labels.forEach((l, c) => (counts[l] = classCounts[c]!));
    return new TextClassifier({
      task: options.task,
      labels,
      features,
      idf,
      weights,
      bias: Float32Array.from(bias),
      ...(neighbours > 0 ? { memory: buildMemory(vectors, targets, neighbours) } : {}),
      training: {
        examples: n,
        classCounts: counts,
        epochs,
        l2,
        learningRate,
        balanceClasses,
        seconds: Math.round((performance.now() - started) / 10) / 100,
      },
    });
  }

  /** Probabilities of every label, in {@link labels} order (fast path: no explanation). */
  probabilities(text: string | PreparedText): Float64Array {
    this.score(text, false);
    return this.scratch.slice();
  }

  /**
   * Hashes a text, weighs its features by idf, L2-normalises them into the scratch vector and leaves the label
   * probabilities in {@link scratch}; returns the number of features.
   */
  private score(text: string | PreparedText, explainable: boolean): number {
    const k = this.labels.length;
    const stride = this.stride;
    const packed = this.packed;
    const hasher = this.hasher;
    const size = hasher.count(text, explainable);
    if (size > this.scratchIndices.length) {
      this.scratchIndices = new Int32Array(size * 2);
      this.scratchValues = new Float32Array(size * 2);
    }
    const indices = this.scratchIndices;
    const values = this.scratchValues;
    let norm = 0;
    for (let j = 0; j < size; j++) {
      const b = hasher.bucketAt(j);
      const v = hasher.takeCount(b) * packed[b * stride]!;
      indices[j] = b;
      values[j] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const p = this.scratch;
    for (let c = 0; c < k; c++) p[c] = this.bias[c]!;
    for (let j = 0; j < size; j++) {
      const base = indices[j]! * stride + 1;
      const x = (values[j]! *= inv);
      for (let c = 0; c < k; c++) p[c]! += x * packed[base + c]!;
    }
    softmaxInPlace(p);
    if (this.neighbourIndex) {
      let max = 0;
      for (let c = 0; c < k; c++) if (p[c]! > max) max = p[c]!;
      // A confident linear model is rarely overturned by the vote (Teddy bench split: the same macro-F1 with the gate
      // at 0.9 as without, within 0.004 at 0.8), and skipping the vote there keeps prediction above 1 M chars/s.
      if (max < NEIGHBOUR_GATE) this.neighbourIndex.vote(indices, values, size, p);
      else this.neighbourIndex.skip();
    }
    return size;
  }

  /**
   * Predicts the label of a text, its probability and the `explain` features that pushed towards it most.
   * Pass a {@link PreparedText} to share one jieba pass between several models.
   */
  predict(text: string | PreparedText, explain = DEFAULT_EXPLAIN_FEATURES): Prediction {
    const size = this.score(text, explain > 0);
    const p = this.scratch;
    const k = this.labels.length;
    let best = 0;
    for (let c = 1; c < k; c++) if (p[c]! > p[best]!) best = c;
    const scores: Record<string, number> = {};
    this.labels.forEach((l, c) => (scores[l] = round4(p[c]!)));
    const top: [string, number][] = [];
    if (explain > 0) {
      // Contribution towards the winner relative to the average label: features every label likes explain nothing.
      // Only the winning label is explained, and feature names are built only for the few reported.
      const contributions: { bucket: number; value: number }[] = [];
      for (let j = 0; j < size; j++) {
        const bucket = this.scratchIndices[j]!;
        const base = bucket * this.stride + 1;
        let mean = 0;
        for (let c = 0; c < k; c++) mean += this.packed[base + c]!;
        mean /= k;
        const value = this.scratchValues[j]! * (this.packed[base + best]! - mean);
        if (value > 0) contributions.push({ bucket, value });
      }
      contributions.sort((a, b) => b.value - a.value);
      const named = new Map<string, number>();
      for (const { bucket, value } of contributions) {
        const name = this.hasher.describe(bucket);
        named.set(name, (named.get(name) ?? 0) + value);
        if (named.size >= explain) break;
      }
      for (const [name, value] of named) top.push([name, round4(value)]);
      // Names shared by several buckets (the word 失望 and the characters 失望) add up, which can reorder them.
      top.sort((a, b) => b[1] - a[1]);
      // When labelled examples gave the winner more of its probability than the words did, say so first.
      const voted = this.neighbourIndex?.voteFor(best) ?? 0;
      if (voted > p[best]! - voted) {
        top.unshift([NEIGHBOUR_EXPLANATION, round4(voted)]);
        if (top.length > explain) top.pop();
      }
    }
    return { label: this.labels[best]!, score: round4(p[best]!), top, scores };
  }

  /**
   * {@link predict} for many texts, in order. Raw strings are cut by jieba in chunks (one native call per chunk)
   * and scored chunk by chunk, so jieba's dictionary and the model's weights each stay in the CPU cache instead of
   * evicting each other on every text: the fast way to score a stream of mentions.
   */
  predictBatch(texts: readonly (string | PreparedText)[], explain = DEFAULT_EXPLAIN_FEATURES): Prediction[] {
    const out: Prediction[] = [];
    this.forEachPrepared(texts, (text) => out.push(this.predict(text, explain)));
    return out;
  }

  /** {@link classify} for many texts, chunked like {@link predictBatch}. */
  classifyBatch(texts: readonly (string | PreparedText)[]): string[] {
    const out: string[] = [];
    this.forEachPrepared(texts, (text) => out.push(this.classify(text)));
    return out;
  }

  private forEachPrepared(texts: readonly (string | PreparedText)[], fn: (text: PreparedText) => void): void {
    let start = 0;
    while (start < texts.length) {
      let end = start;
      let chars = 0;
      const raw: string[] = [];
      while (end < texts.length && chars < PREDICT_CHUNK_CHARS) {
        const text = texts[end++]!;
        if (typeof text === 'string') {
          raw.push(text);
          chars += text.length;
        }
      }
      const prepared = prepareTexts(raw, this.features.useHmm);
      let next = 0;
      for (let i = start; i < end; i++) {
        const text = texts[i]!;
        fn(typeof text === 'string' ? prepared[next++]! : text);
      }
      start = end;
    }
  }

  /** The label with the highest probability (fast path for evaluation and the analysis worker). */
  classify(text: string | PreparedText): string {
    this.score(text, false);
    const p = this.scratch;
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
    return this.labels[best]!;
  }

  /** The parameters, for {@link serializeModel} (unpacked into fresh arrays). */
  params(): TextClassifierParams {
    const k = this.labels.length;
    const dims = this.features.dimensions;
    const idf = new Float32Array(dims);
    const weights = new Float32Array(dims * k);
    for (let b = 0; b < dims; b++) {
      const row = b * this.stride;
      idf[b] = this.packed[row]!;
      for (let c = 0; c < k; c++) weights[b * k + c] = this.packed[row + 1 + c]!;
    }
    return { task: this.task, labels: this.labels, features: this.features, idf, weights, bias: this.bias, training: this.training, ...(this.memory ? { memory: this.memory } : {}) };
  }
}

/**
 * Packs the training vectors and their labels as an {@link ExampleMemory}: each example's buckets in increasing
 * order and its values rounded to half precision, exactly as a model file keeps them, so a model votes the same
 * before and after a save. (Half precision moves a cosine by under 0.1 %.)
 */
function buildMemory(vectors: readonly SparseVector[], targets: Int32Array, k: number): ExampleMemory {
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
  return { k, weight: NEIGHBOUR_WEIGHT, power: NEIGHBOUR_POWER, labels: Uint16Array.from(targets), offsets, buckets, values };
}

/**
 * Moves the `limit` examples of highest score among `ids[0..count)` into `outIds`/`outScores` (best first) and
 * clears the accumulator entry of every example scanned, kept or not; returns how many were kept.
 */
function keepBest(ids: Int32Array, count: number, score: Float32Array, outIds: Int32Array, outScores: Float64Array, limit = outIds.length): number {
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
const NEIGHBOUR_GATE = 0.8;

/**
 * Inverted index over an {@link ExampleMemory}: the examples holding each of the rarer buckets. A vote finds the
 * examples sharing a text's rarer features, rescores the best of them by exact cosine and lets the k nearest vote.
 */
class NeighbourIndex {
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

  constructor(private readonly memory: ExampleMemory, dims: number, labelCount: number) {
    const { offsets, buckets, values } = memory;
    const n = memory.labels.length;
    this.start = new Int32Array(dims + 1);
    for (const b of buckets) {
      if (b < 0 || b >= dims) throw new NonRetryableError('MODEL_INVALID', `model example memory: bucket ${b} out of range`);
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

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
