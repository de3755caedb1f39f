import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NonRetryableError, createLogger, sha256Hex } from '@yuqing/core';

/** The subset of nodejieba Yuqing uses. */
export interface JiebaBinding {
  load(options?: { dict?: string; hmmDict?: string; userDict?: string; idfDict?: string; stopWordDict?: string }): void;
  cut(sentence: string, useHmm?: boolean): string[];
  extract(sentence: string, topN: number): { word: string; weight: number }[];
  insertWord(word: string, tag?: string): boolean;
}

/** nodejieba's exports beyond the binding: where its bundled dictionaries are. */
interface NodeJiebaModule extends JiebaBinding {
  DEFAULT_DICT: string;
  DEFAULT_IDF_DICT: string;
}

/** Yuqing's HR & social-security user dictionary, loaded together with jieba's own. */
export const HR_USER_DICT_PATH = fileURLToPath(new URL('../dict/hr-user-dict.utf8', import.meta.url));

/**
 * Words rarer than this in jieba's bundled dictionary (frequency 1–3: long idioms, number phrases like
 * 一万一千八百八十斤, rare names) are left out of the compact dictionary. They are 57 % of its 349k words; cppjieba
 * keeps its trie twice (segmenter and TextRank extractor) as hash-map nodes, so they cost ~150 MB of RSS, while
 * leaving them out only splits those rare words into shorter ones, which the character n-gram features still cover.
 */
export const COMPACT_DICT_MIN_FREQ = 4;
/** Part-of-speech tags kept whatever their frequency: place names tell events apart. */
const ALWAYS_KEPT_TAGS = new Set(['ns']);
/**
 * Rare words that end like a place or organisation (岳麓区 is tagged `nr` with frequency 3) are kept too: they are
 * the features that tell one estate's or company's event from another's (~3k words).
 */
const PLACE_LIKE_WORD = /(?:省|市|区|县|镇|乡|村|街道|路|街|巷|公司|厂|局|院|校)$/;
/** Bumped when the compact dictionary's rule changes, so stale cached files are not reused. */
const COMPACT_DICT_RULE_VERSION = 2;

/** How jieba is loaded. */
export interface JiebaOptions {
  /**
   * `compact` (default): jieba's bundled dictionary without its rarest words, built from the installed package on
   * first use and cached on disk (~150 MB less RSS per process). `full`: the bundled dictionary as is.
   */
  dictionary?: 'compact' | 'full';
  /** Where the compact dictionary is cached. @defaultValue `<os tmpdir>/yuqing-nlp` */
  cacheDir?: string;
}

let jieba: JiebaBinding | undefined;
let options: JiebaOptions = {};
let loadedDictionary: 'compact' | 'full' | undefined;

/**
 * Chooses how jieba is loaded; call before the first tokenisation (later calls with other options are refused,
 * because cppjieba cannot swap dictionaries without doubling its memory for a moment).
 */
export function configureJieba(next: JiebaOptions): void {
  if (jieba && (next.dictionary ?? 'compact') !== loadedDictionary) {
    throw new NonRetryableError('NLP_ALREADY_LOADED', `jieba is already loaded with the ${loadedDictionary} dictionary`);
  }
  options = { ...next };
}

/** The dictionary jieba was loaded with, or undefined before the first use. */
export function jiebaDictionary(): 'compact' | 'full' | undefined {
  return loadedDictionary;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const NEWLINE_BUFFER = Buffer.from('\n');

/** Calls `fn(start, end)` for each non-empty line of a buffer (without its `\n` or `\r`). */
function forEachLine(bytes: Buffer, fn: (start: number, end: number) => void): void {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    let lineEnd = end;
    if (lineEnd > start && bytes[lineEnd - 1] === 0x0d) lineEnd--;
    if (lineEnd > start) fn(start, lineEnd);
    start = end + 1;
  }
}

/**
 * Writes (once) the compact main dictionary and the matching IDF table derived from nodejieba's bundled files and
 * returns their paths. Generated from the installed package rather than shipped, so Yuqing carries no copy of
 * jieba's dictionary; the cache key includes the source file's size and time, so upgrading nodejieba rebuilds it.
 */
