// Similar past replies (reply library): which stored official replies best fit a new message or issue. Pure and in
// memory; packages/db keeps the records and their tokens.
//
// Plain BM25 over one bag of words misses two things the bureau's replies show. (1) Where a word appears matters:
// a past message's long story shares many everyday words with any other complaint, while its title (留言主题) and
// its reply name the case; so each field has its own weight and length normalisation (BM25F), and the query's own
// title counts extra. (2) jieba cuts place and estate
// names differently in a message and in its reply (景蓉华苑 / 景蓉花苑 …), and a word missing from the dictionary
// may be cut in two; overlapping character bigrams catch what the words miss, as a second, weaker score.
import { charShingles } from './simhash.ts';

/** Fields a reply record is searched by. */
export type ReplyField = 'title' | 'question' | 'answer';

/** A record as the index reads it: tokens per field (jieba with the HR dictionary) and the raw text for bigrams. */
export interface ReplyIndexDoc {
  id: number;
  titleTokens: readonly string[];
  questionTokens: readonly string[];
  answerTokens: readonly string[];
  /** Title, question and answer text, for the character-bigram backoff. */
  text: string;
}

/** Options for {@link ReplyIndex}. */
export interface ReplyIndexOptions {
  /** Term saturation. @defaultValue 1.2 */
  k1?: number;
  /**
   * Weight of a term occurrence per field. A long message repeats its story in words any other complaint uses
   * too; the reply and the title name the case. @defaultValue title 1, question 0.3, answer 1
   */
  fieldWeights?: Record<ReplyField, number>;
  /** Length normalisation per field (BM25's b). @defaultValue title 0.3, question 0.75, answer 0.9 */
  fieldB?: Record<ReplyField, number>;
  /** Weight of the character-bigram score next to the word score (both scaled to the best hit). @defaultValue 0.35 */
  bigramWeight?: number;
  /** Weight of the query's title tokens over its body tokens. @defaultValue 2 */
  queryTitleWeight?: number;
}

/** A query: the title of the message or issue (optional) and its tokens, and its text for bigrams. */
export interface ReplyQuery {
  titleTokens?: readonly string[];
  tokens: readonly string[];
  text: string;
}

/** One ranked record. */
export interface ReplyMatch {
  id: number;
  /** Combined score (1 is the best record of this query when both parts agree on it). */
  score: number;
  /** The shared words that contributed most, best first: why it matched. */
  sharedTerms: string[];
}

const DEFAULTS = {
  k1: 1.2,
  fieldWeights: { title: 1, question: 0.3, answer: 1 },
  fieldB: { title: 0.3, question: 0.75, answer: 0.9 },
  bigramWeight: 0.35,
  queryTitleWeight: 2,
} as const;
/** Shared terms reported per match. */
const SHARED_TERMS_SHOWN = 6;
/** Tokens of one character carry little (的, 区, 号) and make postings long. */
const MIN_TERM_CHARS = 2;

/**
 * An inverted index in compressed-row form: the postings of all terms in two flat typed arrays. A library of
 * thousands of long replies holds hundreds of thousands of distinct bigrams; two JavaScript arrays per term made
 * building it mostly garbage collection.
 */
class Postings {
  private readonly ids = new Map<string, number>();
  private termOf = new Int32Array(1024);
  private docOf = new Int32Array(1024);
  private tfOf = new Float32Array(1024);
  private length = 0;
  private offsets = new Int32Array(1);
  private docs = new Int32Array(0);
  private tfs = new Float32Array(0);

