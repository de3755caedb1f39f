// Conflicting state transitions fired together on real PostgreSQL (issue #20 item 2): every response transition
// (submit, approve / return, publish) and issue transition (confirm / dismiss, merge, split) runs under a row lock,
// so exactly one of a conflicting pair wins, the loser gets a CONFLICT (HTTP 409) and the audit log records only
// the winner. Each scenario runs ROUNDS times on fresh rows; PGlite (which serialises everything) gets a short run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '@yuqing/core';
import {
  approveResponse,
  attachMentionsToIssue,
  confirmIssue,
  createIssue,
  createResponse,
  createUser,
  dismissIssue,
  getResponse,
  listAudit,
  mergeIssues,
  openDatabase,
  publishResponse,
  returnResponse,
  splitIssue,
  submitResponse,
  type AuditActor,
  type Database,
  type Db,
} from '@yuqing/db';
import { createTestDatabase, seedMention, sqlRows, withClient, type TestDatabase } from '@yuqing/testkit';

/** Rounds per scenario: a race that slips through once in a few tries still shows. */
const ROUNDS = 20;
/** PGlite serialises every statement; a few rounds show the locks work there too. */
const PGLITE_ROUNDS = 3;
/** Seeding and racing 20 rounds on a busy 2-core machine. */
const SCENARIO_TIMEOUT_MS = 180_000;

let pgdb: TestDatabase;
let userId: number;
let actor: AuditActor;

beforeAll(async () => {
  pgdb = await createTestDatabase();
  const user = await createUser(pgdb.db, {
    username: 'racer',
    displayName: '并发测试',
    passwordHash: 'x',
    role: 'admin',
  });
  userId = user.id;
  actor = { actorId: user.id };
});
afterAll(async () => {
  await pgdb?.drop();
});

type Settled = PromiseSettledResult<unknown>;

/** How many of the settled calls won, and the codes of those that lost. */
function outcome(results: Settled[]): { won: number; lostCodes: string[] } {
  return {
    won: results.filter((r) => r.status === 'fulfilled').length,
    lostCodes: results
      .filter((r) => r.status === 'rejected')
      .map((r) => errorCode((r as PromiseRejectedResult).reason)),
  };
}

/**
 * Counts how often each observation came up over the rounds, so a failing scenario shows its whole distribution
 * (e.g. 19 of 20 rounds decided twice) rather than only the first bad round.
 */
class Tally {
  readonly seen = new Map<string, number>();
  add(observation: unknown): void {
    const key = JSON.stringify(observation);
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
  }
  /** The distribution as a plain object for `toEqual`. */
  get counts(): Record<string, number> {
    return Object.fromEntries(this.seen);
  }
}

/** Every round must have observed `expected`. */
function expectEveryRound(tally: Tally, expected: unknown, rounds: number): void {
  expect(tally.counts).toEqual({ [JSON.stringify(expected)]: rounds });
}

/** How many audit rows of these actions the entity has (read through the pool: no connection per check). */
async function auditCount(db: Db, entityType: string, entityId: number, actions: string[]): Promise<number> {
  const rows = await listAudit(db, { entityType, entityId: String(entityId), limit: 1000 });
  return rows.filter((row) => actions.includes(row.action)).length;
}

/** A response as stored, with its decisions and publish records. */
async function storedResponse(db: Db, id: number) {
  const response = await getResponse(db, id);
  if (!response) throw new Error(`response ${id} vanished`);
  return response;
}

async function newIssue(db: Db, status: 'new' | 'confirmed' = 'confirmed') {
  const now = new Date();
  return createIssue(db, { title: '并发议题', status, level: 'general', firstSeenAt: now, lastSeenAt: now });
}

/** A response to a fresh issue, moved on to `status` through the repository's own transitions. */
async function responseIn(db: Db, status: 'draft' | 'submitted' | 'approved') {
  const issue = await newIssue(db);
  const now = new Date();
  const response = await createResponse(db, { issueId: issue.id, authorId: userId, body: '口径正文', now }, actor);
  if (status !== 'draft') await submitResponse(db, response.id, now, actor);
  if (status === 'approved') await approveResponse(db, response.id, { deciderId: userId, now }, actor);
  return response;
}

/** Runs the approve-versus-return race `rounds` times and checks every round had one decision. */
async function approveReturnRounds(db: Db, rounds: number): Promise<void> {
  const tally = new Tally();
  for (let round = 0; round < rounds; round++) {
    const response = await responseIn(db, 'submitted');
    const now = new Date();
    const results = await Promise.allSettled([
      approveResponse(db, response.id, { deciderId: userId, now }, actor),
      returnResponse(db, response.id, { deciderId: userId, comment: '请修改', now }, actor),
    ]);
    const { won, lostCodes } = outcome(results);
    const stored = await storedResponse(db, response.id);
    const audits = await auditCount(db, 'response', response.id, ['response.approve', 'response.return']);
    // The stored status must be the one decision's, not whichever write came last.
    tally.add({
      won,
      lostCodes,
      approvals: stored.approvals.length,
      audits,
      statusMatches: stored.approvals.length === 1 && stored.status === stored.approvals[0]!.decision,
    });
  }
  expectEveryRound(tally, { won: 1, lostCodes: ['CONFLICT'], approvals: 1, audits: 1, statusMatches: true }, rounds);
}

