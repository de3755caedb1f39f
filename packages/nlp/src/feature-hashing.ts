import { segment, segmentBatch } from './tokeniser.ts';
import { isCjkCode, normaliseText } from './text-normalise.ts';
import { getStopwords } from './stopwords.ts';

/** How text becomes a sparse vector; stored in every model so prediction repeats training exactly. */
export interface FeatureConfig {
  /** Number of hash buckets, a power of two. @defaultValue 2^18 */
  dimensions: number;
  /** Word unigrams from jieba. @defaultValue true */
  words: boolean;
  /** Adjacent word pairs. @defaultValue false (measured: no gain on either set, a fifth more features to score) */
  wordBigrams: boolean;
  /** Character n-gram lengths over runs of ideographs, letters and digits (OOV words, typos). @defaultValue [2, 3] */
  charNgrams: number[];
  /** Let jieba's HMM join out-of-vocabulary words. @defaultValue false (faster; char n-grams cover OOV words) */
  useHmm: boolean;
  /** Term frequency becomes 1 + ln(tf), so one repeated word cannot dominate. @defaultValue true */
  sublinearTf: boolean;
  /**
   * When a text's first line is followed by more text (`title\ndetail`, as `--text title,detail` and mentions
   * join them), the title's words count once more as title words, features apart from the same words in the body.
   * @defaultValue false (training turns it on for long texts)
   */
  titleFeatures?: boolean;
}

/** Defaults that serve both long message-board posts and short Weibo posts. */
export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  dimensions: 1 << 18,
  words: true,
  // Word bigrams measured on the 25 % held-out splits: Teddy macro-F1 0.9226 → 0.9241 (seed 7) and 0.9196 → 0.9254
  // (seed 11) without them, SMP2020 0.6984 → 0.6976; character n-grams already see most adjacent-word context.
  wordBigrams: false,
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
const SEED_TITLE_WORD = 0x4567891;
/** Longest phrase a character n-gram may expand to in a reason; longer spans are a clause, not a phrase. */
const MAX_READABLE_PHRASE_CHARS = 8;

/**
 * Words that say nothing about a matter although they are no stopwords: counts (三个, 两年, 10月) and personal
 * pronouns (我们, 他们). Measured on the shipped models' reasons for Teddy letters, where 三个 and 我们三个 came up.
 */
const NON_CONTENT_WORD =
  /^(?:[\d.,%％]+|[\d一二三四五六七八九十两几百千万多]+[个年月日天次名位元块号人岁倍周]?|[我你他她它咱]们?|本人|自己)$/;

/** `word` when a person can read it as a reason: two characters or more, not a stopword, a count or a pronoun. */
export function readableWord(word: string): string | undefined {
  const w = word.trim();
  if (w.length < 2 || NON_CONTENT_WORD.test(w) || getStopwords().has(w)) return undefined;
  return w;
}

/** Marks in the provenance arrays (see {@link FeatureHasher.describe}). */
const KIND_WORD = 1;
const KIND_WORD_BIGRAM = 2;
const KIND_CHAR = 3;
const KIND_TITLE_WORD = 4;

/**
 * Length of the title at the start of the normalised text when the raw text's first line is followed by more text
 * (`title\ndetail`), else 0. normaliseText turns the newline into a space, so the title stays a prefix.
 */
function titleLengthOf(raw: string): number {
  const newline = raw.indexOf('\n');
  if (newline < 0 || raw.slice(newline + 1).trim() === '') return 0;
  return normaliseText(raw.slice(0, newline)).length;
}

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
 * A text made ready for the hashed features: normalised, lowercased and cut by jieba once, so several models
 * (relevance, sub-category, sentiment) can share one jieba pass. Build it with {@link prepareText}.
 */
export interface PreparedText {
  readonly normalised: string;
  readonly lower: string;
  readonly tokens: readonly string[];
  /** Whether jieba's HMM joined out-of-vocabulary words: models trained without it re-cut the text. */
  readonly useHmm: boolean;
  /** Characters of `normalised` that are the text's title line (0 without one); see `FeatureConfig.titleFeatures`. */
  readonly titleLength: number;
}

/** Normalises and cuts a text once for {@link FeatureHasher.vectorise} and `TextClassifier.predict`. */
export function prepareText(text: string, useHmm = DEFAULT_FEATURE_CONFIG.useHmm): PreparedText {
  const normalised = normaliseText(text);
  return {
    normalised,
    lower: normalised.toLowerCase(),
    tokens: segment(normalised, useHmm),
    useHmm,
    titleLength: titleLengthOf(text),
  };
}

/**
 * {@link prepareText} for many texts: jieba cuts them in few native calls (see `segmentBatch`), which is faster for
 * short posts. Gives the same prepared texts as preparing each on its own.
 */
