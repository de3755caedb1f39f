import { describe, expect, it } from 'vitest';
import { extractKeywords, extractPlaceNames, segment, tokenize } from './tokenizer.ts';
import { normalizeText } from './text-normalize.ts';
import { parseCsv } from './csv.ts';
import { getStopwords } from './stopwords.ts';

describe('normalizeText', () => {
  it('turns full-width ASCII into half-width and collapses whitespace', () => {
    expect(normalizeText('Ａ３区\u3000\u3000社保卡：１２３\n\t ok')).toBe('A3区 社保卡:123 ok');
  });
});

describe('tokenize with the HR dictionary', () => {
  it('keeps HR terms whole', () => {
    const tokens = tokenize('我想办理社保卡，灵活就业人员的失业保险金和稳岗补贴，异地就医医保报销，劳动仲裁欠薪');
    for (const term of ['社保卡', '灵活就业人员', '失业保险金', '稳岗补贴', '异地就医', '医保报销', '劳动仲裁', '欠薪']) expect(tokens).toContain(term);
  });
  it('drops stopwords and punctuation unless asked', () => {
    const tokens = tokenize('我们的养老金，什么时候发放？');
    expect(tokens).not.toContain('我们');
    expect(tokens).not.toContain('?');
    expect(tokenize('养老金？', { keepPunctuation: true, removeStopwords: false })).toContain('?');
  });
  it('joins letter/digit runs that jieba splits', () => {
    expect(segment(normalizeText('A3区'))).toEqual(['a3', '区']);
  });
});

describe('place names', () => {
  it('finds districts, estates, streets and companies', () => {
    const places = extractPlaceNames(segment(normalizeText('A市A3区魏家坡巷的业主；长沙市岳麓区梅溪湖街道某某建筑公司拖欠工资')));
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
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","line1\nline2"\r\nlast,\n')).toEqual([['a', 'b'], ['x, "y"', 'line1\nline2'], ['last', '']]);
  });
  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/quoted/);
  });
});
