import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readableWord } from './feature-hashing.ts';
import { getStopwords } from './stopwords.ts';
import { segment } from './tokeniser.ts';

/** Question words: they say how a letter asks, not what it is about (何时, 哪年 filled the word cloud). */
const QUESTION_WORDS = new Set([
  '何时',
  '哪年',
  '哪里',
  '哪些',
  '什么',
  '如何',
  '怎么',
  '怎样',
  '多少',
  '是否',
  '为何',
  '为什么',
  '几时',
  '能否',
  '可否',
  '请问',
]);

/**
 * Words that the place and organisation finder joins in front of a name (包括星沙街道, 作为专科医院, 位于东四路):
 * verbs, connectives and directions that are never part of the name. Found in `yq detect` keywords of
 * hot_messages.csv.
 */
const LEADING_NOISE = new Set([
  '包括',
  '据悉',
  '作为',
  '具备',
  '开办',
  '位于',
  '北侧',
  '南侧',
  '东侧',
  '西侧',
  '穿越',
  '同时',
  '既有',
  '办成',
  '不宜',
  '进出',
  '关于',
  '对于',
  '反映',
  '投诉',
  '要求',
  '建议',
  '希望',
  '实行',
  '减少',
  '开始',
  '设置',
  '一条',
  '一所',
  '两所',
  '配套',
  '且',
  '或',
  '再',
  '及',
  '和',
  '与',
]);

/** A count in front of a name (12所学校, 一条石长铁路): never part of it. */
const LEADING_COUNT = /^[\d一二三四五六七八九十两几多]+[所个条名位家栋只件项]/;

/** Administrative one-character prefixes left over when `A7县星沙` loses its anonymised code. */
const ADMIN_PREFIX = /^[省市区县镇乡村郡]/;

/** Length from which a run of single characters is read as an unknown name (伊景园) rather than a fragment (人管). */
const MIN_UNKNOWN_NAME_CHARS = 3;

let twoCharWords: ReadonlySet<string> | undefined;

/**
 * Two-character words of jieba's full IDF table (车位, 违建), read once: the compact dictionary the tokeniser loads
 * cuts them into single characters, and they must not be mistaken for fragments (人管, 区汇 are not in it).
 */
function knownTwoCharWords(): ReadonlySet<string> {
  if (!twoCharWords) {
    const require = createRequire(import.meta.url);
    const path = (require('nodejieba') as { DEFAULT_IDF_DICT: string }).DEFAULT_IDF_DICT;
    const words = new Set<string>();
    for (const line of readFileSync(path, 'utf8').split('\n'))
      if (line.charCodeAt(2) === 32) words.add(line.slice(0, 2));
    twoCharWords = words;
  }
  return twoCharWords;
}

/**
 * A keyword as a keyphrase a person can read, or undefined: leading verbs, connectives, counts and stray
 * administrative characters are cut off (包括星沙街道 → 星沙街道, 市伊景园 → 伊景园), and what is left must be a word
 * or a name, not a question word, a number or a fragment that jieba's dictionaries do not know (人管, 区汇, 房云).
 */
export function readableKeyphrase(keyword: string): string | undefined {
  const stopwords = getStopwords();
  let words = segment(keyword.trim().replace(LEADING_COUNT, ''), false);
  const noise = (w: string) =>
    LEADING_NOISE.has(w) || stopwords.has(w) || QUESTION_WORDS.has(w) || (w.length > 1 && !readableWord(w));
  while (words.length > 1 && noise(words[0]!)) words = words.slice(1);
  if (words.length > 1 && ADMIN_PREFIX.test(words[0]!) && words[0]!.length === 1) words = words.slice(1);
  if (words.length === 0) return undefined;
  const phrase = words.join('');
  if (QUESTION_WORDS.has(phrase) || words.some((w) => QUESTION_WORDS.has(w))) return undefined;
  if (!readableWord(phrase)) return undefined;
  // Only single characters: a fragment jieba does not know, unless long enough to be a new name (伊景园, 泉塘昌).
  if (words.every((w) => w.length === 1) && phrase.length < MIN_UNKNOWN_NAME_CHARS && !knownTwoCharWords().has(phrase))
    return undefined;
  if (noise(words[words.length - 1]!) && words.length > 1) return undefined;
  return phrase;
}

/**
 * An issue's keywords as keyphrases: its strongest terms made readable ({@link readableKeyphrase}), each phrase
 * once, at most `limit`. Of two phrases where one holds the other, only the stronger is shown (滨河 goes beside
 * 滨河苑, 新城 beside 丽发新城; 剩下一个凉塘路 beside 凉塘路): the other says nothing more and takes a place another
 * keyword could have. The stronger, not the longer: a long phrase is as often a fragment around a name.
 */
export function issueKeyphrases(rankedTerms: readonly string[], limit: number): string[] {
  const out: string[] = [];
  for (const term of rankedTerms) {
    const phrase = readableKeyphrase(term);
    if (!phrase || out.some((kept) => kept.includes(phrase) || phrase.includes(kept))) continue;
    out.push(phrase);
    if (out.length >= limit) break;
  }
  return out;
}