export function prepareTexts(texts: readonly string[], useHmm = DEFAULT_FEATURE_CONFIG.useHmm): PreparedText[] {
  const normalised = texts.map(normaliseText);
  const tokens = segmentBatch(normalised, useHmm);
  return normalised.map((n, i) => ({
    normalised: n,
    lower: n.toLowerCase(),
    tokens: tokens[i]!,
    useHmm,
    titleLength: titleLengthOf(texts[i]!),
  }));
}

/** Term counts saturate here (a Uint16 per bucket keeps the count table small enough to stay in cache). */
const MAX_TERM_COUNT = 0xffff;

/**
 * Turns text into hashed word + word-bigram + character n-gram features, without building feature strings
 * (strings are made only for the few features an explanation names). One instance per model; not re-entrant,
 * because it reuses scratch buffers to keep prediction allocation-free.
 */
export class FeatureHasher {
  readonly config: FeatureConfig;
  private readonly mask: number;
  // Uint16 counts (512 KB at 2^18 buckets) instead of doubles: random access over this table is a large share
  // of prediction time, and a smaller table misses the CPU cache less.
  private readonly counts: Uint16Array;
  private touched: Int32Array;
  private touchedCount = 0;
  // Provenance of each bucket's first occurrence: kind, position and length; lets explanations name features.
  private readonly originKind: Uint8Array;
  private readonly originPos: Int32Array;
  private readonly originLen: Uint8Array;
  private lastTokens: readonly string[] = [];
  private lastText = '';
  private recordOrigins = false;
  private offsets: Int32Array | undefined;
  private offsetsFor = '';

  constructor(config: FeatureConfig) {
    if (!Number.isInteger(Math.log2(config.dimensions)))
      throw new RangeError('feature dimensions must be a power of two');
    this.config = config;
    this.mask = config.dimensions - 1;
    this.counts = new Uint16Array(config.dimensions);
    this.touched = new Int32Array(1024);
    this.originKind = new Uint8Array(config.dimensions);
    this.originPos = new Int32Array(config.dimensions);
    this.originLen = new Uint8Array(config.dimensions);
  }

  private add(hash: number, kind: number, pos: number, len: number): void {
    const b = hash & this.mask;
    const c = this.counts[b]!;
    if (c === 0) {
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = b;
      if (this.recordOrigins) {
        this.originKind[b] = kind;
        this.originPos[b] = pos;
        this.originLen[b] = len;
      }
    }
    if (c < MAX_TERM_COUNT) this.counts[b] = c + 1;
  }

  /**
   * Counts the features of a text into the scratch tables; returns how many distinct buckets it touched. Read
   * them with {@link bucketAt}/{@link takeCount} (which also clears the table for the next text).
   */
  count(input: string | PreparedText, explainable = false): number {
    this.recordOrigins = explainable;
    const { config } = this;
    const normalised = typeof input === 'string' ? normaliseText(input) : input.normalised;
    const lower = typeof input === 'string' ? normalised.toLowerCase() : input.lower;
    this.touchedCount = 0;
    // Tokens cut with another HMM setting than the model's would not match its training features: re-cut those.
    const reuse = typeof input !== 'string' && input.useHmm === config.useHmm;
    const tokens =
      config.words || config.wordBigrams
        ? reuse
          ? (input as PreparedText).tokens
          : segment(normalised, config.useHmm)
        : [];
    this.lastTokens = tokens;
    this.lastText = lower;
    let prev = 0;
    for (let t = 0; t < tokens.length; t++) {
      const h = hashString(tokens[t]!, SEED_WORD);
      if (config.words) this.add(h, KIND_WORD, t, 1);
      if (config.wordBigrams && t > 0)
        this.add(mix((Math.imul(prev, 31) ^ h ^ SEED_WORD_BIGRAM) >>> 0), KIND_WORD_BIGRAM, t - 1, 2);
      prev = h;
    }
    if (config.titleFeatures && config.words) {
      // Measured over eight Teddy held-out splits: relevance F1 +0.0016 (none worse), macro-F1 +0.0005.
      const titleLength = typeof input === 'string' ? titleLengthOf(input) : input.titleLength;
      // Tokens hold no spaces, so the title's tokens are the first ones covering its non-space characters.
      let titleChars = 0;
      for (let i = 0; i < titleLength; i++) if (normalised.charCodeAt(i) !== 32) titleChars++;
      let covered = 0;
      for (let t = 0; t < tokens.length; t++) {
        covered += tokens[t]!.length;
        if (covered > titleChars) break;
        this.add(hashString(tokens[t]!, SEED_TITLE_WORD), KIND_TITLE_WORD, t, 1);
      }
    }
    // One pass over runs of feature characters for every n-gram length: n-grams never span punctuation or spaces.
    const ngrams = config.charNgrams;
    let run = 0;
    for (let i = 0; i < lower.length; i++) {
      if (!isFeatureChar(lower.charCodeAt(i))) {
        run = 0;
        continue;
      }
      run++;
      for (let g = 0; g < ngrams.length; g++) {
        const n = ngrams[g]!;
        if (run < n) continue;
        let h = (FNV_OFFSET ^ SEED_CHAR ^ n) >>> 0;
        for (let k = i - n + 1; k <= i; k++) {
          h ^= lower.charCodeAt(k);
          h = Math.imul(h, FNV_PRIME);
        }
        this.add(mix(h), KIND_CHAR, i - n + 1, n);
      }
    }
    return this.touchedCount;
  }

