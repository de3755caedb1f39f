// Clustering folds a fragment issue into its sibling about the same event: in the database its mentions move over,
// it becomes merged and the fold is audited (自动合并同一事件的议题). An issue people have acted on — a title set by
// hand, confirmed, flagged, assigned — is never folded: an analyst's decision is data.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock } from '@yuqing/core';
import {
  assignMentionsToIssues,
  confirmIssue,
  foldClusteredIssue,
  insertMentions,
  ISSUE_FOLD_ACTION,
  listAudit,
  recordIssueFlag,
  setIssueTitle,
  upsertClusteredIssues,
  withEngineState,
  type DbTx,
  type FoldOutcome,
} from '@yuqing/db';
import { AUDIT_ACTION_LABELS } from '@yuqing/domain';
import { analyseMentions, ingestMentions, ModelSet } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { createTestDatabase, mentionInsertFixture, sqlRows, type TestDatabase } from '@yuqing/testkit';

let test: TestDatabase;
let queues: JobQueues;
let connection: ReturnType<typeof createRedisConnection>;

const START = Date.parse('2026-03-02T09:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;

beforeAll(async () => {
  test = await createTestDatabase();
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
}, 120_000);

afterAll(async () => {
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true });
  await queues?.close();
  connection?.disconnect();
  await test?.drop();
});

/** Runs `fn` in a transaction, as the analysis worker runs clustering's writes (a private lock key). */
function inTransaction<T>(fn: (tx: DbTx) => Promise<T>): Promise<T> {
  return withEngineState(test.db, `test-fold-${randomUUID()}`, async (_state, tx) => ({
    state: undefined,
    result: await fn(tx),
  }));
}

/** A stored clustered issue with `n` mentions of its own; returns its id. */
async function clusteredIssue(key: string, n: number): Promise<number> {
  const at = new Date(START);
  const ids = await inTransaction((tx) =>
    upsertClusteredIssues(tx, [
      {
        clusterKey: key,
        title: `议题 ${key}`,
        keywords: ['欠薪'],
        places: [],
        category: '劳动关系',
        hotness: 1,
        firstSeenAt: at,
        lastSeenAt: at,
        level: 'none',
        flaggedAt: null,
      },
    ]),
  );
  const issueId = ids.get(key)!;
  const mentions = await insertMentions(
    test.db,
    Array.from({ length: n }, (_, i) =>
      mentionInsertFixture({ title: `${key} 第${i + 1}帖`, body: `宏达建筑公司拖欠工资 ${key} ${i}`, publishedAt: at }),
    ),
  );
  await inTransaction((tx) =>
    assignMentionsToIssues(
      tx,
      mentions.map((m) => ({ mentionId: m.id, issueId })),
    ),
  );
  return issueId;
}

async function issueRow(id: number) {
  const [row] = await sqlRows<{ status: string; mergedIntoId: number | null; mentions: number }>(
    test,
    `SELECT status::text AS status, "mergedIntoId", (SELECT count(*)::int FROM "Mention" m WHERE m."issueId" = i.id) AS mentions
       FROM "Issue" i WHERE id = $1`,
    [id],
  );
  return row!;
}

