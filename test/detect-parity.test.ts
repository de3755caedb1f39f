// `yq detect` and the analysis worker run the same pipeline functions: on the same stream they must file the same
// mentions together and reach the same levels, folds of sibling issues included. The worker side is the real thing (ingest into PostgreSQL, analysis
// jobs of a crawl's batch size under the clustering lock); the replay side is what `yq detect` runs.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock } from '@yuqing/core';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import type { RawMention } from '@yuqing/domain';
import { analyseMentions, ingestMentions, ModelSet, replayStream, type ReplayMention } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues } from '@yuqing/queue';

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T08:00:00+08:00');
/** Mentions per worker job: a crawl emits in batches; the replay groups 1,000 at a time, so boundaries differ. */
const JOB_SIZE = 7;

const BACKGROUND = [
  '请问灵活就业人员社保在哪里缴费',
  '咨询职称评审的申报时间',
  '失业保险金申领需要什么材料',
  '人才引进补贴什么时候发',
  '退休手续办理要多久',
  '工伤认定的流程是什么',
  '技能培训补贴怎么申请',
  '社保卡丢了在哪补办',
  '居民医保缴费标准',
  '病退条件和流程',
];

/** A day of ordinary HR questions, two bursts (unpaid wages at one company, a hospital refusing 医保 cards) with reposts. */
function stream(): ReplayMention[] {
  const lines: ReplayMention[] = BACKGROUND.flatMap((text, k) =>
    Array.from({ length: 6 }, (_, i) => ({
      id: `bg${k}-${i}`,
      text: `${text}${['', '，谢谢', '？'][i % 3]}`,
      at: START + (k * 6 + i) * 23 * MINUTE,
      likes: i % 4,
    })),
  );
  for (let i = 0; i < 18; i++) {
    lines.push({
      id: `wage${i}`,
      title: '宏达建筑公司拖欠农民工工资',
      text:
        i > 0 && i < 4
          ? '宏达建筑公司拖欠农民工工资，工人们聚集讨薪，劳动监察部门还没有回应'
          : `宏达建筑公司拖欠农民工工资，${i % 2 ? '上百名工人' : '工人们'}聚集讨薪，劳动监察部门还没有回应，已经${i + 2}个月`,
      at: START + 20 * 60 * MINUTE + i * 3 * MINUTE,
      likes: 40 + i * 8,
      reposts: 15,
    });
  }
  for (let i = 0; i < 12; i++) {
    lines.push({
      id: `med${i}`,
      title: '仁和医院拒收医保卡',
      text: `仁和医院门诊突然不能用医保卡结算，参保人只能自费${i % 3 ? '，医保局电话打不通' : ''}，第${i + 1}位患者反映`,
      at: START + 10 * 60 * MINUTE + i * 5 * MINUTE,
      likes: 20 + i * 5,
      reposts: 6,
    });
  }
  // One case told two ways, then by posts that tell both: the second way's issue is folded into the first.
  FOLD_CASE.forEach(([id, text], k) =>
    lines.push({ id, text, at: START + 4 * 60 * MINUTE + k * 7 * MINUTE, likes: 3 }),
  );
  return lines;
}

/** Unpaid wages, then the boss gone and inspectors idle, then both (packages/nlp issue-merging.test.ts). */
const FOLD_CASE: [string, string][] = [
  ['foldw0', '远航物流公司拖欠农民工工资，工人聚集讨薪'],
  ['foldw1', '远航物流公司拖欠农民工工资三个月，工人讨薪无门'],
  ['foldw2', '远航物流公司欠农民工工资，上百名工人聚集讨薪'],
  ['foldb0', '远航物流仓库老板跑路，劳动监察大队不作为，农民工过年回不了家'],
  ['foldb1', '远航物流仓库老板跑路了，劳动监察大队一直不作为'],
  ['foldb2', '远航物流仓库老板跑路，农民工过年回不了家，劳动监察大队推诿'],
  ['foldx0', '远航物流公司拖欠农民工工资，仓库老板跑路，劳动监察大队不作为'],
  ['foldx1', '远航物流公司仓库老板跑路，拖欠农民工工资，讨薪无门'],
  ['foldx2', '远航物流公司拖欠农民工工资，仓库老板跑路，劳动监察大队不作为，请领导关注'],
  ['foldx3', '远航物流公司仓库老板跑路，拖欠农民工工资，讨薪无门，请领导关注'],
  ['foldx4', '远航物流仓库老板跑路，劳动监察大队不作为，农民工拿不到工资'],
];

