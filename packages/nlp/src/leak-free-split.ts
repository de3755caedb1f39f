import { stratifiedSplit } from './labelled-data.ts';
import type { LabelledText } from './classifier-training.ts';

/**
 * Share of a training text's distinctive character bigrams that may lie inside one held-out text (or of the held-out
 * text's inside the training text) before the two count as near-duplicates. The same complaint posted twice, a
 * message's title kept as its own row, or a reposted petition with a new first line all reach 0.5 and more; two
 * different complaints about the same office stay far below it (Teddy: median 0.12 for distinct messages).
 */
export const NEAR_DUPLICATE_CONTAINMENT = 0.5;

/**
 * Bigrams found in more held-out texts than this say nothing about duplication (的是, 我们) and would make the
 * comparison quadratic; containment is measured over the rarer ones.
 */
const MAX_BIGRAM_POSTINGS = 64;

/** Options of {@link leakFreeSplit}. */
export interface LeakFreeSplitOptions {
  /** Seed of the stratified shuffle. @defaultValue 1 */
  seed?: number;
  /** Texts that may only train (title-only rows, short posts), filtered like the rest. @defaultValue none */
  trainOnly?: readonly LabelledText[];
  /** @defaultValue {@link NEAR_DUPLICATE_CONTAINMENT} */
  threshold?: number;
}

/** A split where no held-out text's title or near-duplicate stays in training. */
export interface LeakFreeSplit {
  train: LabelledText[];
  heldOut: LabelledText[];
  /** Training texts dropped because they repeat a held-out text. */
  dropped: number;
}

function bigramsOf(text: string): Set<string> {
  const t = text.replace(/\s+/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

function titleOf(text: string): string {
  return text.split('\n', 1)[0]!.replace(/\s+/g, '');
}

/**
 * A stratified held-out split (see {@link stratifiedSplit}) that keeps out of training every text that leaks a
 * held-out one: the same title (message-board rows often come again as title-only rows), or a near-duplicate by
 * character-bigram containment either way ({@link NEAR_DUPLICATE_CONTAINMENT}). Figures on this split predict
 * new data; a plain split lets a model recall its own held-out titles.
 */
export function leakFreeSplit(
  docs: readonly LabelledText[],
  heldOutFraction: number,
  options: LeakFreeSplitOptions = {},
): LeakFreeSplit {
  const threshold = options.threshold ?? NEAR_DUPLICATE_CONTAINMENT;
  const split = stratifiedSplit(docs, (d) => d.label, heldOutFraction, options.seed ?? 1);
  split.train.push(...(options.trainOnly ?? []));
  const heldOutTitles = new Set(split.heldOut.map((d) => titleOf(d.text)).filter((t) => t.length >= 4));
  const heldGrams = split.heldOut.map((d) => bigramsOf(d.text));
  const postings = new Map<string, number[]>();
  heldGrams.forEach((grams, i) => {
    for (const g of grams) {
      const list = postings.get(g);
      if (list) list.push(i);
      else postings.set(g, [i]);
    }
  });
  // Rare bigrams of each held-out text: the denominator of "how much of the held-out text lies in training".
  const rareCount = heldGrams.map((grams) => {
    let n = 0;
    for (const g of grams) if (postings.get(g)!.length <= MAX_BIGRAM_POSTINGS) n++;
    return n;
  });
  const hits = new Int32Array(split.heldOut.length);
  let dropped = 0;
  const train = split.train.filter((d) => {
    if (heldOutTitles.has(titleOf(d.text))) {
      dropped++;
      return false;
    }
    const touched: number[] = [];
    let rare = 0;
    for (const g of bigramsOf(d.text)) {
      const list = postings.get(g);
      if (!list) {
        rare++;
        continue;
      }
      if (list.length > MAX_BIGRAM_POSTINGS) continue;
      rare++;
      for (const i of list) if (hits[i]!++ === 0) touched.push(i);
    }
    let leaks = false;
    for (const i of touched) {
      const shared = hits[i]!;
      hits[i] = 0;
      if (rare > 0 && shared / rare >= threshold) leaks = true;
      else if (rareCount[i]! > 0 && shared / rareCount[i]! >= threshold) leaks = true;
    }
    if (leaks) dropped++;
    return !leaks;
  });
  return { train, heldOut: split.heldOut, dropped };
}
