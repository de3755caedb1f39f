import { describe, expect, it } from 'vitest';
import { issueKeyphrases, readableKeyphrase } from './issue-keyphrases.ts';

// Keywords `yq detect` gave for hot_messages.csv (Teddy 2020) before keyphrases, and what a reader should see.
describe('readableKeyphrase', () => {
  it('cuts verbs, connectives, counts and stray administrative characters off names', () => {
    expect(readableKeyphrase('包括星沙街道')).toBe('星沙街道');
    expect(readableKeyphrase('或西雅中学')).toBe('西雅中学');
    expect(readableKeyphrase('作为专科医院')).toBe('专科医院');
    expect(readableKeyphrase('位于东四路')).toBe('东四路');
    expect(readableKeyphrase('一个幸福家园')).toBe('幸福家园');
    expect(readableKeyphrase('一条石长铁路')).toBe('石长铁路');
    expect(readableKeyphrase('市伊景园')).toBe('伊景园');
  });

  it('drops fragments, numbers, counts and question words', () => {
    for (const word of ['区汇', '人管', '房云', '贷案', '一个', '三个', '1975', '何时', '哪年', '县星'])
      expect(readableKeyphrase(word), word).toBeUndefined();
  });

  it('keeps words and names', () => {
    for (const word of ['拖欠工资', '灵活就业', '碧桂园', '南山', '小区', '泉塘昌', '车位', '违建'])
      expect(readableKeyphrase(word), word).toBe(word);
  });
});

describe('issueKeyphrases', () => {
  it('keeps the ranking, each phrase once, up to the limit', () => {
    expect(
      issueKeyphrases(['包括星沙街道', '拖欠工资', '据悉星沙街道', '县星沙', '一个', '碧桂园', '小区'], 3),
    ).toEqual(['星沙街道', '拖欠工资', '碧桂园']);
  });

  it('shows only the stronger of two phrases where one holds the other, and lets the next keyword in', () => {
    // As `yq detect` showed them on hot_messages.csv: 滨河 beside 滨河苑, 新城 beside 丽发新城 said nothing more …
    expect(issueKeyphrases(['滨河苑', '伊景园', '车位', '滨河', '捆绑', '销售'], 4)).toEqual([
      '滨河苑',
      '伊景园',
      '车位',
      '捆绑',
    ]);
    expect(issueKeyphrases(['丽发新城', '搅拌', '新城', '小区'], 3)).toEqual(['丽发新城', '搅拌', '小区']);
    // … and a longer, weaker phrase around a name is the one that goes.
    expect(issueKeyphrases(['凉塘路', '旧城', '改造', '剩下一个凉塘路', '放在旧城', '动工'], 4)).toEqual([
      '凉塘路',
      '旧城',
      '改造',
      '动工',
    ]);
  });
});
