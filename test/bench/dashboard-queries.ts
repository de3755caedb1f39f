// `pnpm bench dashboard-queries [--mentions 1000000]`: the dashboard's list, search and overview queries over a
// large mention table (rows generated in SQL on a throwaway PostgreSQL database). Prints median timings.
import { parseArgs } from 'node:util';
import { createTestDatabase, hotIssues, issueLevelCounts, listIssues, listMentions, mentionVolumeByDay, frequentMentionTokens } from '@yuqing/db';

const { values } = parseArgs({ options: { mentions: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' } } });
const total = Number(values.mentions);
const runs = Number(values.runs);
const BATCH = 100_000;

const words = ['养老金', '上调', '医保', '报销', '工伤', '认定', '欠薪', '招聘', '培训', '失业', '保险金', '灵活', '就业', '社保卡', '异地', '就医', '补办', '退休', '缴费', '公积金'];
const t0 = performance.now();
const database = await createTestDatabase();
const { db } = database;
try {
  await db.$executeRaw`INSERT INTO "Source" (name, kind, url, "updatedAt") SELECT 'bench ' || g, 'rss', 'http://127.0.0.1:9/' || g, now() FROM generate_series(1, 20) g`;
  await db.$executeRaw`INSERT INTO "Issue" (title, status, level, hotness, "firstSeenAt", "lastSeenAt", "updatedAt", category)
    SELECT '议题 ' || g, (ARRAY['new','confirmed','responding','resolved','dismissed'])[1 + g % 5]::"IssueStatus", (ARRAY['none','general','major','severe'])[1 + g % 4]::"IssueLevel",
           (g * 7919) % 1000 / 10.0, now() - (g % 365) * interval '1 day', now() - (g % 60) * interval '1 day', now(), (ARRAY['社会保险','劳动关系','就业创业','人事人才'])[1 + g % 4]
      FROM generate_series(1, 20000) g`;
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    await db.$executeRaw`INSERT INTO "Mention" ("sourceId", url, "canonicalUrl", "urlHash", "contentHash", title, body, "publishedAt", category, sentiment, relevant, "issueId", "searchTokens")
      SELECT 1 + g % 20, 'http://127.0.0.1:9/m/' || g, 'http://127.0.0.1:9/m/' || g, md5('u' || g), md5('c' || g),
             '标题 ' || g, repeat('正文内容 ', 20), now() - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute',
             (ARRAY['社会保险','劳动关系','就业创业','人事人才'])[1 + g % 4], (ARRAY['negative','neutral','positive'])[1 + g % 3], g % 10 <> 0,
             CASE WHEN g % 50 = 0 THEN 1 + g % 20000 END,
             (${words}::text[])[1 + g % 20] || ' ' || (${words}::text[])[1 + (g / 20) % 20] || ' ' || (${words}::text[])[1 + (g / 400) % 20] || CASE WHEN g % 100000 = 7 THEN ' 罕见词' ELSE '' END
        FROM generate_series(${start + 1}::int, ${end}::int) g`;
  }
  await db.$executeRaw`ANALYZE`;
  console.log(`seeded ${total} mentions, 20000 issues in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  async function time(name: string, fn: () => Promise<unknown>): Promise<void> {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await fn();
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    console.log(`${name.padEnd(48)} median ${samples[Math.floor(samples.length / 2)]!.toFixed(1).padStart(8)} ms   max ${samples[samples.length - 1]!.toFixed(1).padStart(8)} ms`);
  }
  const mid = Math.floor(total / 2);
  const since = new Date(Date.now() - 30 * 86400_000);
  await time('mentions: first page (50)', () => listMentions(db, { limit: 50 }));
  await time('mentions: page at the middle (beforeId)', () => listMentions(db, { limit: 50, beforeId: mid }));
  await time('mentions: category + sentiment filter', () => listMentions(db, { limit: 50, category: '劳动关系', sentiment: 'negative' }));
  await time('mentions: one source', () => listMentions(db, { limit: 50, sourceId: 7 }));
  await time('mentions: last 7 days', () => listMentions(db, { limit: 50, since: new Date(Date.now() - 7 * 86400_000) }));
  await time('mentions: search common word (养老金)', () => listMentions(db, { limit: 50, searchTokenSets: [['养老金']] }));
  await time('mentions: search two words (医保 报销)', () => listMentions(db, { limit: 50, searchTokenSets: [['医保', '报销']] }));
  await time('mentions: search rare word (罕见词)', () => listMentions(db, { limit: 50, searchTokenSets: [['罕见词']] }));
  await time('issues: recent, first page', () => listIssues(db, { limit: 50 }));
  await time('issues: severe+major, open', () => listIssues(db, { limit: 50, level: ['severe', 'major'], status: ['new', 'confirmed', 'responding'] }));
  await time('issues: full-text over mentions (工伤 认定)', () => listIssues(db, { limit: 50, searchTokenSets: [['工伤', '认定']] }));
  await time('overview: volume by day × category (30 d)', () => mentionVolumeByDay(db, { since, timeZone: 'Asia/Shanghai' }));
  await time('overview: levels + hot issues', () => Promise.all([issueLevelCounts(db), hotIssues(db, 10)]));
  await time('overview: word cloud tokens (3000 latest)', () => frequentMentionTokens(db, { limit: 60 }));
} finally {
  await database.drop();
}
