import { searchQueryTokenSets } from '@yuqing/domain';
import { tokenise } from '@yuqing/nlp';

export { MAX_QUERY_CHARS } from '@yuqing/domain';

/**
 * The token sets a search query is matched with: jieba's cut (as analysed mentions store their tokens) and the
 * fallback tokens (as mentions not yet analysed store them). The rules live in @yuqing/domain's search tokens.
 */
export function queryTokenSets(query: string): string[][] {
  return searchQueryTokenSets(query, tokenise);
}
