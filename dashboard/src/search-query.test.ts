import { describe, expect, it } from 'vitest';
import { tokenise } from '@yuqing/nlp';
import { queryTokenSets } from './search-query.ts';

describe('queryTokenSets', () => {
  it('cuts with jieba (as analysed mentions store) and with bigrams (as fresh mentions store)', () => {
    const sets = queryTokenSets('养老金上调');
    expect(sets).toHaveLength(2);
    expect(sets[0]!.join('')).toBe('养老金上调');
    expect(sets[0]).toEqual(tokenise('养老金上调'));
    expect(sets[1]).toEqual(['养老', '老金', '金上', '上调']);
  });
  it('returns nothing for a query without words', () => {
    expect(queryTokenSets(' ，。！ ')).toEqual([]);
  });
});
