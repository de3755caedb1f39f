// Analysts' decisions survive clustering: with the real classifiers and engine, on real PostgreSQL and Redis,
// corrections (title, category, level), merges and splits stay when new mentions join, and a resolved issue
// reopens only on a new burst after its resolution.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, loadConfig, sha256Hex } from '@yuqing/core';
import {
  approveResponse,
  createResponse,
  createUser,
  getIssue,
  insertMentions,
  publishResponse,
  submitResponse,
  mergeIssues,
  setIssueCategory,
  setIssueLevel,
  setIssueTitle,
  splitIssue,
  type MentionInsert,
} from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { countRows, createTestDatabase, mentionInsertFixture, sqlRows, type TestDatabase } from '@yuqing/testkit';
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

/** Six hours of ordinary questions, each on its own topic: the baseline a burst is measured against. */
function backgroundPosts(start: number): MentionInsert[] {
  const background = [
    ['养老金调整什么时候发放', '今年养老金调整的补发款什么时候到账？'],
    ['社保卡补办流程', '社保卡丢了，补办需要带什么材料，多久能拿到？'],
    ['职业技能培训补贴', '参加电工职业技能培训，补贴怎么申请？'],
    ['失业保险金申领', '离职后失业保险金在哪里申领，能领几个月？'],
    ['灵活就业缴费基数', '灵活就业人员养老保险缴费基数今年是多少？'],
  ];
  const flat: MentionInsert[] = [];
  for (let hour = 0; hour < 6; hour++)
    background.forEach(([title, body], k) =>
      flat.push(
        mention(`${title}（${hour}）`, `${body}第${hour}次询问。`, new Date(start + hour * 3600_000 + k * 600_000)),
      ),
    );
  return flat;
}

