// A hot-list entry's best rank travels from the stored mention into the clustering features, where hotness reads it.
import { describe, expect, it } from 'vitest';
import { mentionForAnalysisFixture } from '@yuqing/testkit';
import { clusteringFeatures } from './issue-clustering.ts';

const entry = mentionForAnalysisFixture(
  7,
  '我是行政，老板说不招保洁了，让我一个月打扫一次厕所和会议室，给我涨工资 500 元，我怎么回？',
  '',
  { publishedAt: null, fetchedAt: new Date('2025-05-06T11:10:23Z'), sourceName: '知乎热榜', sourceKind: 'hotlist' },
);

describe('hot-list rank in clustering features', () => {
  it('carries the best rank of a hot-list entry as hotRank', () => {
    expect(clusteringFeatures({ ...entry, hotListRank: 14 }, '工资福利', 0).hotRank).toBe(14);
  });
  it('leaves it out for any other mention', () => {
    expect(clusteringFeatures(entry, '工资福利', 0)).not.toHaveProperty('hotRank');
    expect(clusteringFeatures({ ...entry, hotListRank: null }, '工资福利', 0)).not.toHaveProperty('hotRank');
  });
});