let test: TestDatabase;
let queues: JobQueues;
let connection: ReturnType<typeof createRedisConnection>;

beforeAll(async () => {
  test = await createTestDatabase();
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
});

afterAll(async () => {
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true });
  await queues?.close();
  connection?.disconnect();
  await test?.drop();
});

/** Stream id → (group key, level) as a partition: sorted member lists, each with its level. */
function partition(groups: Array<{ members: string[]; level: string | null }>): string[] {
  return groups.map((g) => `${[...g.members].sort().join(',')} @${g.level ?? 'none'}`).sort();
}

describe('yq detect and the worker', () => {
  it('file the same mentions under the same issues and reach the same levels', async () => {
    const lines = stream();
    const ordered = [...lines].sort((a, b) => a.at - b.at);
    // The worker: ingest (as crawls hand items over), then analysis jobs in arrival order.
    const clock = new ManualClock(ordered.at(-1)!.at + 60 * MINUTE);
    const deps = { db: test.db, queues, config: loadConfig({}), clock };
    const models = new ModelSet(test.db);
    for (let i = 0; i < ordered.length; i += JOB_SIZE) {
      const items: RawMention[] = ordered
        .slice(i, i + JOB_SIZE)
        .map((m) => ({
          url: `https://bbs.example.cn/thread/${m.id}`,
          title: m.title ?? '',
          body: m.text,
          publishedAt: new Date(m.at).toISOString(),
          likes: m.likes ?? 0,
          reposts: m.reposts ?? 0,
        }));
      const stored = await ingestMentions(test.db, items, { clock });
      expect(stored.stored).toBe(items.length);
      await analyseMentions(deps, models, stored.mentionIds);
    }
    const rows = await sqlRows<{ url: string; issue: number; level: string }>(
      test,
      `SELECT m.url, m."issueId" AS issue, i.level::text AS level FROM "Mention" m JOIN "Issue" i ON i.id = m."issueId"`,
    );
    const byIssue = new Map<number, { members: string[]; level: string | null }>();
    for (const r of rows) {
      const group = byIssue.get(r.issue) ?? { members: [], level: r.level === 'none' ? null : r.level };
      group.members.push(r.url.slice(r.url.lastIndexOf('/') + 1));
      byIssue.set(r.issue, group);
    }

    // The replay, as `yq detect --relevant-only` runs it.
    const replay = replayStream(lines, { models: await models.get() });
    const replayed = replay.issues.map((i) => ({ members: i.mentionIds, level: i.level === 'none' ? null : i.level }));

    // The stream is meaningful: both bursts were flagged, and the worker filed most posts.
    expect(rows.length).toBeGreaterThan(lines.length / 2);
    const wage = replayed.find((g) => g.members.includes('wage0'));
    expect(wage?.level).not.toBeNull();
    expect(wage?.members.filter((id) => id.startsWith('wage')).length).toBeGreaterThanOrEqual(15);
    expect(replayed.find((g) => g.members.includes('med0'))?.level).not.toBeNull();
    // The fold case ends in one issue, and only through the fold: without folding, its second telling stays apart.
    const fold = replayed.find((g) => g.members.includes('foldw0'))!;
    expect(FOLD_CASE.every(([id]) => fold.members.includes(id))).toBe(true);
    const unfolded = replayStream(lines, {
      models: await models.get(),
      hotIssueOptions: { siblingSimilarity: Infinity },
    });
    expect(unfolded.issues.find((i) => i.mentionIds.includes('foldw0'))!.mentionIds).not.toContain('foldb0');
    expect(partition(replayed)).toEqual(partition([...byIssue.values()]));
  });
});
