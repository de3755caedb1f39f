import { describe, expect, it } from 'vitest';
import { fallbackSearchTokens, fallbackTokens, searchQueryTokenSets, segmentedSearchTokens } from './search-tokens.ts';

/** A stand-in segmenter: splits on spaces (production passes jieba's cut). */
const bySpaces = (text: string) => text.split(/(\s+)/);

describe('fallback search tokens', () => {
  it('splits CJK runs into bigrams and keeps Latin/digit words lower-cased', () => {
    expect(fallbackTokens('养老金 上调')).toEqual(['养老', '老金', '上调']);
    expect(fallbackTokens('社保卡ABC 12333')).toEqual(['社保', '保卡', 'abc', '12333']);
    expect(fallbackTokens('医')).toEqual(['医']);
  });
  it('drops punctuation and operators (no tsquery syntax gets through)', () => {
    expect(fallbackTokens("欠薪 & !'| <-> :*")).toEqual(['欠薪']);
    expect(fallbackTokens('   ')).toEqual([]);
  });
  it('folds full-width characters', () => {
    expect(fallbackTokens('ＡＢＣ１２')).toEqual(['abc12']);
  });
  it('keeps a word with inner punctuation as one token, stored and queried alike', () => {
    expect(fallbackSearchTokens('社保卡 ABC-1 办理')).toBe('社保 保卡 abc-1 办理');
    expect(searchQueryTokenSets('ABC-1', () => [])).toEqual([['abc-1']]);
    for (const text of ['社保卡 ABC-1 办理', 'v2.0 版本', 'a_b-c.d 测试', 'Ｘ－１ 全角']) {
      const stored = new Set(fallbackSearchTokens(text).split(' '));
      for (const set of searchQueryTokenSets(text, () => []))
        for (const token of set) expect(stored.has(token)).toBe(true);
    }
  });
  it('caps the stored tokens', () => {
    expect(fallbackTokens('测'.repeat(10), 3)).toEqual(['测测', '测测', '测测']);
  });
});

describe('segmented search tokens', () => {
  it('keeps distinct trimmed tokens that hold a letter or digit', () => {
    expect(segmentedSearchTokens(['养老金', ' ', '，', '养老金', '上调', '2024', '￥', ' abc '])).toBe(
      '养老金 上调 2024 abc',
    );
  });
});

describe('searchQueryTokenSets', () => {
  it('matches with the segmentation and with the fallback tokens', () => {
    const sets = searchQueryTokenSets('养老金 上调', bySpaces);
    expect(sets).toEqual([
      ['养老金', '上调'],
      ['养老', '老金', '上调'],
    ]);
  });
  it('gives equal sets once and nothing for a query without words', () => {
    expect(searchQueryTokenSets('abc', bySpaces)).toEqual([['abc']]);
    expect(searchQueryTokenSets(' ，。！ ', bySpaces)).toEqual([]);
  });
  it('cuts long queries and token lists', () => {
    const sets = searchQueryTokenSets('字'.repeat(500), () => []);
    expect(sets[0]!.length).toBeLessThanOrEqual(24);
  });
});

describe('mixed Latin and CJK runs', () => {
  it('splits a Latin word from the CJK run it touches, whichever comes first', () => {
    expect(fallbackTokens('A3区魏家坡')).toEqual(['a3', '区魏', '魏家', '家坡']);
    expect(fallbackTokens('社保卡ABC-1号')).toEqual(['社保', '保卡', 'abc-1', '号']);
    expect(fallbackTokens('Über城')).toEqual(['über', '城']);
  });
});
