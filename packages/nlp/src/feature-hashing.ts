import { segment } from './tokenizer.ts';
import { isCjkCode, normalizeText } from './text-normalize.ts';

/** How text becomes a sparse vector; stored in every model so prediction repeats training exactly. */
export interface FeatureConfig {
  /** Number of hash buckets, a power of two. @defaultValue 2^18 */
  dimensions: number;
  /** Word unigrams from jieba. @defaultValue true */
  words: boolean;
  /** Adjacent word pairs. @defaultValue true */
  wordBigrams: boolean;
  /** Character n-gram lengths over runs of ideographs, letters and digits (OOV words, typos). @defaultValue [2, 3] */
  charNgrams: number[];
  /** Let jieba's HMM join out-of-vocabulary words. @defaultValue false (faster; char n-grams cover OOV words) */
  useHmm: boolean;
  /** Term frequency becomes 1 + ln(tf), so one repeated word cannot dominate. @defaultValue true */
  sublinearTf: boolean;
}

/** Defaults that serve both long message-board posts and short Weibo posts. */
export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  dimensions: 1 << 18,
  words: true,
  wordBigrams: true,
  charNgrams: [2, 3],
  useHmm: false,
  sublinearTf: true,
};

/** A sparse, L2-normalised feature vector: bucket indices with their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Seeds keep the kinds of features apart: the word 工资 and the character bigram 工资 are different features. */
const SEED_WORD = 0x1234567;
const SEED_WORD_BIGRAM = 0x2345678;
const SEED_CHAR = 0x3456789;
/** Marks in the provenance arrays (see {@link FeatureHasher.describe}). */
const KIND_WORD = 1;
const KIND_WORD_BIGRAM = 2;
const KIND_CHAR = 3;

function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return mix(h);
}

/** Final avalanche (murmur3 fmix32) so low bits, used as the bucket, depend on every input bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function isFeatureChar(code: number): boolean {
  return isCjkCode(code) || (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/**
 * Turns text into hashed word + word-bigram + character n-gram features, without building feature strings
 * (strings are made only for the few features an explanation names). One instance per model; not re-entrant,
 * because it reuses scratch buffers to keep prediction allocation-free.
 */
export class FeatureHasher {
  readonly config: FeatureConfig;
  private readonly mask: number;
  private readonly counts: Float64Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  // Provenance of each bucket's first occurrence: kind, position and length; lets explanations name features.
  private readonly originKind: Uint8Array;
  private readonly originPos: Int32Array;
  private readonly originLen: Uint8Array;
  private lastTokens: string[] = [];
  private lastText = '';

  constructor(config: FeatureConfig) {
    if (!Number.isInteger(Math.log2(config.dimensions))) throw new RangeError('feature dimensions must be a power of two');
    this.config = config;
    this.mask = config.dimensions - 1;
    this.counts = new Float64Array(config.dimensions);
    this.touched = new Int32Array(config.dimensions);
    this.originKind = new Uint8Array(config.dimensions);
    this.originPos = new Int32Array(config.dimensions);
    this.originLen = new Uint8Array(config.dimensions);
  }

  private add(hash: number, kind: number, pos: number, len: number): void {
    const b = hash & this.mask;
    if (this.counts[b] === 0) {
      this.touched[this.touchedCount++] = b;
      this.originKind[b] = kind;
      this.originPos[b] = pos;
      this.originLen[b] = len;
    }
    this.counts[b]! += 1;
  }

  /**
   * Hashes a text into term counts, then weights them (sublinear tf × idf when given) and L2-normalises.
   * @param idf per-bucket inverse document frequency, or undefined while counting document frequencies
   */
  vectorize(text: string, idf?: Float32Array): SparseVector {
    const normalized = normalizeText(text);
    const lower = normalized.toLowerCase();
    const { config } = this;
    this.touchedCount = 0;
    const tokens = config.words || config.wordBigrams ? segment(normalized, config.useHmm) : [];
    this.lastTokens = tokens;
    this.lastText = lower;
    let prev = 0;
    for (let t = 0; t < tokens.length; t++) {
      const h = hashString(tokens[t]!, SEED_WORD);
      if (config.words) this.add(h, KIND_WORD, t, 1);
      if (config.wordBigrams && t > 0) this.add(mix((Math.imul(prev, 31) ^ h ^ SEED_WORD_BIGRAM) >>> 0), KIND_WORD_BIGRAM, t - 1, 2);
      prev = h;
    }
    for (const n of config.charNgrams) {
      // Rolling over runs of feature characters: n-grams never span punctuation or spaces.
      let runStart = 0;
      for (let i = 0; i < lower.length; i++) {
        const code = lower.charCodeAt(i);
        if (!isFeatureChar(code)) {
          runStart = i + 1;
          continue;
        }
        if (i - runStart + 1 < n) continue;
        let h = (FNV_OFFSET ^ SEED_CHAR ^ n) >>> 0;
        for (let k = i - n + 1; k <= i; k++) {
          h ^= lower.charCodeAt(k);
          h = Math.imul(h, FNV_PRIME);
        }
        this.add(mix(h), KIND_CHAR, i - n + 1, n);
      }
    }
    const size = this.touchedCount;
    const indices = new Int32Array(size);
    const values = new Float32Array(size);
    let norm = 0;
    for (let j = 0; j < size; j++) {
      const b = this.touched[j]!;
      const tf = this.counts[b]!;
      let v = config.sublinearTf ? 1 + Math.log(tf) : tf;
      if (idf) v *= idf[b]!;
      indices[j] = b;
      values[j] = v;
      norm += v * v;
      this.counts[b] = 0;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < size; j++) values[j]! *= inv;
    }
    return { indices, values };
  }

  /** Human-readable name of a bucket from the last {@link vectorize} call: a word, `word1 word2`, or characters. */
  describe(bucket: number): string {
    const kind = this.originKind[bucket];
    const pos = this.originPos[bucket]!;
    if (kind === KIND_WORD) return this.lastTokens[pos] ?? '';
    if (kind === KIND_WORD_BIGRAM) return `${this.lastTokens[pos] ?? ''} ${this.lastTokens[pos + 1] ?? ''}`;
    if (kind === KIND_CHAR) return this.lastText.slice(pos, pos + this.originLen[bucket]!);
    return '';
  }
}
