import { getJieba } from './jieba.ts';
import { getStopwords } from './stopwords.ts';
import { isAsciiAlnumCode, isCjkCode, normaliseText } from './text-normalise.ts';

/** Options for {@link tokenise}. */
export interface TokeniseOptions {
  /** Drop Yuqing's stopwords. @defaultValue true */
  removeStopwords?: boolean;
  /** Keep punctuation tokens (！？… carry sentiment). @defaultValue false */
  keepPunctuation?: boolean;
  /** Let jieba's HMM join out-of-vocabulary words (names, estates). @defaultValue true */
  useHmm?: boolean;
}

/** A keyword with its tf-idf weight from jieba's IDF table. */
export interface Keyword {
  word: string;
  weight: number;
}

/** Ends of words that name a place or organisation: 区, 街道, 小区, 公司 … (longest first). */
const PLACE_SUFFIXES = [
  '街道办事处',
  '办事处',
  '开发区',
  '工业园',
  '产业园',
  '高新区',
  '居委会',
  '村委会',
  '街道',
  '社区',
  '小区',
  '花园',
  '公寓',
  '大厦',
  '广场',
  '大道',
  '公司',
  '集团',
  '医院',
  '学校',
  '大学',
  '学院',
  '中学',
  '小学',
  '幼儿园',
  '工厂',
  '厂',
  '省',
  '市',
  '区',
  '县',
  '镇',
  '乡',
  '村',
  '路',
  '街',
  '巷',
  '园',
  '苑',
  '城',
];
/** Longest prefix joined in front of a place suffix, in characters (keeps 魏家坡小区, stops before a clause). */
const MAX_PLACE_NAME_CHARS = 12;
/** Words that end in a place suffix but are not places (城市, 社区 alone are too generic to tell events apart). */
const NOT_PLACES = new Set([
  '城市',
  '城区',
  '小区',
  '社区',
  '街道',
  '公司',
  '医院',
  '学校',
  '农村',
  '城乡',
  '地区',
  '园区',
  '校园',
  '市区',
  '全市',
  '全区',
  '全县',
  '本市',
  '该市',
  '该区',
  '我市',
  '我区',
  '公园',
  '工厂',
  '门市',
]);

/**
 * Cuts normalised text with jieba and tidies the result: ASCII letter/digit runs that jieba splits (A, 3, 区) are
 * joined back (A3, 区), Latin is lowercased, whitespace dropped. Punctuation is kept; callers decide.
 */
export function segment(normalised: string, useHmm = true): string[] {
  const raw = getJieba().cut(normalised, useHmm);
  const out: string[] = [];
  let prevAscii = false;
  for (const piece of raw) prevAscii = pushPiece(out, piece, prevAscii);
  return out;
}

/** Appends one jieba piece to `out` (dropping spaces, joining ASCII runs); returns whether it was ASCII. */
function pushPiece(out: string[], piece: string, prevAscii: boolean): boolean {
  const first = piece.charCodeAt(0);
  if (piece.length === 0 || first === 32) return false;
  const ascii = isAsciiAlnumCode(first) && isAsciiAlnumCode(piece.charCodeAt(piece.length - 1));
  if (ascii && prevAscii && out.length > 0) {
    out[out.length - 1] += lowerAscii(piece);
  } else {
    out.push(ascii ? lowerAscii(piece) : piece);
  }
  return ascii;
}

/** Lowercases a token only when it may hold an upper-case letter (most are digits or lower case already). */
function lowerAscii(piece: string): string {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return piece.toLowerCase();
  }
  return piece;
}

/**
 * jieba's pre-filter splits text at newlines and emits each one as a token of its own, so normalised texts (which
 * hold no newline: whitespace runs become one space) joined by it come back from one native call with their
 * boundaries marked.
 */
const BATCH_SEPARATOR = '\n';
/** Characters cut per native call in {@link segmentBatch}: bounds the token array held at once. */
const MAX_BATCH_CUT_CHARS = 32_768;

/**
 * {@link segment} for many normalised texts at once: texts are joined into few native calls (a call costs about as
 * much as cutting a 50-character post) and give the same tokens as cutting each on its own. A text that holds a
 * newline itself (not normalised) is cut on its own.
 */
