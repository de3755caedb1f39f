import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { extractPlaceNames, segment, segmentBatch, isPunctuation } from './tokeniser.ts';
import { isCjkCode, normaliseText } from './text-normalise.ts';
import { getStopwords } from './stopwords.ts';
import { simHashToHex, textSimHash } from './simhash.ts';
import type { AnalysedMention } from './hot-issue-state.ts';
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
  /** Best rank on a platform hot list (1 = top), for a hot-list entry. */
  hotRank?: number;
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
  '物业公司',
  '有限公司',
  '分公司',
  '总公司',
  '有限责任公司',
  '自来水公司',
  '燃气公司',
  '公交公司',
  '房地产开发有限公司',
  '房地产开发公司',
  '物业管理有限公司',
  '市政工程有限公司',
  '建筑公司',
  '劳务公司',
  '两家公司',
  '公交线路',
  '配套幼儿园',
  '配套小学',
  '普惠性幼儿园',
  '中小学',
  '中小学校',
  '实验中学',
  '实验小学',
  '实验学校',
  '人民医院',
  '外国语学校',
  '职业技术学院',
  '理工大学',
  '商学院',
  '必经之路',
  '这条路',
  '城镇',
  '乡镇',
  '乡村',
  '城中村',
  '水泥路',
  '断头路',
  '高速公路',
  '快速路',
  '城市道路',
  '步行街',
  '后花园',
  '城际铁路',
  '距铁路',
  '跑路',
  '开展城镇',
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

/**
 * Ends of the tokeniser's place suffixes (区, 小区, 街道办事处, 公司 …): last character → the characters that may
 * precede it ('' when the character alone is a suffix). A token ending in none of them cannot end a place name.
 * Must cover every suffix {@link extractPlaceNames} knows (a test checks both agree on real posts).
 */
const PLACE_SUFFIX_ENDS = new Map<number, string>(
  Object.entries({
    厂: '',
    省: '',
    市: '',
    区: '',
    县: '',
    镇: '',
    乡: '',
    村: '',
    路: '',
    街: '',
    巷: '',
    园: '',
    苑: '',
    城: '',
    处: '事',
    会: '委',
    道: '街大',
    寓: '公',
    厦: '大',
    场: '广',
    司: '公',
    团: '集',
    校: '学',
    学: '大中小',
    院: '医学',
  }).map(([last, before]) => [last.charCodeAt(0), before]),
);

/** Whether a token may end in a place suffix (see {@link PLACE_SUFFIX_ENDS}). */
function mayEndPlace(token: string): boolean {
  const before = PLACE_SUFFIX_ENDS.get(token.charCodeAt(token.length - 1));
  if (before === undefined) return false;
  return before === '' || (token.length >= 2 && before.includes(token.charAt(token.length - 2)));
}

/** Tokens {@link extractPlaceNames} looks back over in front of a place suffix. */
const PLACE_LOOKBACK_TOKENS = 3;
/** Breaks the look-back between two windows of {@link placeNamesOf} (punctuation is never part of a name). */
const WINDOW_BREAK = '|';

/**
 * `extractPlaceNames(tokens)` without handing it every token: only the windows of tokens that may end a place
 * (and the few in front of each that it looks back over) are passed, a break between windows. A 300-character
 * post has ~200 tokens and a handful of candidates, and the extraction tests ~40 suffixes per token it sees.
 * Exported for its test only.
 * @internal
 */
export function placeNamesOf(tokens: readonly string[], from: number, to: number): string[] {
  let windows: string[] | undefined;
  let emitted = from - 1;
  for (let i = from; i < to; i++) {
    const token = tokens[i]!;
    if (!mayEndPlace(token)) continue;
    windows ??= [];
    const start = Math.max(from, i - PLACE_LOOKBACK_TOKENS);
    if (start > emitted + 1 && windows.length > 0) windows.push(WINDOW_BREAK);
    for (let j = Math.max(start, emitted + 1); j <= i; j++) windows.push(tokens[j]!);
    emitted = i;
  }
  return windows ? extractPlaceNames(windows) : [];
}