describe('response transitions race on PostgreSQL', () => {
  it(
    'approve and return sent together: exactly one decides',
    async () => {
      await approveReturnRounds(pgdb.db, ROUNDS);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'three concurrent publishes: one publish record, one audit row, the issue resolved once',
    async () => {
      const tally = new Tally();
      for (let round = 0; round < ROUNDS; round++) {
        const response = await responseIn(pgdb.db, 'approved');
        const publish = (channel: string) =>
          publishResponse(
            pgdb.db,
            response.id,
            { channel, url: null, publishedAt: new Date(), publishedById: userId },
            actor,
          );
        const { won, lostCodes } = outcome(
          await Promise.allSettled([publish('官网'), publish('微博'), publish('微信')]),
        );
        const records = (await storedResponse(pgdb.db, response.id)).publishes.length;
        const audits = await auditCount(pgdb.db, 'response', response.id, ['response.publish']);
        const resolves = await auditCount(pgdb.db, 'issue', response.issueId, ['issue.resolve']);
        tally.add({ won, lostCodes, records, audits, resolves });
      }
      expectEveryRound(
        tally,
        { won: 1, lostCodes: ['CONFLICT', 'CONFLICT'], records: 1, audits: 1, resolves: 1 },
        ROUNDS,
      );
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'a double submit: one submission',
    async () => {
      const tally = new Tally();
      for (let round = 0; round < ROUNDS; round++) {
        const response = await responseIn(pgdb.db, 'draft');
        const now = new Date();
        const { won, lostCodes } = outcome(
          await Promise.allSettled([
            submitResponse(pgdb.db, response.id, now, actor),
            submitResponse(pgdb.db, response.id, now, actor),
          ]),
        );
        const audits = await auditCount(pgdb.db, 'response', response.id, ['response.submit']);
        tally.add({ won, lostCodes, audits });
      }
      expectEveryRound(tally, { won: 1, lostCodes: ['CONFLICT'], audits: 1 }, ROUNDS);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

describe('issue transitions race on PostgreSQL', () => {
  it(
    'confirm and dismiss of the same new issue together: exactly one decides',
    async () => {
      const tally = new Tally();
      for (let round = 0; round < ROUNDS; round++) {
        const issue = await newIssue(pgdb.db, 'new');
        const { won, lostCodes } = outcome(
          await Promise.allSettled([
            confirmIssue(pgdb.db, issue.id, actor, { now: new Date(), expectedStatus: 'new' }),
            dismissIssue(pgdb.db, issue.id, '无关', actor, { expectedStatus: 'new' }),
          ]),
        );
        const audits = await sqlRows<{ action: string; from: string }>(
          pgdb,
          `SELECT action, details->>'from' AS "from" FROM "AuditLog"
             WHERE "entityType" = 'issue' AND "entityId" = $1 AND action IN ('issue.confirm', 'issue.dismiss')`,
          [String(issue.id)],
        );
        const [row] = await sqlRows<{ status: string }>(pgdb, 'SELECT status FROM "Issue" WHERE id = $1', [issue.id]);
        const statusMatches =
          audits.length === 1 && row!.status === (audits[0]!.action === 'issue.confirm' ? 'confirmed' : 'dismissed');
        tally.add({ won, lostCodes, audits: audits.length, statusMatches });
      }
      expectEveryRound(tally, { won: 1, lostCodes: ['CONFLICT'], audits: 1, statusMatches: true }, ROUNDS);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'crossing merges (A ← B and B ← A together): one merge, no deadlock',
    async () => {
      const tally = new Tally();
      for (let round = 0; round < ROUNDS; round++) {
        const a = await newIssue(pgdb.db);
        const b = await newIssue(pgdb.db);
        for (const issue of [a, b]) {
          const m = await seedMention(pgdb.db, { title: `提及${issue.id}`, body: '正文' });
          await attachMentionsToIssue(pgdb.db, issue.id, [m.id]);
        }
        const { won, lostCodes } = outcome(
          await Promise.allSettled([
            mergeIssues(pgdb.db, a.id, [b.id], actor),
            mergeIssues(pgdb.db, b.id, [a.id], actor),
          ]),
        );
        const merged = await sqlRows<{ id: number }>(
          pgdb,
          `SELECT id FROM "Issue" WHERE id = ANY($1) AND status = 'merged'`,
          [[a.id, b.id]],
        );
        const audits =
          (await auditCount(pgdb.db, 'issue', a.id, ['issue.merge'])) +
          (await auditCount(pgdb.db, 'issue', b.id, ['issue.merge']));
        tally.add({ won, lostCodes, merged: merged.length, audits });
      }
      expectEveryRound(tally, { won: 1, lostCodes: ['CONFLICT'], merged: 1, audits: 1 }, ROUNDS);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'split and merge of the same issue together: the outcome of one serial order (a split never acts on a merged issue)',
    async () => {
      const tally = new Tally();
      for (let round = 0; round < ROUNDS; round++) {
        const a = await newIssue(pgdb.db);
        const b = await newIssue(pgdb.db);
        const ids: number[] = [];
        for (let i = 0; i < 2; i++)
          ids.push((await seedMention(pgdb.db, { title: `提及${a.id}-${i}`, body: '正文' })).id);
        await attachMentionsToIssue(pgdb.db, a.id, ids);
        const [merge, split] = await Promise.allSettled([
          mergeIssues(pgdb.db, b.id, [a.id], actor),
          splitIssue(pgdb.db, a.id, [ids[0]!], '拆分', actor),
        ]);
        const owners = await sqlRows<{ id: number; issueId: number }>(
          pgdb,
          'SELECT id, "issueId" FROM "Mention" WHERE id = ANY($1) ORDER BY id',
          [ids],
        );
        const audits = await sqlRows<{ action: string }>(
          pgdb,
          `SELECT action FROM "AuditLog" WHERE "entityType" = 'issue' AND "entityId" = ANY($1)
             AND action IN ('issue.merge', 'issue.split') ORDER BY id`,
          [[String(a.id), String(b.id)]],
        );
        // Split first: the split-off mention has its own issue, the other went to B; then the merge.
        const splitThenMerge =
          merge.status === 'fulfilled' &&
          split.status === 'fulfilled' &&
          audits.map((x) => x.action).join() === 'issue.split,issue.merge' &&
          owners[0]!.issueId !== b.id &&
          owners[0]!.issueId !== a.id &&
          owners[1]!.issueId === b.id;
        // Merge first: the split of the (now merged) issue is refused; both mentions are B's.
        const mergeOnly =
          merge.status === 'fulfilled' &&
          split.status === 'rejected' &&
          errorCode(split.reason) === 'CONFLICT' &&
          audits.map((x) => x.action).join() === 'issue.merge' &&
          owners.every((m) => m.issueId === b.id);
        tally.add({ serialOutcome: splitThenMerge || mergeOnly });
      }
      expectEveryRound(tally, { serialOutcome: true }, ROUNDS);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

describe('a transition that loses a deadlock to another writer', () => {
  it(
    'is rolled back and run again, and then succeeds',
    async () => {
      const a = await newIssue(pgdb.db);
      const b = await newIssue(pgdb.db);
      // Another writer (as the clustering engine, which updates several issues in its own order) holds B.
      await withClient(pgdb.url, async (other) => {
        await other.query('BEGIN');
        await other.query('SELECT id FROM "Issue" WHERE id = $1 FOR UPDATE', [b.id]);
        // The merge locks A, then waits for B.
        const merge = mergeIssues(pgdb.db, a.id, [b.id], actor);
        // Awaited below, after the other writer is done; a failure must not go unhandled meanwhile.
        merge.catch(() => {});
        const waiting = async () =>
          Number(
            (
              await sqlRows<{ n: string }>(
                pgdb,
                `SELECT count(*) AS n FROM pg_stat_activity
                   WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            )[0]!.n,
          );
        await expect.poll(waiting, { timeout: 30_000 }).toBe(1);
        // Now the other writer wants A: a deadlock. PostgreSQL cancels the transaction that detects it, the one
        // that has waited longest (the merge); the other writer then gets A and finishes.
        await other.query('SELECT id FROM "Issue" WHERE id = $1 FOR UPDATE', [a.id]);
        await other.query('COMMIT');
        // The merge ran again once the other writer was done, and decided on the state it found.
        const merged = await merge;
        expect(merged.id).toBe(a.id);
      });
      const [row] = await sqlRows<{ status: string; mergedIntoId: number }>(
        pgdb,
        'SELECT status, "mergedIntoId" FROM "Issue" WHERE id = $1',
        [b.id],
      );
      expect(row).toEqual({ status: 'merged', mergedIntoId: a.id });
      expect(await auditCount(pgdb.db, 'issue', a.id, ['issue.merge'])).toBe(1);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

describe('the same transitions on embedded PGlite', () => {
  let embedded: Database;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yq-race-'));
    embedded = await openDatabase({ databaseUrl: undefined, dataDir, poolSize: 3 });
    const user = await createUser(embedded.db, {
      username: 'racer',
      displayName: '并发测试',
      passwordHash: 'x',
      role: 'admin',
    });
    userId = user.id;
    actor = { actorId: user.id };
  }, SCENARIO_TIMEOUT_MS);
  afterAll(async () => {
    await embedded?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'approve and return together: one decides (row locks work on PGlite too)',
    async () => {
      await approveReturnRounds(embedded.db, PGLITE_ROUNDS);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
