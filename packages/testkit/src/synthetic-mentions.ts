// Large synthetic data sets for benchmarks, written in SQL (generate_series) straight into a test database.
import { urlOf, withClient, type SqlTarget } from './test-database.ts';

/** Words the synthetic mentions are made of (their search tokens), so benchmarks can query them. */
export const SYNTHETIC_WORDS = [
  '养老金',
  '上调',
  '医保',
  '报销',
  '工伤',
  '认定',
  '欠薪',
  '招聘',
  '培训',
  '失业',
  '保险金',
  '灵活',
  '就业',
  '社保卡',
  '异地',
  '就医',
  '补办',
  '退休',
  '缴费',
  '公积金',
];
/** Mentions one INSERT … generate_series writes. */
const SYNTHETIC_BATCH = 100_000;

/**
 * Fills an empty database with `total` generated mentions over 20 sources and 20,000 issues, in SQL
 * (`generate_series`, ~13,000 rows/s here), then ANALYZEs it: the 1,000,000-mention benchmarks start from this.
 * With `rareWordEvery`, every n-th mention (offset 7) also carries the token 罕见词.
 */
export async function seedSyntheticMentions(
  target: SqlTarget,
  total: number,
  options: { rareWordEvery?: number } = {},
): Promise<void> {
  const words = SYNTHETIC_WORDS;
  const rareEvery = options.rareWordEvery ?? 0;
  await withClient(urlOf(target), async (client) => {
    await client.query(
      `INSERT INTO "Source" (name, kind, url, "updatedAt") SELECT 'bench ' || g, 'rss', 'http://127.0.0.1:9/' || g, now() FROM generate_series(1, 20) g`,
    );
    await client.query(`INSERT INTO "Issue" (title, status, level, hotness, "firstSeenAt", "lastSeenAt", "updatedAt", category)
      SELECT '议题 ' || g, (ARRAY['new','confirmed','responding','resolved','dismissed'])[1 + g % 5]::"IssueStatus", (ARRAY['none','general','major','severe'])[1 + g % 4]::"IssueLevel",
             (g * 7919) % 1000 / 10.0, now() - (g % 365) * interval '1 day', now() - (g % 60) * interval '1 day', now(), (ARRAY['社会保险','劳动关系','就业创业','人事人才'])[1 + g % 4]
        FROM generate_series(1, 20000) g`);
    for (let start = 0; start < total; start += SYNTHETIC_BATCH) {
      const end = Math.min(total, start + SYNTHETIC_BATCH);
      await client.query(
        `INSERT INTO "Mention" ("sourceId", url, "canonicalUrl", "urlHash", "contentHash", title, body, "publishedAt", category, sentiment, relevant, "issueId", "searchTokens")
        SELECT 1 + g % 20, 'http://127.0.0.1:9/m/' || g, 'http://127.0.0.1:9/m/' || g, md5('u' || g), md5('c' || g),
               '标题 ' || g, repeat('正文内容 ', 20), now() - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute',
               (ARRAY['社会保险','劳动关系','就业创业','人事人才'])[1 + g % 4], (ARRAY['negative','neutral','positive'])[1 + g % 3], g % 10 <> 0,
               CASE WHEN g % 50 = 0 THEN 1 + g % 20000 END,
               ($1::text[])[1 + g % 20] || ' ' || ($1::text[])[1 + (g / 20) % 20] || ' ' || ($1::text[])[1 + (g / 400) % 20]
                 || CASE WHEN $2::int > 0 AND g % $2::int = 7 THEN ' 罕见词' ELSE '' END
          FROM generate_series($3::int, $4::int) g`,
        [words, rareEvery, start + 1, end],
      );
    }
    await client.query('ANALYZE');
  });
}