/**
 * Keyword counts of tokens[from, to): words of two or more characters, not stopwords, punctuation or bare codes.
 * Most tokens are single characters or punctuation, so the cheap length test comes first.
 */
function countTokens(
  tokens: readonly string[],
  from: number,
  to: number,
  into: Map<string, number>,
  times: number,
  stopwords: ReadonlySet<string>,
): void {
  for (let i = from; i < to; i++) {
    const token = tokens[i]!;
    if (token.length < 2) continue;
    if (token.charCodeAt(0) < 128 ? WEAK_TERM.test(token) || isPunctuation(token) : isPunctuation(token)) continue;
    if (stopwords.has(token)) continue;
    into.set(token, (into.get(token) ?? 0) + times);
  }
}

/**
 * Counts the run bigrams ({@link RunBigram}) of the runs that start among tokens [from, to), like {@link countTokens}
 * counts the tokens.
 */
function countRunBigrams(
  bigrams: readonly RunBigram[],
  from: number,
  to: number,
  into: Map<string, number>,
  times: number,
): void {
  for (const { at, word } of bigrams) if (at >= from && at < to) into.set(word, (into.get(word) ?? 0) + times);
}

/**
 * A text already normalised and cut by jieba (the classifier's `PreparedText` fits): {@link analyseMention} uses
 * its tokens instead of cutting again.
 */
export interface PreCutText {
  /** `normaliseText` of the title and the text joined by a newline (or of the text alone); may stop early. */
  readonly normalised: string;
  /**
   * `segment(normalised, false)`: jieba's dictionary cut (the classifier's) with spaces dropped and ASCII runs
   * joined. The out-of-vocabulary words jieba's HMM would join are recovered here from its runs of single
   * characters, the only places the HMM joins anything.
   */
  readonly tokens: readonly string[];
}

/**
 * A pair of neighbouring characters of an out-of-vocabulary run that the HMM cut apart (车贷案 → 车 | 贷案 gives 车贷),
 * counted as a keyword beside the HMM's words. The HMM's pairing depends on where the run ends: 58车贷 alone is cut
 * 车贷, 58车贷案 is cut 车 | 贷案, so two posts about one case shared no keyword for its name. `at`: the token index
 * where the run's words start (whether it counts as a title word).
 */
interface RunBigram {
  at: number;
  word: string;
}

/** A jieba dictionary cut with the HMM's words recovered ({@link withHmmWords}). */
interface RecutTokens {
  tokens: readonly string[];
  runBigrams: readonly RunBigram[];
}

/** Tokens of one mention: [0, titleEnd) are the title's, [textStart, tokens.length) the text's (they overlap when the text opens with the title). */
interface MentionTokens extends RecutTokens {
  titleEnd: number;
  textStart: number;
}

/** `b`'s run bigrams after `a`'s, as when b's tokens are appended to a's `offset` tokens. */
function appendRunBigrams(a: readonly RunBigram[], b: readonly RunBigram[], offset: number): readonly RunBigram[] {
  if (b.length === 0) return a;
  return [...a, ...b.map(({ at, word }) => ({ at: at + offset, word }))];
}

/**
 * Lines a pre-cut text up with the mention's title and text: the title's tokens are those that end within its
 * characters (jieba splits at the space between title and text, so no token spans both). A cut of a shortened
 * text is completed by cutting the rest; one of another text is not used (undefined).
 */
