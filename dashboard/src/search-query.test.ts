import { describe, expect, it } from 'vitest';
import { bigramQueryTokens, jiebaQueryTokens, searchQueryTokenSets } from './search-query.ts';

describe('bigramQueryTokens', () => {
  it('splits CJK runs into bigrams and keeps Latin/digit words lowercased', () => {
    expect(bigramQueryTokens('养老金 上调')).toEqual(['养老', '老金', '上调']);
    expect(bigramQueryTokens('社保卡ABC 12333')).toEqual(['社保', '保卡', 'abc', '12333']);
    expect(bigramQueryTokens('医')).toEqual(['医']);
  });

  it('drops punctuation and operators (no tsquery syntax gets through)', () => {
    expect(bigramQueryTokens("欠薪 & !'| <-> :*")).toEqual(['欠薪']);
    expect(bigramQueryTokens('   ')).toEqual([]);
  });

  it('normalises full-width characters', () => {
    expect(bigramQueryTokens('ＡＢＣ１２')).toEqual(['abc12']);
  });
});

describe('searchQueryTokenSets', () => {
  it('tokenizes with jieba (as analysed mentions store) and with bigrams (as fresh mentions store)', () => {
    const jieba = jiebaQueryTokens('养老金上调 社保卡补办');
    expect(jieba.length).toBeGreaterThan(0);
    expect(jieba.join('')).toBe('养老金上调社保卡补办');
    const sets = searchQueryTokenSets('养老金上调');
    expect(sets).toHaveLength(2);
    expect(sets[0]).toEqual(jiebaQueryTokens('养老金上调'));
    expect(sets[1]).toEqual(['养老', '老金', '金上', '上调']);
  });

  it('returns nothing for a query without words', () => {
    expect(searchQueryTokenSets(' ，。！ ')).toEqual([]);
  });
});
