// An issue's times come from its mentions: a backlog filed after newer posts keeps its own first/last seen, its
// hotness history starts at its mentions, and its timeline is in time order with the full count.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock } from '@yuqing/core';
import { getIssue, insertMentions, issueHotnessHistory, issueTimeline } from '@yuqing/db';
import { analyseMentions, ModelSet } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { createTestDatabase, mentionInsertFixture, sqlRows, type TestDatabase } from '@yuqing/testkit';

let test: TestDatabase;
let queues: JobQueues;
let connection: ReturnType<typeof createRedisConnection>;

const at = (hhmm: string) => new Date(`2026-12-03T${hhmm}:00+08:00`);

beforeAll(async () => {
  test = await createTestDatabase();
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
}, 120_000);

afterAll(async () => {
  for (const q of queues.all()) await q.obliterate({ force: true });
  await queues.close();
  connection.disconnect();
  await test.drop();
});

describe('issue times', () => {
  it('come from the mentions, not from the clustering clock', async () => {
    // The system starts at 21:25; the first crawl brings a post of 21:10 first, then an older backlog.
    const clock = new ManualClock(at('21:25'));
    const deps = { db: test.db, queues, config: loadConfig({}), clock };
    const models = new ModelSet(test.db);
    const newer = await insertMentions(test.db, [
      mentionInsertFixture({
        title: '异地就医备案怎么办理',
        body: '父母退休后随我来本市生活，医保异地就医备案需要什么材料？报销比例是多少？',
        publishedAt: at('21:10'),
        fetchedAt: at('21:24'),
      }),
    ]);
    await analyseMentions(deps, models, [newer[0]!.id]);

    const wage = '星河物流公司拖欠工资三个月，几十名员工讨薪无门，劳动监察部门什么时候介入？';
    const backlog = await insertMentions(test.db, [
      mentionInsertFixture({
        title: '星河物流公司拖欠工资',
        body: wage,
        publishedAt: at('14:46'),
        fetchedAt: at('21:24'),
      }),
      mentionInsertFixture({
        title: '星河物流欠薪',
        body: `${wage}我们已经申请劳动仲裁。`,
        publishedAt: at('15:20'),
        fetchedAt: at('21:24'),
      }),
      // A page without a publication time: its place in time is when it was fetched.
      mentionInsertFixture({
        title: '星河物流员工讨薪',
        body: `${wage}今天又去了一趟。`,
        publishedAt: null,
        fetchedAt: at('15:05'),
      }),
      mentionInsertFixture({
        title: '转：星河物流公司拖欠工资',
        body: `转：${wage}`,
        publishedAt: at('15:00'),
        fetchedAt: at('21:24'),
      }),
    ]);
    await analyseMentions(
      deps,
      models,
      backlog.map((m) => m.id),
    );
    const [filed] = await sqlRows<{ issueId: number }>(test, 'SELECT "issueId" FROM "Mention" WHERE id = $1', [
      backlog[0]!.id,
    ]);
    const issueId = filed!.issueId;
    const members = await sqlRows<{ id: number }>(test, 'SELECT id FROM "Mention" WHERE "issueId" = $1', [issueId]);
    expect(members.map((m) => m.id).sort()).toEqual(backlog.map((m) => m.id).sort());

    const issue = await getIssue(test.db, issueId);
    expect(issue?.firstSeenAt).toEqual(at('14:46'));
    expect(issue?.lastSeenAt).toEqual(at('15:20'));
    expect(issue?.mentionCount).toBe(4);

    const points = await issueHotnessHistory(test.db, issueId);
    expect(points.length).toBeGreaterThan(0);
    for (const point of points) {
      expect(point.at.getTime()).toBeGreaterThanOrEqual(at('14:46').getTime());
      expect(point.at.getTime()).toBeLessThanOrEqual(at('15:20').getTime());
    }

    const timeline = await issueTimeline(test.db, issueId);
    expect(timeline.total).toBe(issue?.mentionCount);
    const times = timeline.entries.map((e) => (e.publishedAt ?? e.fetchedAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(timeline.entries.map((e) => e.id)).toContain(backlog[2]!.id);
    const shown = timeline.entries.length + timeline.entries.reduce((n, e) => n + e.folded.length, 0);
    expect(shown).toBe(timeline.total);
  }, 180_000);
});