function alignPreCut(
  prepared: { normalised: string } & RecutTokens,
  title: string,
  text: string,
): MentionTokens | undefined {
  const n = prepared.normalised;
  let textStart: number;
  let titleChars: number;
  if (
    title &&
    n.startsWith(title) &&
    (n.length === title.length || n.charCodeAt(title.length) === 32) &&
    text.startsWith(n.slice(title.length + 1))
  ) {
    textStart = Math.min(n.length, title.length + 1);
    titleChars = title.length;
  } else if (text.startsWith(n)) {
    // The text alone (no title, or a text that opens with its title): the title's words are its opening words.
    textStart = 0;
    titleChars = title && text.startsWith(title) ? title.length : 0;
    if (title && titleChars === 0) {
      // A cut of the text without its title: cut the (short) title here.
      const rest = alignPreCut(prepared, '', text);
      return rest && titleThenText(withHmmWords(segment(title, false)), rest);
    }
  } else {
    return undefined;
  }
  const tokens = prepared.tokens;
  let pos = 0;
  let titleEnd = 0;
  for (let t = 0; t < tokens.length; t++) {
    while (n.charCodeAt(pos) === 32) pos++;
    pos += tokens[t]!.length;
    if (pos <= titleChars) titleEnd = t + 1;
  }
  // Tokens that do not add up to the text (a cut of something else, a case change altering lengths): cut here.
  if (pos !== n.length) return undefined;
  const covered = n.length - textStart;
  const textTokens = textStart === 0 ? 0 : titleEnd;
  if (covered >= text.length) return { tokens, titleEnd, textStart: textTokens, runBigrams: prepared.runBigrams };
  const rest = withHmmWords(segment(text.slice(covered), false));
  return {
    tokens: [...tokens, ...rest.tokens],
    titleEnd,
    textStart: textTokens,
    runBigrams: appendRunBigrams(prepared.runBigrams, rest.runBigrams, tokens.length),
  };
}

/** A run of single characters is cut again only if it holds an ideograph that is not a stopword. */
function hmmMayMatter(tokens: readonly string[], from: number, to: number, stopwords: ReadonlySet<string>): boolean {
  let ideographs = 0;
  let content = false;
  for (let k = from; k < to; k++) {
    const token = tokens[k]!;
    if (!isCjkCode(token.charCodeAt(0))) continue;
    ideographs++;
    if (!stopwords.has(token)) content = true;
  }
  return ideographs >= 2 && content;
}

/** Shortest run whose HMM pairing is ambiguous enough to add its split pairs ({@link RunBigram}). */
const MIN_BIGRAM_RUN = 3;

/**
 * A cut without HMM made into the cut with it, for what clustering reads: jieba's HMM only re-cuts runs of single
 * characters left by its dictionary cut, and a run's cut does not depend on the words around it (they end at its
 * edges either way), so those runs are cut again with the HMM, all in one native call. Runs of stopword characters
 * only (我在, 的了) are left: the HMM could only join them into noise words. Measured on the Teddy board: without
 * the recovered words (estate and company names are often out of jieba's vocabulary) event B-cubed F1 drops
 * from 85.7 % to 81.7 %; with them it is the same as with jieba's own HMM cut. Runs of three or more characters
 * also give the pairs the HMM cut apart ({@link RunBigram}).
 */
function withHmmWords(tokens: readonly string[]): RecutTokens {
  const stopwords = getStopwords();
  let runs: string[] | undefined;
  const bounds: number[] = [];
  for (let i = 0; i < tokens.length;) {
    if (tokens[i]!.length !== 1) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.length === 1) j++;
    if (j - i >= 2 && hmmMayMatter(tokens, i, j, stopwords)) {
      (runs ??= []).push(tokens.slice(i, j).join(''));
      bounds.push(i, j);
    }
    i = j;
  }
  if (!runs) return { tokens, runBigrams: [] };
  const cuts = segmentBatch(runs, true);
  const out: string[] = [];
  const runBigrams: RunBigram[] = [];
  let from = 0;
  for (let r = 0; r < runs.length; r++) {
    for (let t = from; t < bounds[2 * r]!; t++) out.push(tokens[t]!);
    const at = out.length;
    const run = runs[r]!;
    let end = 0;
    for (const piece of cuts[r]!) {
      out.push(piece);
      end += piece.length;
      if (run.length < MIN_BIGRAM_RUN || end >= run.length) continue;
      const pair = run.slice(end - 1, end + 1);
      if (isContentChar(pair, 0, stopwords) && isContentChar(pair, 1, stopwords) && !stopwords.has(pair))
        runBigrams.push({ at, word: pair });
    }
    from = bounds[2 * r + 1]!;
  }
  for (let t = from; t < tokens.length; t++) out.push(tokens[t]!);
  return { tokens: out, runBigrams };
}

