import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { extractPlaceNames, segment, isPunctuation } from './tokenizer.ts';
import { normalizeText } from './text-normalize.ts';
import { getStopwords } from './stopwords.ts';
import { simHashToHex, textSimHash } from './simhash.ts';
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
/** A title word counts this many times over: the title says what the post is about, the body wanders. */
const TITLE_TERM_COUNT = 3;
/** A specific place weighs this share of the mention's strongest keyword (it names the event's where). */
const PLACE_TERM_SHARE = 1;
/** Buckets of the hashed IDF table (2 bytes each: 2 MB instead of ~20 MB for a 259k-word map). */
const IDF_BUCKETS = 1 << 20;
/** IDF values are stored in thousandths. */
const IDF_SCALE = 1000;
/** Administrative units: A市, A3区, 西地省 … as a leading part of a longer name. */
const ADMIN_PREFIX = /^.*?(?:[a-z]\d*[省市区县]|^[\p{Script=Han}]{2,3}[省市])/u;
/** A place ending like this is an administrative unit: too broad to tell events apart. */
const ADMIN_PLACE = /[省市区县]$/;
/** Shortest place name kept once its administrative prefix is cut off. */
const MIN_PLACE_CHARS = 3;
/**
 * Place-shaped words that name a kind of place, not one place (seen among the most frequent "places" of the Teddy
 * message board): sharing them says nothing about being the same event.
 */
const GENERIC_PLACES = new Set([
  '物业公司', '有限公司', '分公司', '总公司', '有限责任公司', '自来水公司', '燃气公司', '公交公司', '房地产开发有限公司', '房地产开发公司',
  '物业管理有限公司', '市政工程有限公司', '建筑公司', '劳务公司', '两家公司', '公交线路', '配套幼儿园', '配套小学', '普惠性幼儿园', '中小学',
  '中小学校', '实验中学', '实验小学', '实验学校', '人民医院', '外国语学校', '职业技术学院', '理工大学', '商学院', '必经之路', '这条路', '城镇',
  '乡镇', '乡村', '城中村', '水泥路', '断头路', '高速公路', '快速路', '城市道路', '步行街', '后花园', '城际铁路', '距铁路', '跑路', '开展城镇',
]);

let idfTable: Uint16Array | undefined;
let idfDefault = 0;

function hashWord(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * jieba's IDF table (the one its keyword extraction uses), hashed into a small array once per process. Reading
 * it ourselves lets the keyword vector come from the same cut as the place names: one jieba pass per mention
 * instead of two. A colliding word reads another word's IDF, which only nudges a keyword weight.
 */
function idf(word: string): number {
  if (!idfTable) {
    const require = createRequire(import.meta.url);
    const path = (require('nodejieba') as { DEFAULT_IDF_DICT: string }).DEFAULT_IDF_DICT;
    const table = new Uint16Array(IDF_BUCKETS);
    let sum = 0;
    let count = 0;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const space = line.lastIndexOf(' ');
      if (space <= 0) continue;
      const value = Number(line.slice(space + 1));
      if (!(value > 0)) continue;
      sum += value;
      count++;
      const bucket = hashWord(line.slice(0, space)) & (IDF_BUCKETS - 1);
      if (table[bucket] === 0) table[bucket] = Math.min(0xffff, Math.round(value * IDF_SCALE));
    }
    idfDefault = count > 0 ? sum / count : 10;
    idfTable = table;
  }
  const stored = idfTable[hashWord(word) & (IDF_BUCKETS - 1)]!;
  return stored === 0 ? idfDefault : stored / IDF_SCALE;
}

/**
 * The form a place is compared in: without its administrative prefix (a2区丽发新城 and 丽发新城 are one estate,
 * 投诉a市伊景园 is 伊景园), unless too little is left.
 */
export function canonicalPlace(place: string): string {
  let name = place;
  for (;;) {
    const m = ADMIN_PREFIX.exec(name);
    if (!m || m[0].length === name.length) break;
    const rest = name.slice(m[0].length);
    if (rest.length < MIN_PLACE_CHARS) break;
    name = rest;
  }
  return name;
}

function countTokens(tokens: readonly string[], into: Map<string, number>, times: number, stopwords: ReadonlySet<string>): void {
  for (const token of tokens) {
    if (token.length < 2 || WEAK_TERM.test(token) || stopwords.has(token) || isPunctuation(token)) continue;
    into.set(token, (into.get(token) ?? 0) + times);
  }
}

/**
 * Turns a raw mention into the engine's input: keyword vector (tf-idf over one jieba cut, title words counted
 * extra), place names without their administrative prefix, SimHash of character shingles, engagement. Text is
 * read here and not kept.
 */
export function analyseMention(input: MentionInput, labels: MentionLabels = {}): AnalysedMention {
  const title = normalizeText(input.title ?? '');
  const text = normalizeText(input.text);
  const titleTokens = title ? segment(title, true) : [];
  const textTokens = segment(text, true);
  const stopwords = getStopwords();
  const counts = new Map<string, number>();
  countTokens(titleTokens, counts, TITLE_TERM_COUNT, stopwords);
  countTokens(textTokens, counts, 1, stopwords);
  const weighted: [string, number][] = [];
  for (const [word, tf] of counts) weighted.push([word, tf * idf(word)]);
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const terms: Record<string, number> = {};
  for (const [word, weight] of weighted.slice(0, MENTION_TERMS)) terms[word] = Math.round(weight * 1000) / 1000;

  const places = new Set<string>();
  for (const raw of [...extractPlaceNames(titleTokens), ...extractPlaceNames(textTokens)]) {
    const place = canonicalPlace(raw);
    if (!GENERIC_PLACES.has(place)) places.add(place);
  }
  // Specific places are strong evidence of the same event: make sure they are in the vector.
  const placeWeight = Math.round((weighted[0]?.[1] ?? idfDefault) * PLACE_TERM_SHARE * 1000) / 1000;
  for (const p of places) if (!ADMIN_PLACE.test(p)) terms[p] = Math.max(terms[p] ?? 0, placeWeight);
  return {
    id: input.id,
    time: parseSourceTime(input.time),
    title: title || text.slice(0, UNTITLED_EXCERPT_CHARS),
    terms,
    places: [...places],
    simhash: simHashToHex(textSimHash(text, 3)),
    category: labels.category ?? 'default',
    negativity: labels.negativity ?? 0,
    likes: input.likes ?? 0,
    comments: input.comments ?? 0,
    reposts: input.reposts ?? 0,
    source: input.source ?? 'unknown',
  };
}
