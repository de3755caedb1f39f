// The periodic engine tick on real PostgreSQL and Redis with a mocked clock: with no new mention, the burst window
// closes on time (a flagged issue that kept growing is escalated and alerted), hotness decays in the Issue table,
// and a tick before anything was analysed writes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, loadConfig, sha256Hex } from '@yuqing/core';
import { insertMentions, type MentionInsert } from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { countRows, createTestDatabase, mentionInsertFixture, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { advanceEngine, analyseMentions, type AnalysisDeps } from './analysis-handlers.ts';
import { ModelSet } from './model-set.ts';

let test: TestDatabase;
let queues: JobQueues;
let connection: ReturnType<typeof createRedisConnection>;
let deps: AnalysisDeps;
const clock = new ManualClock(new Date('2026-11-28T14:00:00+08:00'));
const MINUTE = 60_000;

beforeAll(async () => {
  test = await createTestDatabase();
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
  // One growing window is enough to escalate here, so the test needs one hour of posts, not three.
  deps = {
    db: test.db,
    queues,
    config: loadConfig({}),
    clock,
    hotIssueOptions: { escalateAfterGrowingWindows: 1, growthFactor: 1 },
  };
});

afterAll(async () => {
  for (const q of queues.all()) await q.obliterate({ force: true });
  await queues.close();
  connection.disconnect();
  await test.drop();
});

function post(k: number, at: Date): MentionInsert {
  const body = `宏达建筑公司在城东新区工地拖欠农民工工资，第${k + 1}名工人到劳动监察大队反映，要求尽快发放欠薪。`;
  return mentionInsertFixture({
    url: `https://bbs.example.cn/thread/tick-${k}-${randomUUID()}`,
    contentHash: sha256Hex(`${body}${k}`),
    title: `宏达建筑工地拖欠农民工工资（${k}）`,
    body,
    publishedAt: at,
    fetchedAt: at,
  });
}

async function issueRow() {
  const rows = await sqlRows<{ id: number; level: string; hotness: number }>(
    test,
    `SELECT id, level::text AS level, hotness FROM "Issue" WHERE title LIKE '%宏达建筑%' ORDER BY id`,
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('advance-engine (the engine tick)', () => {
  it('writes nothing before any mention was analysed', async () => {
    expect(await advanceEngine(deps)).toEqual({ issues: 0, flags: 0 });
    expect(await countRows(test, 'EngineState')).toBe(0);
  });

  it('closes the burst window on time with no new mention, escalates, alerts, and lets hotness decay', async () => {
    const start = new Date('2026-11-28T14:00:00+08:00');
    const rows = Array.from({ length: 10 }, (_, k) => post(k, new Date(start.getTime() + k * 5 * MINUTE)));
    const ids = (await insertMentions(test.db, rows)).map((r) => r.id);
    clock.set(new Date(start.getTime() + 50 * MINUTE));
    const analysed = await analyseMentions(deps, new ModelSet(test.db), ids);
    expect(analysed.flags).toBe(1);
    expect((await issueRow()).level).toBe('general');

    // Still inside the window: the tick changes no level.
    clock.set(new Date(start.getTime() + 58 * MINUTE));
    expect((await advanceEngine(deps)).flags).toBe(0);
    expect((await issueRow()).level).toBe('general');

    // The window [14:00, 15:00) ended: the tick closes it although nobody posted since 14:45.
    clock.set(new Date(start.getTime() + 61 * MINUTE));
    const ticked = await advanceEngine(deps);
    expect(ticked.flags).toBe(1);
    const escalated = await issueRow();
    expect(escalated.level).toBe('major');
    const jobs = await queues.queue('alert').getJobs(['waiting', 'delayed', 'active', 'completed']);
    const flags = jobs
      .filter((j) => j.name === 'issue-flagged')
      .map((j) => j.data as { issueId: number; level: string });
    expect(flags).toContainEqual(expect.objectContaining({ issueId: escalated.id, level: 'major' }));
    const audit = await sqlRows<{ reason: string }>(
      test,
      `SELECT reason FROM "IssueFlag" WHERE "issueId" = $1 AND level = 'major'`,
      [escalated.id],
    );
    expect(audit[0]?.reason).toMatch(/^升级：/);

    // Six hours later (one half-life) with no post: the stored hotness has decayed to about half.
    clock.set(new Date(start.getTime() + 61 * MINUTE + 6 * 3600_000));
    expect((await advanceEngine(deps)).issues).toBeGreaterThanOrEqual(1);
    const decayed = await issueRow();
    expect(decayed.hotness).toBeLessThan(escalated.hotness * 0.6);
    expect(decayed.hotness).toBeGreaterThan(0);
    // A tick repeated at the same time changes nothing more.
    expect((await advanceEngine(deps)).flags).toBe(0);
    expect((await issueRow()).hotness).toBeCloseTo(decayed.hotness, 6);
  });
});
