import { describe, expect, it } from 'vitest';
import { extractKeywords, extractPlaceNames, segment, segmentBatch, tokenise } from './tokeniser.ts';
import { normaliseText } from './text-normalise.ts';
import { parseCsv } from './csv.ts';
import { getStopwords } from './stopwords.ts';

describe('normaliseText', () => {
  it('turns full-width ASCII into half-width and collapses whitespace', () => {
    expect(normaliseText('Ａ３区\u3000\u3000社保卡：１２３\n\t ok')).toBe('A3区 社保卡:123 ok');
  });
});

describe('tokenise with the HR dictionary', () => {
  it('keeps HR terms whole', () => {
    const tokens = tokenise('我想办理社保卡，灵活就业人员的失业保险金和稳岗补贴，异地就医医保报销，劳动仲裁欠薪');
    for (const term of ['社保卡', '灵活就业人员', '失业保险金', '稳岗补贴', '异地就医', '医保报销', '劳动仲裁', '欠薪'])
      expect(tokens).toContain(term);
  });
  it('drops stopwords and punctuation unless asked', () => {
    const tokens = tokenise('我们的养老金，什么时候发放？');
    expect(tokens).not.toContain('我们');
    expect(tokens).not.toContain('?');
    expect(tokenise('养老金？', { keepPunctuation: true, removeStopwords: false })).toContain('?');
  });
  it('joins letter/digit runs that jieba splits', () => {
    expect(segment(normaliseText('A3区'))).toEqual(['a3', '区']);
  });
});

describe('place names', () => {
  it('finds districts, estates, streets and companies', () => {
    const places = extractPlaceNames(
      segment(normaliseText('A市A3区魏家坡巷的业主；长沙市岳麓区梅溪湖街道某某建筑公司拖欠工资')),
    );
    expect(places).toEqual(expect.arrayContaining(['a市', 'a3区', '长沙市', '岳麓区', '梅溪湖街道', '某某建筑公司']));
    expect(places).not.toContain('小区');
  });
});

describe('keywords', () => {
  it('returns weighted terms without stopwords or numbers', () => {
    const kws = extractKeywords('某公司拖欠农民工工资12个月，农民工多次讨薪无果，请劳动监察大队介入', 5);
    expect(kws.length).toBeGreaterThan(0);
    expect(kws.map((k) => k.word)).toContain('讨薪');
    expect(kws.every((k) => !/^\d+$/.test(k.word) && !getStopwords().has(k.word))).toBe(true);
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, embedded newlines, CRLF and BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","line1\nline2"\r\nlast,\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line1\nline2'],
      ['last', ''],
    ]);
  });
  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/quoted/);
  });
});

describe('segmentBatch', () => {
  it('cuts many texts in one call into the same tokens as cutting each alone', () => {
    const texts = [
      '单位拖欠工资三个月，劳动仲裁怎么申请？',
      '',
      'ＡＢＣ３区 Hello World 2019年11月 T恤 😭😭[泪]',
      '不是规范化的文本\n里面有换行',
      '失业保险金 异地就医 社保卡补办'.repeat(3000),
      '最后一条',
    ];
    for (const useHmm of [false, true]) {
      const normalised = texts.map((t) => (t.includes('\n') ? t : normaliseText(t)));
      expect(segmentBatch(normalised, useHmm)).toEqual(normalised.map((t) => segment(t, useHmm)));
    }
    expect(segmentBatch([])).toEqual([]);
  });
});