  /** Adds a posting; documents must be added in increasing order. */
  add(term: string, doc: number, tf: number): void {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
    }
    if (this.length === this.termOf.length) {
      const grow = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.termOf = grow(this.termOf, (n) => new Int32Array(n));
      this.docOf = grow(this.docOf, (n) => new Int32Array(n));
      this.tfOf = grow(this.tfOf, (n) => new Float32Array(n));
    }
    this.termOf[this.length] = id;
    this.docOf[this.length] = doc;
    this.tfOf[this.length] = tf;
    this.length += 1;
  }

  /** Groups the postings by term (a counting sort keeps each term's documents in order). */
  finish(): this {
    const terms = this.ids.size;
    const offsets = new Int32Array(terms + 1);
    for (let i = 0; i < this.length; i++) offsets[this.termOf[i]! + 1]! += 1;
    for (let t = 0; t < terms; t++) offsets[t + 1]! += offsets[t]!;
    const next = offsets.slice(0, terms);
    const docs = new Int32Array(this.length);
    const tfs = new Float32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const at = next[this.termOf[i]!]!++;
      docs[at] = this.docOf[i]!;
      tfs[at] = this.tfOf[i]!;
    }
    this.offsets = offsets;
    this.docs = docs;
    this.tfs = tfs;
    this.termOf = new Int32Array(0);
    this.docOf = new Int32Array(0);
    this.tfOf = new Float32Array(0);
    return this;
  }

  /** Number of documents holding the term. */
  df(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** The term's pseudo term frequency in one document (0 when absent); a binary search in the term's postings. */
  tf(term: string, doc: number): number {
    const id = this.ids.get(term);
    if (id === undefined) return 0;
    let lo = this.offsets[id]!;
    let hi = this.offsets[id + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.docs[mid]!;
      if (d === doc) return this.tfs[mid]!;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Adds idf × weight × saturated tf of each query term to `scores`. */
  score(query: Map<string, number>, docCount: number, k1: number, scores: Float64Array): void {
    for (const [term, weight] of query) {
      const id = this.ids.get(term);
      if (id === undefined) continue;
      const from = this.offsets[id]!;
      const to = this.offsets[id + 1]!;
      const w = idf(docCount, to - from) * weight;
      for (let i = from; i < to; i++) {
        const tf = this.tfs[i]!;
        scores[this.docs[i]!]! += (w * tf * (k1 + 1)) / (tf + k1);
      }
    }
  }
}

function counts(tokens: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) if (t.length >= MIN_TERM_CHARS) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

function idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

function maxOf(values: Float64Array): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

/**
 * The reply library's index: BM25F over jieba tokens of title, question and answer, plus BM25 over character
 * bigrams as a backoff. Built once per library version; {@link ReplyIndex.search} ranks every record.
 */
export class ReplyIndex {
  private readonly ids: number[];
  private readonly words = new Postings();
  private readonly bigrams = new Postings();
  private readonly k1: number;
  private readonly bigramWeight: number;
  private readonly queryTitleWeight: number;

  constructor(docs: readonly ReplyIndexDoc[], options: ReplyIndexOptions = {}) {
    this.k1 = options.k1 ?? DEFAULTS.k1;
    this.bigramWeight = options.bigramWeight ?? DEFAULTS.bigramWeight;
    this.queryTitleWeight = options.queryTitleWeight ?? DEFAULTS.queryTitleWeight;
    const weights = options.fieldWeights ?? DEFAULTS.fieldWeights;
    const fieldB = options.fieldB ?? DEFAULTS.fieldB;
    this.ids = docs.map((d) => d.id);
    const fields: ReplyField[] = ['title', 'question', 'answer'];
    const tokensOf = (d: ReplyIndexDoc, f: ReplyField): readonly string[] =>
      f === 'title' ? d.titleTokens : f === 'question' ? d.questionTokens : d.answerTokens;
    const avg = Object.fromEntries(
      fields.map((f) => [f, docs.reduce((s, d) => s + tokensOf(d, f).length, 0) / Math.max(1, docs.length) || 1]),
    ) as Record<ReplyField, number>;
    const bigramDocs = docs.map((d) => charShingles(d.text, 2));
    const avgBigrams = bigramDocs.reduce((s, b) => s + b.length, 0) / Math.max(1, docs.length) || 1;
    docs.forEach((d, index) => {
      const pseudo = new Map<string, number>();
      for (const f of fields) {
        const tokens = tokensOf(d, f);
        const norm = 1 - fieldB[f] + (fieldB[f] * tokens.length) / avg[f];
        for (const [t, c] of counts(tokens)) pseudo.set(t, (pseudo.get(t) ?? 0) + (weights[f] * c) / norm);
      }
      for (const [t, tf] of pseudo) this.words.add(t, index, tf);
      const b = bigramDocs[index]!;
      const norm = 1 - 0.75 + (0.75 * b.length) / avgBigrams;
      for (const [t, c] of counts(b)) this.bigrams.add(t, index, c / norm);
    });
    this.words.finish();
    this.bigrams.finish();
  }

  /** Number of records indexed. */
  get size(): number {
    return this.ids.length;
  }

  /** Every record's score for the query, in the order the records were given (for ranks in the benchmark). */
  scores(query: ReplyQuery): Float64Array {
    const n = this.ids.length;
    const wordQuery = new Map<string, number>();
    for (const [t, c] of counts(query.tokens)) wordQuery.set(t, 1 + Math.log(c));
    for (const t of counts(query.titleTokens ?? []).keys())
      wordQuery.set(t, (wordQuery.get(t) ?? 0) + this.queryTitleWeight);
    const word = new Float64Array(n);
    this.words.score(wordQuery, n, this.k1, word);
    const bigramQuery = new Map<string, number>();
    for (const t of counts(charShingles(query.text, 2)).keys()) bigramQuery.set(t, 1);
    const bigram = new Float64Array(n);
    this.bigrams.score(bigramQuery, n, this.k1, bigram);
    const wordMax = maxOf(word) || 1;
    const bigramMax = maxOf(bigram) || 1;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++)
      out[i] = (word[i]! / wordMax + (this.bigramWeight * bigram[i]!) / bigramMax) / (1 + this.bigramWeight);
    return out;
  }

  /**
   * The `top` best records with the words they share with the query, ordered by what each contributed to the
   * word score (rare and repeated in the record, or in its title): a rare word met once says less than the
   * case's own subject named throughout the reply.
   */
  search(query: ReplyQuery, top: number): ReplyMatch[] {
    const scores = this.scores(query);
    const order = topIndexes(scores, top);
    const queryTerms = new Set(
      [...(query.titleTokens ?? []), ...query.tokens].filter((t) => t.length >= MIN_TERM_CHARS),
    );
    const n = this.ids.length;
    return order.map((i) => {
      const shared: { t: string; w: number }[] = [];
      for (const t of queryTerms) {
        const tf = this.words.tf(t, i);
        if (tf > 0) shared.push({ t, w: (idf(n, this.words.df(t)) * tf * (this.k1 + 1)) / (tf + this.k1) });
      }
      const sharedTerms = shared
        .sort((a, b) => b.w - a.w || a.t.localeCompare(b.t))
        .slice(0, SHARED_TERMS_SHOWN)
        .map((x) => x.t);
      return { id: this.ids[i]!, score: Math.round(scores[i]! * 1000) / 1000, sharedTerms };
    });
  }
}

/** Indexes of the `top` highest scores (ties by position), skipping records with no score at all. */
export function topIndexes(scores: Float64Array, top: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > 0) idx.push(i);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return idx.slice(0, top);
}

/** 1-based rank of record `index` among all scores (ties counted against it: a conservative rank). */
export function rankOf(scores: Float64Array, index: number): number {
  const own = scores[index]!;
  let rank = 1;
  for (let i = 0; i < scores.length; i++) if (i !== index && scores[i]! >= own) rank += 1;
  return rank;
}

/**
 * Plain Okapi BM25 over one bag of tokens per record: the baseline the reply library's ranking is measured
 * against (same tokeniser, k1 = 1.2, b = 0.75, every query token counted as often as it occurs).
 */
export class PlainBm25 {
  private readonly postings = new Postings();
  private readonly n: number;

  constructor(
    docs: readonly (readonly string[])[],
    private readonly k1 = 1.2,
    b = 0.75,
  ) {
    this.n = docs.length;
    const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length) || 1;
    docs.forEach((tokens, index) => {
      const norm = 1 - b + (b * tokens.length) / avg;
      for (const [t, c] of counts(tokens)) this.postings.add(t, index, c / norm);
    });
    this.postings.finish();
  }

  /** Every record's score for the query tokens. */
  scores(tokens: readonly string[]): Float64Array {
    const out = new Float64Array(this.n);
    this.postings.score(counts(tokens), this.n, this.k1, out);
    return out;
  }
}
