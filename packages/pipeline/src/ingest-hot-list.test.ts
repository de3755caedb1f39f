// Ingest of hot-list entries on real PostgreSQL: every entry is observed, only the ones a judge (the relevance
// model in production, a stand-in here) or a monitoring scheme keeps become mentions, a retried batch records
// nothing twice, and a mention keeps its best rank and highest heat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitoringScheme, createSource } from '@yuqing/db';
import type { RawMention } from '@yuqing/domain';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { ingestMentions } from './ingest.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** A 百度热搜-shaped entry, built here (315晚会 and the 特斯拉 title are from the recorded list; the 养老金 one is made up). */
const entry = (title: string, rank: number, heat: number, observedAt: string): RawMention => ({
  url: `https://www.baidu.com/s?wd=${encodeURIComponent(title)}`,
  title,
  body: '',
  siteName: '百度热搜',
  hotList: { platform: 'baidu', entryKey: title, rank, heat, observedAt },
});

describe('hot-list ingest', () => {
  it('observes every entry, keeps the judged or scheme-matched ones, and is idempotent', async () => {
    const source = await createSource(database.db, { name: '百度热搜', kind: 'hotlist', url: 'https://top.baidu.com' });
    const judged: string[][] = [];
    // The stand-in judge finds 养老 relevant, as the relevance model would.
    const hotListRelevance = async (texts: readonly string[]) => {
      judged.push([...texts]);
      return texts.map((t) => t.includes('养老'));
    };
    const poll1 = [
      entry('315晚会', 1, 7808104, '2026-03-15T22:32:00.000Z'),
      entry('延迟退休后养老金怎么算', 2, 7000000, '2026-03-15T22:32:00.000Z'),
      entry('特斯拉在美价格降至8000美元', 3, 4105845, '2026-03-15T22:32:00.000Z'),
    ];
    const first = await ingestMentions(database.db, poll1, { sourceId: source.id, hotListRelevance });
    expect(first).toMatchObject({ received: 3, stored: 1, filtered: 2, duplicates: 0 });
    // A retried job: nothing new, observations not doubled.
    const again = await ingestMentions(database.db, poll1, { sourceId: source.id, hotListRelevance });
    expect(again).toMatchObject({ stored: 0, duplicates: 1, filtered: 2 });

    // A scheme matching 特斯拉 keeps that entry whatever the judge says; the judge sees only the others.
    await createMonitoringScheme(database.db, { name: '车企', rule: { any: ['特斯拉'] } });
    judged.length = 0;
    const poll2 = [
      entry('延迟退休后养老金怎么算', 1, 9000000, '2026-03-15T23:32:00.000Z'),
      entry('特斯拉在美价格降至8000美元', 5, 3000000, '2026-03-15T23:32:00.000Z'),
      entry('315晚会', 9, 2000000, '2026-03-15T23:32:00.000Z'),
    ];
    const second = await ingestMentions(database.db, poll2, { sourceId: source.id, hotListRelevance });
    expect(second).toMatchObject({ stored: 1, duplicates: 1, filtered: 1 });
    expect(judged.flat().some((t) => t.includes('特斯拉'))).toBe(false);

    const observations = await sqlRows<{ entryKey: string; ranks: number[] }>(
      database.url,
      `SELECT "entryKey", array_agg(rank ORDER BY "observedAt") AS ranks
         FROM "HotListObservation" WHERE "sourceId" = $1 GROUP BY "entryKey" ORDER BY "entryKey"`,
      [source.id],
    );
    expect(observations).toEqual([
      { entryKey: '315晚会', ranks: [1, 9] },
      { entryKey: '延迟退休后养老金怎么算', ranks: [2, 1] },
      { entryKey: '特斯拉在美价格降至8000美元', ranks: [3, 5] },
    ]);
    const mentions = await sqlRows<{
      title: string;
      hotListRank: number;
      hotListHeat: number;
      hotListPlatform: string;
    }>(
      database.url,
      `SELECT title, "hotListRank", "hotListHeat", "hotListPlatform" FROM "Mention" WHERE "sourceId" = $1 ORDER BY title`,
      [source.id],
    );
    expect(mentions).toEqual([
      { title: '延迟退休后养老金怎么算', hotListRank: 1, hotListHeat: 9000000, hotListPlatform: 'baidu' },
      // Kept from its second poll on (rank 5); its rank there is its best as a mention.
      { title: '特斯拉在美价格降至8000美元', hotListRank: 5, hotListHeat: 3000000, hotListPlatform: 'baidu' },
    ]);
  });
});
