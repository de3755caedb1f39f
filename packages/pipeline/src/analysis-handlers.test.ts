import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, loadConfig, sha256Hex } from '@yuqing/core';
import { getIssue, insertMentions, listIssues, type MentionInsert } from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { countRows, createTestDatabase, mentionInsertFixture, sqlRows, type TestDatabase } from '@yuqing/testkit';
import {
  analyseMentions,
  createAnalyseCoalescer,
  createAnalysisHandlers,
  type AnalysisDeps,
} from './analysis-handlers.ts';
import { ModelSet } from './model-set.ts';

let test: TestDatabase;
let queues: JobQueues;
let connection: ReturnType<typeof createRedisConnection>;
let deps: AnalysisDeps;
let models: ModelSet;
const clock = new ManualClock(new Date('2026-11-27T12:00:00+08:00'));

function mention(
  n: number,
  title: string,
  body: string,
  publishedAt: Date,
  extra: Partial<MentionInsert> = {},
): MentionInsert {
  return mentionInsertFixture({
    url: `https://bbs.example.cn/thread/${n}-${randomUUID()}`,
    contentHash: sha256Hex(`${title}${body}${n}`),
    title,
    body,
    publishedAt,
    fetchedAt: publishedAt,
    ...extra,
  });
}

beforeAll(async () => {
  test = await createTestDatabase();
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
  deps = { db: test.db, queues, config: loadConfig({}), clock };
  models = new ModelSet(test.db);
});

afterAll(async () => {
  for (const q of queues.all()) await q.obliterate({ force: true });
  await queues.close();
  connection.disconnect();
  await test.drop();
});