describe('folding a clustered issue into its sibling', () => {
  it('moves a fragment’s mentions, marks it merged and audits the fold on the target', async () => {
    const key = `fold-${randomUUID()}`;
    const target = await clusteredIssue(`${key}-target`, 3);
    const fragment = await clusteredIssue(`${key}-fragment`, 2);
    const outcome = await inTransaction((tx) =>
      foldClusteredIssue(tx, { clusterKey: `${key}-fragment`, intoId: target, similarity: 0.612 }),
    );
    expect(outcome).toEqual({ action: 'folded', issueId: fragment, mentions: 2 } satisfies FoldOutcome);
    expect(await issueRow(fragment)).toEqual({ status: 'merged', mergedIntoId: target, mentions: 0 });
    expect(await issueRow(target)).toEqual({ status: 'new', mergedIntoId: null, mentions: 5 });
    const [stats] = await sqlRows<{ mentionCount: number }>(test, `SELECT "mentionCount" FROM "Issue" WHERE id = $1`, [
      target,
    ]);
    expect(stats!.mentionCount).toBe(5);
    const audit = await listAudit(test.db, { entityType: 'issue', entityId: String(target) });
    expect(audit.map((a) => a.action)).toEqual([ISSUE_FOLD_ACTION]);
    expect(audit[0]!.actorId).toBeNull();
    expect(audit[0]!.details).toMatchObject({ merged: [fragment], mentions: 2, similarity: 0.61 });
    expect(AUDIT_ACTION_LABELS[ISSUE_FOLD_ACTION]).toBe('自动合并同一事件的议题');
    // Twice is nothing more: the fragment already went.
    expect(
      await inTransaction((tx) => foldClusteredIssue(tx, { clusterKey: `${key}-fragment`, intoId: target })),
    ).toEqual({ action: 'absent' });
    // An issue clustering never stored (it lived within one batch) is absent too.
    expect(await inTransaction((tx) => foldClusteredIssue(tx, { clusterKey: `${key}-never`, intoId: target }))).toEqual(
      { action: 'absent' },
    );
  });

  it('refuses an issue with a title set by hand, a flagged one and a confirmed one, changing nothing', async () => {
    const key = `held-${randomUUID()}`;
    const target = await clusteredIssue(`${key}-target`, 3);
    const actor = { actorId: null };
    const titled = await clusteredIssue(`${key}-titled`, 2);
    await setIssueTitle(test.db, titled, '分析员改写的标题', actor);
    const flagged = await clusteredIssue(`${key}-flagged`, 2);
    await inTransaction((tx) =>
      recordIssueFlag(tx, {
        issueId: flagged,
        level: 'general',
        reason: '测试',
        at: new Date(START),
        deadlineAt: new Date(START + 72 * 60 * MIN),
      }),
    );
    const confirmed = await clusteredIssue(`${key}-confirmed`, 2);
    await confirmIssue(test.db, confirmed, actor, { now: new Date(START) });
    for (const [name, id] of [
      ['titled', titled],
      ['flagged', flagged],
      ['confirmed', confirmed],
    ] as const) {
      const before = await issueRow(id);
      const outcome = await inTransaction((tx) =>
        foldClusteredIssue(tx, { clusterKey: `${key}-${name}`, intoId: target }),
      );
      expect(outcome, name).toEqual({ action: 'refused', issueId: id, why: 'people-acted' });
      expect(await issueRow(id), name).toEqual(before);
      expect(before.mentions, name).toBe(2);
    }
    expect((await issueRow(target)).mentions).toBe(3);
    expect(
      (await listAudit(test.db, { entityType: 'issue', entityId: String(target) })).map((a) => a.action),
    ).not.toContain(ISSUE_FOLD_ACTION);
  });
});

/** One wage case told two ways, then by posts that tell both (as in packages/nlp issue-merging.test.ts). */
const WAGES = [
  '远航物流公司拖欠农民工工资，工人聚集讨薪',
  '远航物流公司拖欠农民工工资三个月，工人讨薪无门',
  '远航物流公司欠农民工工资，上百名工人聚集讨薪',
];
const BOSS_GONE = [
  '远航物流仓库老板跑路，劳动监察大队不作为，农民工过年回不了家',
  '远航物流仓库老板跑路了，劳动监察大队一直不作为',
  '远航物流仓库老板跑路，农民工过年回不了家，劳动监察大队推诿',
];
const BOTH = [
  '远航物流公司拖欠农民工工资，仓库老板跑路，劳动监察大队不作为',
  '远航物流公司仓库老板跑路，拖欠农民工工资，讨薪无门',
  '远航物流公司拖欠农民工工资，仓库老板跑路，劳动监察大队不作为，请领导关注',
  '远航物流公司仓库老板跑路，拖欠农民工工资，讨薪无门，请领导关注',
  '远航物流仓库老板跑路，劳动监察大队不作为，农民工拿不到工资',
];

/**
 * Files the case through the analysis worker on a fresh database, three posts per job as a crawl hands them over
 * (the fragment is stored before the fold); `afterJob` runs after each job. Returns each post's issue id (by post
 * index), the merged issues and the fold audit entries.
 */