export function segmentBatch(normalised: readonly string[], useHmm = true): string[][] {
  const out: string[][] = new Array<string[]>(normalised.length);
  const jieba = getJieba();
  let start = 0;
  while (start < normalised.length) {
    const first = normalised[start]!;
    if (first.includes(BATCH_SEPARATOR)) {
      out[start] = segment(first, useHmm);
      start++;
      continue;
    }
    let end = start + 1;
    let chars = first.length;
    while (
      end < normalised.length &&
      chars + normalised[end]!.length < MAX_BATCH_CUT_CHARS &&
      !normalised[end]!.includes(BATCH_SEPARATOR)
    ) {
      chars += normalised[end]!.length + 1;
      end++;
    }
    const raw =
      end - start === 1
        ? jieba.cut(first, useHmm)
        : jieba.cut(normalised.slice(start, end).join(BATCH_SEPARATOR), useHmm);
    let doc = start;
    let tokens: string[] = [];
    let prevAscii = false;
    for (const piece of raw) {
      if (piece === BATCH_SEPARATOR) {
        if (doc < end) out[doc] = tokens;
        doc++;
        tokens = [];
        prevAscii = false;
        continue;
      }
      prevAscii = pushPiece(tokens, piece, prevAscii);
    }
    if (doc === end - 1) out[doc] = tokens;
    // Cannot happen with jieba's pre-filter as it is; should a future jieba join newlines, stay correct, only slower.
    else for (let i = start; i < end; i++) out[i] = segment(normalised[i]!, useHmm);
    start = end;
  }
  return out;
}

/** True when a token holds no letter, digit or ideograph (punctuation, symbols, emoji). */
export function isPunctuation(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (isCjkCode(code) || isAsciiAlnumCode(code)) return false;
  }
  return true;
}

/** Splits text into words: normalise (full/half width, whitespace), cut with jieba + the HR dictionary, filter. */
export function tokenise(text: string, options: TokeniseOptions = {}): string[] {
  const { removeStopwords = true, keepPunctuation = false, useHmm = true } = options;
  const stopwords = getStopwords();
  const tokens = segment(normaliseText(text), useHmm);
  return tokens.filter((t) => (keepPunctuation || !isPunctuation(t)) && !(removeStopwords && stopwords.has(t)));
}

/**
 * The most characteristic words of a text by tf-idf (jieba's IDF table), without stopwords, numbers and
 * single characters.
 */
export function extractKeywords(text: string, topN = 8): Keyword[] {
  const stopwords = getStopwords();
  const candidates = getJieba().extract(normaliseText(text), topN * 3);
  const keywords: Keyword[] = [];
  for (const { word, weight } of candidates) {
    const w = word.trim();
    if (w.length < 2 || stopwords.has(w) || /^[\d.,%]+$/.test(w) || isPunctuation(w)) continue;
    keywords.push({ word: w.toLowerCase(), weight: Math.round(weight * 1000) / 1000 });
    if (keywords.length >= topN) break;
  }
  return keywords;
}

function placeSuffix(token: string): string | undefined {
  for (const suffix of PLACE_SUFFIXES) if (token.endsWith(suffix)) return suffix;
  return undefined;
}

/**
 * Place and organisation names found in a token sequence (A3区, 魏家坡小区, 长沙市, 某某建筑公司): a token ending in
 * a place suffix, joined with the name tokens in front of it. They are kept as features because two posts about
 * different estates or companies are different events even when their words match.
 */
export function extractPlaceNames(tokens: readonly string[]): string[] {
  const stopwords = getStopwords();
  const found = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const suffix = placeSuffix(token);
    if (!suffix) continue;
    let name = token;
    // Single-character suffixes (区, 路) need a name in front; multi-character tokens like 长沙市 stand alone.
    for (let j = i - 1; j >= 0 && i - j <= 3; j--) {
      const prev = tokens[j]!;
      if (
        isPunctuation(prev) ||
        stopwords.has(prev) ||
        placeSuffix(prev) ||
        name.length + prev.length > MAX_PLACE_NAME_CHARS
      )
        break;
      name = prev + name;
      if (name.length - token.length >= 4) break;
    }
    if (name.length <= suffix.length || NOT_PLACES.has(name)) continue;
    if (name.length === 2 && name === token && suffix.length === 1 && !/[a-z0-9]/.test(name)) {
      // Two-character words ending in 城/园/区 are mostly common nouns (进城, 家园); keep only real admin units.
      if (!/[省市县区镇乡村]$/.test(name)) continue;
    }
    found.add(name);
  }
  return [...found];
}