describe('analyse-mentions', () => {
  it('classifies mentions, files reposts of one event under one issue, and leaves off-topic posts out', async () => {
    const t0 = new Date('2026-11-27T09:00:00+08:00');
    const wage = '星河物流公司拖欠工资三个月，几十名员工讨薪无门，劳动监察部门什么时候介入？';
    const rows = [
      mention(1, '星河物流公司拖欠工资', wage, t0),
      mention(2, '转：星河物流公司拖欠工资', `转：${wage}`, new Date(t0.getTime() + 10 * 60_000)),
      mention(3, '星河物流欠薪', `${wage}我们已经申请劳动仲裁。`, new Date(t0.getTime() + 20 * 60_000)),
      mention(4, '周末篮球联赛', '本周末市体育中心举行业余篮球联赛决赛，欢迎市民观赛。', t0),
      mention(
        5,
        '异地就医备案怎么办理',
        '父母退休后随我来本市生活，医保异地就医备案需要什么材料？报销比例是多少？',
        t0,
      ),
    ];
    const inserted = await insertMentions(test.db, rows);
    const ids = inserted.map((r) => r.id);
    const result = await analyseMentions(deps, models, ids);
    expect(result.analysed).toBe(5);

    const issues = await listIssues(test.db, {});
    const items = 'items' in issues ? issues.items : issues;
    const wageIssue = items.find((i: { title: string }) => i.title.includes('星河物流'));
    expect(wageIssue, JSON.stringify(items.map((i: { title: string }) => i.title))).toBeDefined();
    const detail = await getIssue(test.db, wageIssue!.id);
    expect(detail?.mentionCount).toBe(3);
    const basketball = items.find((i: { title: string }) => i.title.includes('篮球'));
    expect(basketball).toBeUndefined();

    // A retried job analyses nothing twice.
    const again = await analyseMentions(deps, models, ids);
    expect(again).toMatchObject({ analysed: 0, skipped: 5 });
  });

  it('flags a planted burst within one window and enqueues an alert, with no flag for a flat background', async () => {
    const start = new Date('2026-11-28T08:00:00+08:00');
    const background = [
      ['养老金调整什么时候发放', '今年养老金调整的补发款什么时候到账？'],
      ['社保卡补办流程', '社保卡丢了，补办需要带什么材料，多久能拿到？'],
      ['职业技能培训补贴', '参加电工职业技能培训，补贴怎么申请？'],
      ['失业保险金申领', '离职后失业保险金在哪里申领，能领几个月？'],
      ['灵活就业缴费基数', '灵活就业人员养老保险缴费基数今年是多少？'],
    ];
    const flat: MentionInsert[] = [];
    for (let hour = 0; hour < 6; hour++) {
      background.forEach(([title, body], k) =>
        flat.push(
          mention(
            1000 + hour * 10 + k,
            `${title}（${hour}）`,
            `${body}第${hour}次询问。`,
            new Date(start.getTime() + hour * 3600_000 + k * 600_000),
          ),
        ),
      );
    }
    const flatIds = (await insertMentions(test.db, flat)).map((r) => r.id);
    clock.set(new Date(start.getTime() + 6 * 3600_000));
    const flatResult = await analyseMentions(deps, models, flatIds);
    expect(flatResult.flags).toBe(0);

    const burstStart = new Date(start.getTime() + 6 * 3600_000);
    const burst: MentionInsert[] = [];
    for (let k = 0; k < 16; k++) {
      burst.push(
        mention(
          2000 + k,
          `宏达建筑工地拖欠农民工工资（${k}）`,
          `宏达建筑公司在城东新区工地拖欠农民工工资，${k + 1}名工人到劳动监察大队反映，要求尽快发放欠薪。`,
          new Date(burstStart.getTime() + k * 3 * 60_000),
          { likes: 20 * k, comments: 3 * k },
        ),
      );
    }
    const burstIds = (await insertMentions(test.db, burst)).map((r) => r.id);
    clock.set(new Date(burstStart.getTime() + 2 * 3600_000));
    // Later background posts close the burst window.
    const later = (
      await insertMentions(test.db, [
        mention(3000, '养老金查询', '养老金到账了吗？', new Date(burstStart.getTime() + 90 * 60_000)),
      ])
    ).map((r) => r.id);
    const burstResult = await analyseMentions(deps, models, [...burstIds, ...later]);
    expect(burstResult.flags).toBeGreaterThanOrEqual(1);

    const flagged = await listIssues(test.db, { level: ['general', 'major', 'severe'] });
    const items = 'items' in flagged ? flagged.items : flagged;
    expect(items.some((i: { title: string }) => i.title.includes('宏达建筑'))).toBe(true);
    expect(items.some((i: { title: string }) => /养老金|社保卡|培训|失业|灵活就业/.test(i.title))).toBe(false);
    const alerts = await queues.queue('alert').getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(alerts.map((j) => j.name)).toContain('issue-flagged');
    // The reason is written in Chinese (the flag row, the audit trail and the digest all show it).
    const reasons = alerts.filter((j) => j.name === 'issue-flagged').map((j) => (j.data as { reason?: string }).reason);
    for (const reason of reasons) expect(reason).toMatch(/^(升级：)?热度 \d+\.\d，为「.+」类日常水平的 \d+\.\d 倍$/);
  });

  it('never analyses a mention twice when two workers race on the same batch', async () => {
    const rows = Array.from({ length: 12 }, (_, k) =>
      mention(
        4000 + k,
        `工伤认定咨询 ${k}`,
        `在工地受伤，工伤认定需要多长时间？第${k}位工友提问。`,
        new Date('2026-11-29T10:00:00+08:00'),
      ),
    );
    const ids = (await insertMentions(test.db, rows)).map((r) => r.id);
    const [a, b] = await Promise.all([
      analyseMentions(deps, new ModelSet(test.db), ids),
      analyseMentions(deps, new ModelSet(test.db), ids),
    ]);
    expect(a.analysed + b.analysed).toBe(12);
  });

  it('analyses the jobs a worker holds at once as one group and gives each job its own counts', async () => {
    const rows = Array.from({ length: 9 }, (_, k) =>
      mention(
        5000 + k,
        `失业保险金申领 ${k}`,
        `失业后怎么申领失业保险金？需要哪些材料？第${k}位市民咨询。`,
        new Date('2026-11-29T11:00:00+08:00'),
      ),
    );
    const ids = (await insertMentions(test.db, rows)).map((r) => r.id);
    const analyse = createAnalyseCoalescer(deps, models);
    // The first two jobs start groups of their own; the others arrive while those run and share the next group.
    const [first, a, b, again] = await Promise.all([
      analyse.submit(ids.slice(0, 3)),
      analyse.submit(ids.slice(3, 6)),
      analyse.submit(ids.slice(6)),
      analyse.submit(ids.slice(0, 3)),
    ]);
    expect([first.analysed, a.analysed, b.analysed, again.analysed]).toEqual([3, 3, 3, 0]);
    expect(again.skipped).toBe(3);
    const analyses = await countRows(test, 'Analysis', '"mentionId" = ANY($1)', [ids]);
    expect(analyses).toBe(9);
    const filed = await countRows(test, 'Mention', 'id = ANY($1) AND relevant AND "issueId" IS NOT NULL', [ids]);
    expect(filed).toBe(a.relevant + b.relevant + first.relevant);
    // Issue aggregates are added to, not recomputed: they must still agree with the mentions filed under them.
    const drift = await sqlRows(
      test,
      `
      SELECT i.id FROM "Issue" i LEFT JOIN (SELECT "issueId", count(*)::int AS n, (count(*) FILTER (WHERE sentiment = 'negative'))::int AS neg
                                              FROM "Mention" WHERE "issueId" IS NOT NULL GROUP BY "issueId") m ON m."issueId" = i.id
       WHERE i."mentionCount" <> COALESCE(m.n, 0) OR (i."sentimentMix"->>'negative')::int <> COALESCE(m.neg, 0)`,
    );
    expect(drift).toEqual([]);
  });

  it('exposes handlers for the analyse, alert and maintenance queues', () => {
    const handlers = createAnalysisHandlers(deps);
    expect(Object.keys(handlers).sort()).toEqual([
      'advance-engine',
      'analyse-mentions',
      'deliver-alert',
      'deliver-alert-batch',
      'escalate-alerts',
      'evaluate-alert-triggers',
      'issue-flagged',
      'retrain-models',
    ]);
  });
});