export function compactDictionaryPaths(module: { DEFAULT_DICT: string; DEFAULT_IDF_DICT: string }, cacheDir: string): { dict: string; idf: string } {
  const source = statSync(module.DEFAULT_DICT);
  const idfSource = statSync(module.DEFAULT_IDF_DICT);
  const key = sha256Hex(`${COMPACT_DICT_RULE_VERSION}|${COMPACT_DICT_MIN_FREQ}|${source.size}|${source.mtimeMs}|${idfSource.size}|${idfSource.mtimeMs}`).slice(0, 16);
  const dict = join(cacheDir, `jieba-compact-${key}.dict.utf8`);
  const idf = join(cacheDir, `jieba-compact-${key}.idf.utf8`);
  if (existsSync(dict) && existsSync(idf)) return { dict, idf };
  mkdirSync(cacheDir, { recursive: true });
  // Scanned as bytes, line by line: only kept words become strings, so building the files does not leave the
  // process ~100 MB larger (the point is a small worker).
  const kept = new Set<string>();
  const dictBytes = readFileSync(module.DEFAULT_DICT);
  const dictOut: Buffer[] = [];
  forEachLine(dictBytes, (start, end) => {
    const space1 = dictBytes.indexOf(SPACE, start);
    if (space1 < 0 || space1 >= end) return;
    let space2 = dictBytes.indexOf(SPACE, space1 + 1);
    if (space2 < 0 || space2 > end) space2 = end;
    let freq = 0;
    for (let i = space1 + 1; i < space2; i++) freq = freq * 10 + (dictBytes[i]! - 48);
    const tag = space2 < end ? dictBytes.toString('latin1', space2 + 1, end).trim() : '';
    const word = freq >= COMPACT_DICT_MIN_FREQ || ALWAYS_KEPT_TAGS.has(tag) ? '' : dictBytes.toString('utf8', start, space1);
    if (word === '' || PLACE_LIKE_WORD.test(word)) {
      kept.add(word || dictBytes.toString('utf8', start, space1));
      dictOut.push(dictBytes.subarray(start, end), NEWLINE_BUFFER);
    }
  });
  const idfBytes = readFileSync(module.DEFAULT_IDF_DICT);
  const idfOut: Buffer[] = [];
  forEachLine(idfBytes, (start, end) => {
    const space = idfBytes.indexOf(SPACE, start);
    if (space > start && space < end && kept.has(idfBytes.toString('utf8', start, space))) idfOut.push(idfBytes.subarray(start, end), NEWLINE_BUFFER);
  });
  // Temp file + rename: processes starting together never read a half-written dictionary (cppjieba would abort).
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(dict + suffix, Buffer.concat(dictOut));
  writeFileSync(idf + suffix, Buffer.concat(idfOut));
  renameSync(idf + suffix, idf);
  renameSync(dict + suffix, dict);
  return { dict, idf };
}

/**
 * nodejieba, loaded once per process on first use (~0.5 s; ~100 MB with the compact dictionary, ~255 MB with
 * the full one): importing @yuqing/nlp stays cheap for commands that never tokenise. cppjieba aborts the process
 * on a missing dictionary file, so paths are checked here first and reported as an error instead.
 */
export function getJieba(): JiebaBinding {
  if (jieba) return jieba;
  if (!existsSync(HR_USER_DICT_PATH)) {
    throw new NonRetryableError('NLP_DICT_MISSING', `jieba user dictionary not found at ${HR_USER_DICT_PATH}`);
  }
  const require = createRequire(import.meta.url);
  const binding = require('nodejieba') as NodeJiebaModule;
  let dictionary = options.dictionary ?? 'compact';
  let paths: { dict: string; idf: string } | undefined;
  if (dictionary === 'compact') {
    try {
      paths = compactDictionaryPaths(binding, options.cacheDir ?? join(tmpdir(), 'yuqing-nlp'));
    } catch (error) {
      // A read-only or full disk must not stop analysis: the full dictionary works, it only costs more memory.
      createLogger('nlp').warn({ err: (error as Error).message }, 'cannot build the compact jieba dictionary; loading the full one');
      dictionary = 'full';
    }
  }
  binding.load(paths ? { dict: paths.dict, idfDict: paths.idf, userDict: HR_USER_DICT_PATH } : { userDict: HR_USER_DICT_PATH });
  jieba = binding;
  loadedDictionary = dictionary;
  return binding;
}

/** True once jieba's dictionaries are in memory (used by tests of the lazy loading). */
export function isJiebaLoaded(): boolean {
  return jieba !== undefined;
}
