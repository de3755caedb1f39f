// `pnpm bench dashboard-queries [--mentions 1000000]`: the dashboard's list, search and overview queries over a
// large mention table (rows generated in SQL on a throwaway PostgreSQL database). Prints median timings.
import { parseArgs } from 'node:util';
import {
  hotIssues,
  issueLevelCounts,
  listIssues,
  listMentions,
  mentionVolumeByDay,
  frequentMentionTokens,
} from '@yuqing/db';
import { createTestDatabase, seedSyntheticMentions } from '@yuqing/testkit';

const { values } = parseArgs({
  options: { mentions: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' } },
});
const total = Number(values.mentions);
const runs = Number(values.runs);

const t0 = performance.now();
const database = await createTestDatabase();
const { db } = database;
try {
  await seedSyntheticMentions(db, total, { rareWordEvery: 100_000 });
  console.log(`seeded ${total} mentions, 20000 issues in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  async function time(name: string, fn: () => Promise<unknown>): Promise<void> {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await fn();
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(48)} median ${samples[Math.floor(samples.length / 2)]!.toFixed(1).padStart(8)} ms   max ${samples[samples.length - 1]!.toFixed(1).padStart(8)} ms`,
    );
  }
  const mid = Math.floor(total / 2);
  const since = new Date(Date.now() - 30 * 86400_000);
  await time('mentions: first page (50)', () => listMentions(db, { limit: 50 }));
  await time('mentions: page at the middle (beforeId)', () => listMentions(db, { limit: 50, beforeId: mid }));
  await time('mentions: category + sentiment filter', () =>
    listMentions(db, { limit: 50, category: '劳动关系', sentiment: 'negative' }),
  );
  await time('mentions: one source', () => listMentions(db, { limit: 50, sourceId: 7 }));
  await time('mentions: last 7 days', () =>
    listMentions(db, { limit: 50, since: new Date(Date.now() - 7 * 86400_000) }),
  );
  await time('mentions: search common word (养老金)', () =>
    listMentions(db, { limit: 50, searchTokenSets: [['养老金']] }),
  );
  await time('mentions: search two words (医保 报销)', () =>
    listMentions(db, { limit: 50, searchTokenSets: [['医保', '报销']] }),
  );
  await time('mentions: search rare word (罕见词)', () =>
    listMentions(db, { limit: 50, searchTokenSets: [['罕见词']] }),
  );
  await time('issues: recent, first page', () => listIssues(db, { limit: 50 }));
  await time('issues: severe+major, open', () =>
    listIssues(db, { limit: 50, level: ['severe', 'major'], status: ['new', 'confirmed', 'responding'] }),
  );
  await time('issues: full-text over mentions (工伤 认定)', () =>
    listIssues(db, { limit: 50, searchTokenSets: [['工伤', '认定']] }),
  );
  await time('overview: volume by day × category (30 d)', () =>
    mentionVolumeByDay(db, { since, timeZone: 'Asia/Shanghai' }),
  );
  await time('overview: levels + hot issues', () => Promise.all([issueLevelCounts(db), hotIssues(db, 10)]));
  await time('overview: word cloud tokens (3000 latest)', () => frequentMentionTokens(db, { limit: 60 }));
} finally {
  await database.drop();
}
