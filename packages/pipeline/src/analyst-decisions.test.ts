// Analysts' decisions survive clustering: with the real classifiers and engine, on real PostgreSQL and Redis,
// corrections (title, category, level), merges and splits stay when new mentions join, and a resolved issue
// reopens only on a new burst after its resolution.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, loadConfig, sha256Hex } from '@yuqing/core';
import {
  getIssue,
  insertMentions,
  mergeIssues,
  setIssueCategory,
  setIssueLevel,
  setIssueTitle,
  splitIssue,
  type MentionInsert,
} from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { createTestDatabase, mentionInsertFixture, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { analyseMentions, type AnalysisDeps } from './analysis-handlers.ts';
import { ModelSet } from './model-set.ts';

let test: TestDatabase;
let queues: JobQueues;
let connection: ReturnType<typeof createRedisConnection>;
let deps: AnalysisDeps;
let models: ModelSet;
const clock = new ManualClock(new Date('2026-12-01T20:00:00+08:00'));
const analyst = { actorId: null };
const MINUTE_MS = 60_000;

let serial = 0;
function mention(title: string, body: string, publishedAt: Date, extra: Partial<MentionInsert> = {}): MentionInsert {
  serial++;
  return mentionInsertFixture({
    url: `https://bbs.example.cn/thread/${serial}-${randomUUID()}`,
    contentHash: sha256Hex(`${title}${body}${serial}`),
    title,
    body,
    publishedAt,
    fetchedAt: publishedAt,
    ...extra,
  });
}

/** Inserts and analyses mentions; returns their ids. */
async function analyse(rows: MentionInsert[]): Promise<number[]> {
  const ids = (await insertMentions(test.db, rows)).map((r) => r.id);
  await analyseMentions(deps, models, ids);
  return ids;
}

async function issueOf(mentionId: number): Promise<number> {
  const [row] = await sqlRows<{ issueId: number | null }>(test, 'SELECT "issueId" FROM "Mention" WHERE id = $1', [
    mentionId,
  ]);
  expect(row?.issueId, `mention ${mentionId} filed`).not.toBeNull();
  return row!.issueId!;
}

const wage = (k: number) =>
  mention(
    `星河物流公司拖欠工资（${k}）`,
    `星河物流公司拖欠工资三个月，几十名员工讨薪无门，劳动监察部门什么时候介入？第${k}位员工反映。`,
    new Date(Date.parse('2026-12-01T09:00:00+08:00') + k * 10 * MINUTE_MS),
  );
const medical = (k: number) =>
  mention(
    `异地就医备案怎么办理（${k}）`,
    `父母退休后随我来本市生活，医保异地就医备案需要什么材料？报销比例是多少？第${k}次咨询。`,
    new Date(Date.parse('2026-12-01T09:05:00+08:00') + k * 10 * MINUTE_MS),
  );

beforeAll(async () => {
  test = await createTestDatabase();
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
  deps = { db: test.db, queues, config: loadConfig({}), clock };
  models = new ModelSet(test.db);
}, 120_000);

afterAll(async () => {
  for (const q of queues.all()) await q.obliterate({ force: true });
  await queues.close();
  connection.disconnect();
  await test.drop();
});

describe('analyst decisions against clustering', () => {
  it('keeps a corrected title, category and level when new mentions join, and keeps merges and splits', async () => {
    const first = await analyse([wage(0), wage(1), wage(2), medical(0), medical(1)]);
    const wageIssue = await issueOf(first[0]!);
    const medicalIssue = await issueOf(first[3]!);
    expect(await issueOf(first[2]!)).toBe(wageIssue);
    expect(medicalIssue).not.toBe(wageIssue);
    const before = await getIssue(test.db, wageIssue);
    expect(before?.category).not.toBe('城镇居民社会保险');

    await setIssueCategory(test.db, wageIssue, '城镇居民社会保险', analyst);
    await setIssueTitle(test.db, wageIssue, '星河物流欠薪（分析员命名）', analyst);
    await setIssueLevel(test.db, wageIssue, 'major', clock.now(), analyst);
    await mergeIssues(test.db, wageIssue, [medicalIssue], analyst);
    const split = await splitIssue(test.db, wageIssue, [first[1]!], '星河物流另案', analyst);

    const later = await analyse([wage(3), wage(4), medical(2)]);
    expect(await issueOf(later[0]!)).toBe(wageIssue);
    // A mention of the merged issue goes where the analyst merged it.
    expect(await issueOf(later[2]!)).toBe(wageIssue);
    const after = await getIssue(test.db, wageIssue);
    expect(after).toMatchObject({ category: '城镇居民社会保险', title: '星河物流欠薪（分析员命名）', level: 'major' });
    const merged = await getIssue(test.db, medicalIssue);
    expect(merged).toMatchObject({ status: 'merged', mentionCount: 0 });
    // The split-off mention stays split, and its issue keeps the one mention.
    expect(await issueOf(first[1]!)).toBe(split.id);
    expect((await getIssue(test.db, split.id))?.mentionCount).toBe(1);
    // Counts agree with the mentions filed (header = timeline).
    const [count] = await sqlRows<{ n: number }>(test, 'SELECT count(*)::int AS n FROM "Mention" WHERE "issueId" = $1', [
      wageIssue,
    ]);
    expect(after?.mentionCount).toBe(count?.n);
    // Only the analyst changed the category: one audit entry, no silent change.
    const audits = await sqlRows(test, `SELECT action FROM "AuditLog" WHERE "entityId" = $1 AND action = 'issue.category'`, [
      String(wageIssue),
    ]);
    expect(audits).toHaveLength(1);
  }, 180_000);
});