/** Creates, approves and publishes a response to the issue at `at` (which resolves it). */
async function publishResponseTo(issueId: number, at: Date): Promise<void> {
  const user = await createUser(test.db, {
    username: `spokes-${randomUUID()}`,
    displayName: '发言人',
    passwordHash: 'x',
    role: 'spokesperson',
  });
  const actor = { actorId: user.id };
  const response = await createResponse(
    test.db,
    { issueId, authorId: user.id, body: '已责成相关部门处理。', now: at },
    actor,
  );
  await submitResponse(test.db, response.id, at, actor);
  await approveResponse(test.db, response.id, { deciderId: user.id, now: at }, actor);
  await publishResponse(test.db, response.id, { channel: '官网', publishedAt: at, publishedById: user.id }, actor);
}

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
    const [count] = await sqlRows<{ n: number }>(
      test,
      'SELECT count(*)::int AS n FROM "Mention" WHERE "issueId" = $1',
      [wageIssue],
    );
    expect(after?.mentionCount).toBe(count?.n);
    // Only the analyst changed the category: one audit entry, no silent change.
    const audits = await sqlRows(
      test,
      `SELECT action FROM "AuditLog" WHERE "entityId" = $1 AND action = 'issue.category'`,
      [String(wageIssue)],
    );
    expect(audits).toHaveLength(1);
  }, 180_000);

  it('leaves a resolved issue resolved as mentions trickle in, and reopens it on a new burst after resolution', async () => {
    const start = Date.parse('2026-12-02T08:00:00+08:00');
    clock.set(new Date(start + 6 * 3600_000));
    await analyse(backgroundPosts(start));

    const site = (k: number, at: number) =>
      mention(
        `宏达建筑工地拖欠农民工工资（${k}）`,
        `宏达建筑公司在城东新区工地拖欠农民工工资，${k + 1}名工人到劳动监察大队反映，要求尽快发放欠薪。`,
        new Date(at),
        { likes: 20 * k, comments: 3 * k },
      );
    const burstStart = start + 6 * 3600_000;
    clock.set(new Date(burstStart + 60 * MINUTE_MS));
    const burst = await analyse(Array.from({ length: 16 }, (_, k) => site(k, burstStart + k * 3 * MINUTE_MS)));
    const issueId = await issueOf(burst[0]!);
    const flaggedIssue = await getIssue(test.db, issueId);
    expect(flaggedIssue?.level).not.toBe('none');
    const flagsBefore = await countRows(test, 'IssueFlag', '"issueId" = $1', [issueId]);

    // The spokesperson's response goes out at 16:00: the issue is resolved.
    const resolvedAt = new Date(burstStart + 2 * 3600_000);
    clock.set(resolvedAt);
    await publishResponseTo(issueId, resolvedAt);
    const resolved = await getIssue(test.db, issueId);
    expect(resolved?.status).toBe('resolved');

    // A few more posts join within the hour: no flag, no new deadline, still resolved.
    clock.set(new Date(resolvedAt.getTime() + 40 * MINUTE_MS));
    const trickle = await analyse([
      site(100, resolvedAt.getTime() + 10 * MINUTE_MS),
      site(101, resolvedAt.getTime() + 30 * MINUTE_MS),
    ]);
    expect(await issueOf(trickle[0]!)).toBe(issueId);
    const quiet = await getIssue(test.db, issueId);
    expect(quiet).toMatchObject({ status: 'resolved', deadlineAt: resolved?.deadlineAt });
    expect(await countRows(test, 'IssueFlag', '"issueId" = $1', [issueId])).toBe(flagsBefore);

    // Hours later a new burst about the same site: the issue reopens, audited and alerted as such.
    const again = resolvedAt.getTime() + 4 * 3600_000;
    clock.set(new Date(again + 60 * MINUTE_MS));
    const second = await analyse(Array.from({ length: 16 }, (_, k) => site(200 + k, again + k * 3 * MINUTE_MS)));
    expect(await issueOf(second[15]!)).toBe(issueId);
    const reopened = await getIssue(test.db, issueId);
    expect(reopened?.status).toBe('new');
    expect(reopened?.level).not.toBe('none');
    expect(reopened?.deadlineAt?.getTime()).toBeGreaterThan(again);
    const audits = await sqlRows(
      test,
      `SELECT action FROM "AuditLog" WHERE "entityId" = $1 AND action = 'issue.reopened'`,
      [String(issueId)],
    );
    expect(audits).toHaveLength(1);
    // (the queue layer writes job ids with _ for :)
    const alerts = await queues.queue('alert').getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(alerts.map((j) => j.id)).toContainEqual(expect.stringMatching(new RegExp(`^reopen[:_]${issueId}[:_]`)));
  }, 240_000);

  it('does not re-flag a resolved issue whose level was set by hand when posts keep coming', async () => {
    const start = Date.parse('2026-12-05T08:00:00+08:00');
    clock.set(new Date(start + 6 * 3600_000));
    await analyse(backgroundPosts(start));
    const t0 = start + 6 * 3600_000;
    const post = (k: number, minutes: number) =>
      mention(
        `青禾小区业主社保断缴（${k}）`,
        `青禾小区开发商破产后物业员工社保断缴半年，${k + 1}名员工多次反映无果，请社保中心核查。`,
        new Date(t0 + minutes * MINUTE_MS),
        { likes: 30 * k, comments: 5 * k },
      );
    clock.set(new Date(t0 + 15 * MINUTE_MS));
    const first = await analyse([post(0, 0), post(1, 5), post(2, 10), post(3, 15)]);
    const issueId = await issueOf(first[0]!);
    const level = await setIssueLevel(test.db, issueId, 'major', clock.now(), analyst);
    const resolvedAt = new Date(t0 + 20 * MINUTE_MS);
    clock.set(resolvedAt);
    await publishResponseTo(issueId, resolvedAt);
    const flags = await countRows(test, 'IssueFlag', '"issueId" = $1', [issueId]);

    clock.set(new Date(t0 + 35 * MINUTE_MS));
    const more = await analyse([post(4, 21), post(5, 25), post(6, 30), post(7, 35)]);
    expect(await issueOf(more[3]!)).toBe(issueId);
    expect(await getIssue(test.db, issueId)).toMatchObject({
      status: 'resolved',
      level: 'major',
      deadlineAt: level.deadlineAt,
    });
    expect(await countRows(test, 'IssueFlag', '"issueId" = $1', [issueId])).toBe(flags);
  }, 240_000);
});
