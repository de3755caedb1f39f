// The one definition of Mention.searchTokens and of the tokens a search query is matched with. Two schemes share
// the column: before analysis a mention holds fallback tokens (CJK bigrams and Latin words, computed here without
// a dictionary); once analysed it holds the tokens of jieba's cut, kept by the rule below. A query is matched with
// both token sets, so a mention is found before and after analysis.

/** Most tokens stored per mention. */
export const MAX_STORED_SEARCH_TOKENS = 4000;
/** Longest search query accepted, in characters. */
export const MAX_QUERY_CHARS = 100;
/** Most tokens sent to the database for one query. */
export const MAX_QUERY_TOKENS = 24;

const CJK_RANGES = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const CJK_CHAR = new RegExp(`[${CJK_RANGES}]`, 'u');
/**
 * A CJK run, or a run of other letters and digits that may hold inner `.`, `_` or `-` (`abc-1`, `v2.0`, `a_b`
 * stay one token, as people search for them). CJK characters are letters too, so the word class leaves them out
 * (the `v` flag's set difference): `A3区` is `a3` and `区`, not one token.
 */
const RUN = new RegExp(
  `[${CJK_RANGES}]+|[[\\p{L}\\p{N}]--[${CJK_RANGES}]]+(?:[._\\-][[\\p{L}\\p{N}]--[${CJK_RANGES}]]+)*`,
  'gv',
);
/** A token worth indexing contains a letter or a digit (punctuation and symbols are not searched for). */
const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * Fallback tokens of a text, in order, with repeats: overlapping CJK bigrams (an isolated CJK character stays
 * itself) and lower-cased letter/digit words, after NFKC width folding.
 */
export function fallbackTokens(text: string, limit = MAX_STORED_SEARCH_TOKENS): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    if (tokens.length >= limit) break;
    const run = match[0];
    if (CJK_CHAR.test(run[0]!)) {
      const chars = Array.from(run);
      if (chars.length === 1) tokens.push(run);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
    } else {
      tokens.push(run);
    }
  }
  return tokens.slice(0, limit);
}

/** Mention.searchTokens before analysis: {@link fallbackTokens} joined by spaces. */
export function fallbackSearchTokens(text: string): string {
  return fallbackTokens(text).join(' ');
}

/**
 * Mention.searchTokens after analysis, from a word segmentation of the mention (jieba's cut): distinct tokens,
 * trimmed, that contain a letter or a digit.
 */
export function segmentedSearchTokens(tokens: Iterable<string>): string {
  const distinct = new Set<string>();
  for (const token of tokens) {
    const t = token.trim();
    if (t && SEARCHABLE.test(t)) distinct.add(t);
  }
  return [...distinct].join(' ');
}

/**
 * The token sets a query is matched with (a mention matches when all tokens of any one set occur): the query's
 * segmentation (`segment`, jieba in production) and its fallback tokens. Equal sets are given once.
 */
export function searchQueryTokenSets(query: string, segment: (text: string) => readonly string[]): string[][] {
  const text = query.normalize('NFKC').slice(0, MAX_QUERY_CHARS);
  const segmented = segmentedSearchTokens(segment(text)).split(' ').filter(Boolean);
  const sets = [segmented, fallbackTokens(text, Infinity)]
    .map((s) => [...new Set(s)].slice(0, MAX_QUERY_TOKENS))
    .filter((s) => s.length > 0);
  const unique = new Map(sets.map((s) => [s.join(' '), s]));
  return [...unique.values()];
}