async function fileCase(
  company: string,
  afterJob: (job: number, db: TestDatabase, issueOfPost: (k: number) => Promise<number | null>) => Promise<void>,
) {
  const posts = [...WAGES, ...BOSS_GONE, ...BOTH].map((text, k) => ({
    text: text.replaceAll('远航物流', company),
    at: START + k * 7 * MIN,
    k,
  }));
  const clock = new ManualClock(posts.at(-1)!.at + 30 * MIN);
  const db = await createTestDatabase();
  try {
    const deps = { db: db.db, queues, config: loadConfig({}), clock };
    const models = new ModelSet(db.db);
    const idOf = new Map<number, number>();
    const issueOfPost = async (k: number) => {
      const rows = await sqlRows<{ issueId: number | null }>(db, `SELECT "issueId" FROM "Mention" WHERE id = $1`, [
        idOf.get(k),
      ]);
      return rows[0]?.issueId ?? null;
    };
    for (let i = 0; i < posts.length; i += 3) {
      const items = posts
        .slice(i, i + 3)
        .map((p) => ({
          url: `https://bbs.example.cn/fold/${randomUUID()}`,
          title: '',
          body: p.text,
          publishedAt: new Date(p.at).toISOString(),
          likes: 3,
        }));
      const stored = await ingestMentions(db.db, items, { clock });
      stored.mentionIds.forEach((id, j) => idOf.set(posts[i + j]!.k, id));
      await analyseMentions(deps, models, stored.mentionIds);
      await afterJob(i / 3, db, issueOfPost);
    }
    const issueOf = new Map<number, number | null>();
    for (const k of idOf.keys()) issueOf.set(k, await issueOfPost(k));
    const merged = await sqlRows<{ id: number; mergedIntoId: number | null }>(
      db,
      `SELECT id, "mergedIntoId" FROM "Issue" WHERE status = 'merged'`,
    );
    const audit = (await listAudit(db.db, { limit: 1000 })).filter((a) => a.action === ISSUE_FOLD_ACTION);
    // The issues the clustering engine holds at the end (its shared state), by cluster key.
    const [engine] = await sqlRows<{ keys: string[] }>(
      db,
      `SELECT ARRAY(SELECT jsonb_array_elements(state->'engine'->'issues')->>'id') AS keys FROM "EngineState"
        WHERE key = 'issue-clustering'`,
    );
    return { issueOf, merged, audit, engineKeys: new Set(engine!.keys) };
  } finally {
    await db.drop();
  }
}

describe('the analysis worker', () => {
  it('folds a stored fragment into its sibling when later posts show they are one event', async () => {
    const { issueOf, merged, audit } = await fileCase('远航物流', async () => {});
    const wageIssue = issueOf.get(0);
    expect(wageIssue).not.toBeNull();
    // Every post of the case is in one issue, the fragment's included.
    for (const [k, issue] of issueOf) expect(issue, `post ${k}`).toBe(wageIssue);
    expect(merged).toEqual([{ id: expect.any(Number), mergedIntoId: wageIssue }]);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entityId).toBe(String(wageIssue));
    expect(audit[0]!.details).toMatchObject({ merged: [merged[0]!.id], mentions: BOSS_GONE.length });
  }, 180_000);

  it('never folds away a fragment an analyst confirmed, whatever the posts after', async () => {
    let fragment: number | null = null;
    let fragmentKey: string | undefined;
    const { issueOf, merged, audit, engineKeys } = await fileCase('长风物流', async (job, db, issueOfPost) => {
      // After the job that stored the fragment (posts 3–5), an analyst confirms it (no field locked: only its status).
      if (job !== 1) return;
      fragment = await issueOfPost(WAGES.length);
      expect(fragment).not.toBeNull();
      expect(fragment).not.toBe(await issueOfPost(0));
      await confirmIssue(db.db, fragment!, { actorId: null }, { now: new Date(START + HOUR) });
      fragmentKey = (
        await sqlRows<{ k: string }>(db, `SELECT "clusterKey" AS k FROM "Issue" WHERE id = $1`, [fragment])
      )[0]!.k;
    });
    // Its posts are still its own and it was merged nowhere (the rest of the event may be folded into it).
    for (const k of BOSS_GONE.keys()) expect(issueOf.get(WAGES.length + k), `post ${WAGES.length + k}`).toBe(fragment);
    expect(merged.map((m) => m.id)).not.toContain(fragment);
    for (const a of audit) expect((a.details as { merged: number[] }).merged).not.toContain(fragment);
    // Clustering itself kept it (the database's refusal is only the last guard): later posts can still join it.
    expect(engineKeys.has(fragmentKey!)).toBe(true);
  }, 180_000);
});
