import { tokenize } from '@yuqing/nlp';

/** Longest search query accepted, in characters. */
export const MAX_QUERY_CHARS = 100;
/** Most tokens sent to PostgreSQL for one query. */
const MAX_QUERY_TOKENS = 24;

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The crawler's fallback token scheme for mentions not yet analysed: CJK runs become overlapping bigrams (a
 * single character stays itself), other letter/digit runs become lowercase words.
 */
export function bigramQueryTokens(query: string): string[] {
  const text = query.normalize('NFKC').slice(0, MAX_QUERY_CHARS);
  const tokens: string[] = [];
  const rest = text.replace(CJK_RUN, (run) => {
    const chars = [...run];
    if (chars.length === 1) tokens.push(run);
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(`${chars[i]}${chars[i + 1]}`);
    return ' ';
  });
  for (const m of rest.matchAll(WORD)) tokens.push(m[0].toLowerCase());
  return [...new Set(tokens)].slice(0, MAX_QUERY_TOKENS);
}

/** jieba tokens (with the HR dictionary), as the analysis worker stores them for analysed mentions. */
export function jiebaQueryTokens(query: string): string[] {
  const tokens = tokenize(query.slice(0, MAX_QUERY_CHARS)).filter((t) => /[\p{L}\p{N}]/u.test(t));
  return [...new Set(tokens)].slice(0, MAX_QUERY_TOKENS);
}

/**
 * The token sets a search query is matched with (a mention matches when all tokens of any one set occur).
 * `Mention.searchTokens` holds jieba tokens once a mention is analysed and CJK bigrams before that, so a query is
 * tokenized both ways. This is the one place to change when the stored scheme changes.
 */
export function searchQueryTokenSets(query: string): string[][] {
  const sets = [jiebaQueryTokens(query), bigramQueryTokens(query)].filter((s) => s.length > 0);
  const unique = new Map(sets.map((s) => [s.join(' '), s]));
  return [...unique.values()];
}
