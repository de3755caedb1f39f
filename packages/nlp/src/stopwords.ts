import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Yuqing's own stopword list (see dict/README.md). */
export const STOPWORDS_PATH = fileURLToPath(new URL('../dict/stopwords.txt', import.meta.url));

let stopwords: ReadonlySet<string> | undefined;

/** Parses a stopword file: one word a line, `#` comments and blank lines ignored. */
export function parseStopwords(text: string): Set<string> {
  const words = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const word = line.trim();
    if (word && !word.startsWith('#')) words.add(word);
  }
  return words;
}

/** The shipped stopword set, read once. */
export function getStopwords(): ReadonlySet<string> {
  stopwords ??= parseStopwords(readFileSync(STOPWORDS_PATH, 'utf8'));
  return stopwords;
}
