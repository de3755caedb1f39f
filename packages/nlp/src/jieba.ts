import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
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
 * Words rarer than this in jieba's bundled dictionary (long idioms, number phrases like 一万一千八百八十斤, rare names
 * and compounds) are left out of the compact dictionary: 81 % of its 349k words are below 30. cppjieba keeps its trie
 * as hash-map nodes, so every word costs RSS, while leaving rare ones out only splits them into shorter, common
 * words, which the character n-gram features still see whole. Measured (jieba's RSS; held-out macro-F1, mean of
 * three 25 % splits): threshold 4 → 65 MB, Teddy 0.9290, SMP2020 0.6992; threshold 30 → 37 MB, 0.9313, 0.6997;
 * threshold 100 → 27 MB, Teddy 0.9317 on one split but relevance F1 −0.005.
 */
export const COMPACT_DICT_MIN_FREQ = 30;
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
/** The dictionary files jieba was loaded from, for {@link jiebaFingerprint}. */
let loadedFiles: { dict: string; idfDict: string; userDict: string } | undefined;
/** How many parsed copies of the dictionary jieba holds (2 when the TextRank extractor has its own). */
let dictionaryCopies: 1 | 2 | undefined;

/**
 * Chooses how jieba is loaded; call before the first tokenisation (later calls with other options are refused,
 * because cppjieba cannot swap dictionaries without doubling its memory for a moment).
 */
export function configureJieba(next: JiebaOptions): void {
  if (jieba && (next.dictionary ?? 'compact') !== loadedDictionary) {
    throw new NonRetryableError(
      'NLP_ALREADY_LOADED',
      `jieba is already loaded with the ${loadedDictionary} dictionary`,
    );
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
export function compactDictionaryPaths(
  module: { DEFAULT_DICT: string; DEFAULT_IDF_DICT: string },
  cacheDir: string,
): { dict: string; idf: string } {
  const source = statSync(module.DEFAULT_DICT);
  const idfSource = statSync(module.DEFAULT_IDF_DICT);
  const key = sha256Hex(
    `${COMPACT_DICT_RULE_VERSION}|${COMPACT_DICT_MIN_FREQ}|${source.size}|${source.mtimeMs}|${idfSource.size}|${idfSource.mtimeMs}`,
  ).slice(0, 16);
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
    const word =
      freq >= COMPACT_DICT_MIN_FREQ || ALWAYS_KEPT_TAGS.has(tag) ? '' : dictBytes.toString('utf8', start, space1);
    if (word === '' || PLACE_LIKE_WORD.test(word)) {
      kept.add(word || dictBytes.toString('utf8', start, space1));
      dictOut.push(dictBytes.subarray(start, end), NEWLINE_BUFFER);
    }
  });
  const idfBytes = readFileSync(module.DEFAULT_IDF_DICT);
  const idfOut: Buffer[] = [];
  forEachLine(idfBytes, (start, end) => {
    const space = idfBytes.indexOf(SPACE, start);
    if (space > start && space < end && kept.has(idfBytes.toString('utf8', start, space)))
      idfOut.push(idfBytes.subarray(start, end), NEWLINE_BUFFER);
  });
  // Temp file + rename: processes starting together never read a half-written dictionary (cppjieba would abort).
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(dict + suffix, Buffer.concat(dictOut));
  writeFileSync(idf + suffix, Buffer.concat(idfOut));
  renameSync(idf + suffix, idf);
  renameSync(dict + suffix, dict);
  return { dict, idf };
}

/** How long the pipe-writing thread may take to start before jieba is loaded the ordinary way. */
const PIPE_WRITER_START_TIMEOUT_MS = 10_000;
/** Dictionary the TextRank extractor reads instead of the real one: one word that never occurs in text. */
const TEXTRANK_PLACEHOLDER_DICT = '\u{F0000} 1 x\n';
/** A word of jieba's dictionary (not of the HR user dictionary) that the segmenter must keep whole. */
const DICTIONARY_PROBE = { text: '中华人民共和国成立', word: '中华人民共和国' };

/**
 * Runs in a short-lived thread: holds the named pipe open for writing, says so, and writes the dictionary
 * into it while the main thread sits in jieba's load(). Before closing (the reader's end of file) it replaces the
 * pipe with the placeholder dictionary, so the second read of the same path gets the placeholder. Plain CommonJS:
 * the thread starts without tsx.
 */
