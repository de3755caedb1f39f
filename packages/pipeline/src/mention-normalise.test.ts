import { describe, expect, it } from 'vitest';
import { canonicaliseUrl } from '@yuqing/domain';
import { contentHash, hrKeywordMark, normaliseMention } from './mention-normalise.ts';

describe('normalisation', () => {
  it('canonicalises URLs: case, default port, fragment, tracking parameters, parameter order', () => {
    expect(canonicaliseUrl('HTTP://WWW.Example.gov.cn:80/a/b.html?z=1&utm_source=x&a=2#top')).toBe(
      'http://www.example.gov.cn/a/b.html?a=2&z=1',
    );
    expect(canonicaliseUrl('https://x.cn:443')).toBe('https://x.cn/');
  });
  it('hashes reposts with different spacing and punctuation alike', () => {
    expect(contentHash('标题', '某公司 欠薪，三个月！')).toBe(contentHash('标题', '某公司欠薪三个月'));
    expect(contentHash('标题', '某公司欠薪')).not.toBe(contentHash('标题', '某公司发薪'));
  });
  it('marks HR relevance by keywords', () => {
    expect(hrKeywordMark('青禾速运欠薪三个月')).toBe(true);
    expect(hrKeywordMark('明天有大雨')).toBe(false);
  });
  it('normalises a raw mention', () => {
    const m = normaliseMention(
      {
        url: 'http://x.cn/a.html?utm_medium=1',
        title: ' 养老金\n调整 ',
        body: '  第一段\n\n　　第二段 ',
        publishedAt: '2026-11-27T09:30:00+08:00',
      },
      { region: '江澜市' },
    );
    expect(m).toMatchObject({
      canonicalUrl: 'http://x.cn/a.html',
      title: '养老金 调整',
      body: '第一段\n第二段',
      region: '江澜市',
      relevant: true,
      searchTokens: '养老 老金 调整 第一 一段 第二 二段',
    });
    expect(m?.publishedAt?.toISOString()).toBe('2026-11-27T01:30:00.000Z');
    expect(normaliseMention({ url: 'http://x.cn/', title: ' ', body: '' })).toBeUndefined();
  });
});
