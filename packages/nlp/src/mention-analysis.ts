import { extractPlaceNames, segment, isPunctuation } from './tokenizer.ts';
import { normalizeText } from './text-normalize.ts';
import { getJieba } from './jieba.ts';
import { getStopwords } from './stopwords.ts';
import { charShingles, simHash, simHashToHex } from './simhash.ts';
import type { AnalysedMention } from './hot-issue-engine.ts';
import { parseSourceTime } from './stream-time.ts';

/** A raw mention as it arrives from a crawler or a replayed stream. */
export interface MentionInput {
  id: string;
  text: string;
  /** ISO time or epoch ms. */
  time: string | number;
  title?: string;
  likes?: number;
  comments?: number;
  reposts?: number;
  source?: string;
}

/** Classifier outputs used for a mention; absent ones default to category `default` and negativity 0. */
export interface MentionLabels {
  category?: string;
  negativity?: number;
}

/** Keywords per mention kept for clustering. */
const MENTION_TERMS = 20;
/** Characters of the text used as a title when the mention has none. */
const UNTITLED_EXCERPT_CHARS = 40;
/** Bare letters/digits of anonymised or generic codes (a3, 12) say nothing about the event. */
const WEAK_TERM = /^[a-z0-9.]{1,3}$/;

/**
 * Turns a raw mention into the engine's input: keyword vector (jieba tf-idf), place names, SimHash of character
 * shingles, engagement. Text is read here and not kept.
 */
export function analyseMention(input: MentionInput, labels: MentionLabels = {}): AnalysedMention {
  const body = [input.title ?? '', input.text].filter(Boolean).join('\n');
  const normalized = normalizeText(body);
  const tokens = segment(normalized, true);
  const places = extractPlaceNames(tokens);
  const stopwords = getStopwords();
  const terms: Record<string, number> = {};
  for (const { word, weight } of getJieba().extract(normalized, MENTION_TERMS * 2)) {
    const w = word.trim().toLowerCase();
    if (w.length < 2 || WEAK_TERM.test(w) || stopwords.has(w) || isPunctuation(w)) continue;
    terms[w] = Math.round(weight * 1000) / 1000;
    if (Object.keys(terms).length >= MENTION_TERMS) break;
  }
  // Specific places are strong evidence of the same event: make sure they are in the vector.
  for (const p of places) if (!/[省市区县]$/.test(p)) terms[p] = Math.max(terms[p] ?? 0, 8);
  const time = parseSourceTime(input.time);
  const title = normalizeText(input.title ?? '') || normalizeText(input.text).slice(0, UNTITLED_EXCERPT_CHARS);
  return {
    id: input.id,
    time,
    title,
    terms,
    places,
    simhash: simHashToHex(simHash(charShingles(normalizeText(input.text), 3))),
    category: labels.category ?? 'default',
    negativity: labels.negativity ?? 0,
    likes: input.likes ?? 0,
    comments: input.comments ?? 0,
    reposts: input.reposts ?? 0,
    source: input.source ?? 'unknown',
  };
}