const PIPE_WRITER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const state = new Int32Array(workerData.state);
const say = (v) => { Atomics.store(state, 0, v); Atomics.notify(state, 0); };
let fd;
let data;
try {
  data = fs.readFileSync(workerData.source);
  fd = fs.openSync(workerData.fifo, fs.constants.O_RDWR);
} catch (error) {
  say(2);
  throw error;
}
say(1);
try {
  // A full pipe buffer only drains once the segmenter's DictTrie has opened the path: the pipe is renamed only
  // after that, so the segmenter reads the dictionary and the TextRank extractor the placeholder.
  const firstChunk = Math.min(data.length, 1 << 20);
  let offset = 0;
  while (offset < firstChunk) offset += fs.writeSync(fd, data, offset, firstChunk - offset);
  try {
    fs.renameSync(workerData.placeholder, workerData.fifo);
  } catch (error) {
    // Never leave the second reader waiting on a pipe nobody writes: without the path, cppjieba stops loudly.
    fs.rmSync(workerData.fifo, { force: true });
    process.stderr.write('yuqing: cannot swap the jieba dictionary pipe: ' + error.message + '\\n');
  }
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
} finally {
  fs.closeSync(fd);
}
`;

/**
 * Loads jieba without the second copy of its dictionary. nodejieba's load() builds cppjieba's segmenter and, beside
 * it, a TextRank extractor (textRankExtract, which Yuqing never calls) that parses the same dictionary file into its
 * own trie: ~50 MB of RSS with the compact dictionary, ~120 MB with the full one. The dictionary is therefore
 * handed over through a named pipe that a helper thread writes; once the segmenter has started reading, the pipe's
 * path is replaced by a one-word placeholder, which is what the extractor, opening the path next, reads. Where
 * that cannot be set up (no `mkfifo`, read-only disk) or the segmenter did not get the dictionary, jieba is loaded
 * the ordinary way.
 */
function loadWithoutTextRankCopy(
  binding: JiebaBinding,
  files: { dict: string; idfDict: string; userDict: string },
  workDir: string,
): 1 | 2 {
  let dir: string | undefined;
  try {
    mkdirSync(workDir, { recursive: true });
    dir = mkdtempSync(join(workDir, 'load-'));
    const fifo = join(dir, 'dict.pipe');
    const placeholder = join(dir, 'textrank.dict.utf8');
    writeFileSync(placeholder, TEXTRANK_PLACEHOLDER_DICT);
    execFileSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
    const state = new Int32Array(new SharedArrayBuffer(4));
    const writer = new Worker(PIPE_WRITER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { source: files.dict, fifo, placeholder, state: state.buffer },
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
    });
    writer.unref();
    writer.on('error', () => {});
    if (Atomics.wait(state, 0, 0, PIPE_WRITER_START_TIMEOUT_MS) === 'timed-out' || Atomics.load(state, 0) !== 1) {
      void writer.terminate();
      throw new Error('the dictionary pipe writer did not start');
    }
    binding.load({ ...files, dict: fifo });
    if (binding.cut(DICTIONARY_PROBE.text, false).includes(DICTIONARY_PROBE.word)) return 1;
    createLogger('nlp').warn('jieba did not read its dictionary through the pipe; loading it again from the file');
  } catch (error) {
    createLogger('nlp').warn(
      { err: (error as Error).message },
      'cannot load jieba through a pipe; loading it with both dictionary copies',
    );
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  binding.load(files);
  return 2;
}

/**
 * nodejieba, loaded once per process on first use (~0.5 s; ~40 MB with the compact dictionary, ~255 MB with
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
      paths = compactDictionaryPaths(binding, nlpCacheDir());
    } catch (error) {
      // A read-only or full disk must not stop analysis: the full dictionary works, it only costs more memory.
      createLogger('nlp').warn(
        { err: (error as Error).message },
        'cannot build the compact jieba dictionary; loading the full one',
      );
      dictionary = 'full';
    }
  }
  const files = {
    dict: paths?.dict ?? binding.DEFAULT_DICT,
    idfDict: paths?.idf ?? binding.DEFAULT_IDF_DICT,
    userDict: HR_USER_DICT_PATH,
  };
  dictionaryCopies = loadWithoutTextRankCopy(binding, files, nlpCacheDir());
  jieba = binding;
  loadedFiles = files;
  loadedDictionary = dictionary;
  return binding;
}

/** Where Yuqing's NLP files derived at run time (compact dictionary, trained default models) are cached. */
export function nlpCacheDir(): string {
  return options.cacheDir ?? join(tmpdir(), 'yuqing-nlp');
}

/**
 * Identifies how jieba cuts text in this process (dictionary kind and files, HR user dictionary content), loading
 * it if needed: anything derived from tokens, such as a trained model, is only valid for the same fingerprint.
 */
export function jiebaFingerprint(): string {
  getJieba();
  return sha256Hex(
    `${loadedDictionary}|${loadedFiles!.dict}|${loadedFiles!.idfDict}|${readFileSync(loadedFiles!.userDict, 'utf8')}`,
  );
}

/**
 * Parsed copies of the dictionary jieba holds: 1 when it was loaded without the TextRank extractor's copy (see
 * `loadWithoutTextRankCopy`), 2 otherwise; undefined before the first use.
 */
export function jiebaDictionaryCopies(): 1 | 2 | undefined {
  return dictionaryCopies;
}