/**
 * Characters that glue words together rather than name anything (回不了家 gives no 回不). The stopword list keeps
 * some of them (不, 没) because the classifiers read negation; a run bigram must not be made of one.
 */
const FUNCTION_CHARS = new Set(
  '不没无了着过的地得之其所以为于与和及或并而且也都就还又再很更最太这那哪个们被把让给对从向在是有要会能可将已',
);

/** Whether `text[i]` is an ideograph that names something on its own (车, not 的 or 不). */
function isContentChar(text: string, i: number, stopwords: ReadonlySet<string>): boolean {
  return isCjkCode(text.charCodeAt(i)) && !FUNCTION_CHARS.has(text[i]!) && !stopwords.has(text[i]!);
}

/**
 * Cuts the title and the text with jieba as the classifier does (dictionary only), then recovers the HMM's words
 * (estate and company names are often out of its vocabulary) and the run bigrams: exactly what the analysis worker
 * reads from the classifier's cut, so a mention without one is filed alike.
 */
function cutMention(title: string, text: string): MentionTokens {
  return titleThenText(
    title ? withHmmWords(segment(title, false)) : { tokens: [], runBigrams: [] },
    withHmmWords(segment(text, false)),
  );
}

/** A mention's tokens from its title's cut and its text's cut, one after the other. */
function titleThenText(title: RecutTokens, text: RecutTokens): MentionTokens {
  const titleEnd = title.tokens.length;
  return {
    tokens: title.tokens.concat(text.tokens),
    titleEnd,
    textStart: titleEnd,
    runBigrams: appendRunBigrams(title.runBigrams, text.runBigrams, titleEnd),
  };
}

/**
 * Turns a raw mention into the engine's input: keyword vector (tf-idf over one jieba cut, title words counted
 * extra), place names without their administrative prefix, SimHash of character shingles, engagement. Text is
 * read here and not kept.
 * @param prepared the mention's title and text already cut (e.g. the classifier's `PreparedText` of
 *   `title + "\n" + text`): saves the jieba pass, the costliest step. Unused when it does not match the mention.
 */
export function analyseMention(
  input: MentionInput,
  labels: MentionLabels = {},
  prepared?: PreCutText,
): AnalysedMention {
  const title = normaliseText(input.title ?? '');
  const text = normaliseText(input.text);
  const { tokens, titleEnd, textStart, runBigrams } =
    (prepared && alignPreCut({ normalised: prepared.normalised, ...withHmmWords(prepared.tokens) }, title, text)) ??
    cutMention(title, text);
  const stopwords = getStopwords();
  const counts = new Map<string, number>();
  countTokens(tokens, 0, titleEnd, counts, TITLE_TERM_COUNT, stopwords);
  countTokens(tokens, textStart, tokens.length, counts, 1, stopwords);
  countRunBigrams(runBigrams, 0, titleEnd, counts, TITLE_TERM_COUNT);
  countRunBigrams(runBigrams, textStart, tokens.length, counts, 1);
  const weighted: [string, number][] = [];
  for (const [word, tf] of counts) weighted.push([word, tf * idf(word)]);
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const terms: Record<string, number> = {};
  const kept = Math.min(MENTION_TERMS, weighted.length);
  for (let i = 0; i < kept; i++) terms[weighted[i]![0]] = Math.round(weighted[i]![1] * 1000) / 1000;

  const places = new Set<string>();
  for (const names of [placeNamesOf(tokens, 0, titleEnd), placeNamesOf(tokens, textStart, tokens.length)]) {
    for (const raw of names) {
      const place = canonicalPlace(raw);
      if (!GENERIC_PLACES.has(place)) places.add(place);
    }
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
    ...(input.hotRank !== undefined ? { hotRank: input.hotRank } : {}),
  };
}