  /** Bucket of the j-th distinct feature of the last {@link count} call. */
  bucketAt(j: number): number {
    return this.touched[j]!;
  }

  /** Weighted term frequency of bucket `b` (1 + ln tf when sublinear), clearing it for the next text. */
  takeCount(b: number): number {
    const tf = this.counts[b]!;
    this.counts[b] = 0;
    if (!this.config.sublinearTf || tf === 1) return tf;
    return 1 + Math.log(tf);
  }

  /**
   * Hashes a text into term counts, then weights them (sublinear tf × idf when given) and L2-normalises.
   * @param idf per-bucket inverse document frequency, or undefined while counting document frequencies
   * @param explainable remember where each feature came from so {@link describe} can name it (slower)
   */
  vectorise(input: string | PreparedText, idf?: Float32Array, explainable = false): SparseVector {
    const size = this.count(input, explainable);
    const indices = new Int32Array(size);
    const values = new Float32Array(size);
    let norm = 0;
    for (let j = 0; j < size; j++) {
      const b = this.touched[j]!;
      let v = this.takeCount(b);
      if (idf) v *= idf[b]!;
      indices[j] = b;
      values[j] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < size; j++) values[j]! *= inv;
    }
    return { indices, values };
  }

  /**
   * Name of a bucket from the last explainable {@link vectorise} call: a word, `word1 word2`, characters, or
   * `标题:word` for a title word.
   */
  /**
   * A name of a bucket from the last explainable {@link vectorise} call that a person can read, or undefined: a
   * whole word (no single characters, stopwords or numbers), two adjacent words, or, for a character n-gram, the
   * whole words it lies in (资拖 → 工资拖欠), so a reason never shows a fragment. Title words read as the word.
   */
  describeReadable(bucket: number): string | undefined {
    const kind = this.originKind[bucket];
    const pos = this.originPos[bucket]!;
    if (kind === KIND_WORD || kind === KIND_TITLE_WORD) return readableWord(this.lastTokens[pos] ?? '');
    if (kind === KIND_WORD_BIGRAM) {
      const a = readableWord(this.lastTokens[pos] ?? '');
      const b = readableWord(this.lastTokens[pos + 1] ?? '');
      return a && b ? a + b : undefined;
    }
    if (kind !== KIND_CHAR) return undefined;
    const offsets = this.tokenOffsets();
    const start = pos;
    const end = pos + this.originLen[bucket]!;
    const covering: number[] = [];
    for (let t = 0; t < offsets.length; t++) {
      const s = offsets[t]!;
      if (s < 0) continue;
      const e = s + this.lastTokens[t]!.length;
      if (e > start && s < end) covering.push(t);
      if (s >= end) break;
    }
    const words = covering.map((t) => this.lastTokens[t]!);
    // Words at the edges that carry no meaning of their own (的, 了, 我们, 三个) are not part of the phrase.
    while (words.length > 0 && !readableWord(words[0]!)) words.shift();
    while (words.length > 0 && !readableWord(words[words.length - 1]!)) words.pop();
    if (words.length === 0) return undefined;
    const phrase = words.join('');
    if (phrase.length > MAX_READABLE_PHRASE_CHARS) return undefined;
    return readableWord(phrase);
  }

  /** Start of each token of the last text in its lower-cased normalised form (-1 when not found), computed once. */
  private tokenOffsets(): Int32Array {
    if (this.offsetsFor === this.lastText && this.offsets) return this.offsets;
    const offsets = new Int32Array(this.lastTokens.length);
    let cursor = 0;
    for (let t = 0; t < this.lastTokens.length; t++) {
      const at = this.lastText.indexOf(this.lastTokens[t]!.toLowerCase(), cursor);
      offsets[t] = at;
      if (at >= 0) cursor = at + this.lastTokens[t]!.length;
    }
    this.offsets = offsets;
    this.offsetsFor = this.lastText;
    return offsets;
  }

  describe(bucket: number): string {
    const kind = this.originKind[bucket];
    const pos = this.originPos[bucket]!;
    if (kind === KIND_WORD) return this.lastTokens[pos] ?? '';
    if (kind === KIND_WORD_BIGRAM) return `${this.lastTokens[pos] ?? ''} ${this.lastTokens[pos + 1] ?? ''}`;
    if (kind === KIND_CHAR) return this.lastText.slice(pos, pos + this.originLen[bucket]!);
    if (kind === KIND_TITLE_WORD) return `标题:${this.lastTokens[pos] ?? ''}`;
    return '';
  }
}
