// Row locks for state transitions. A transition reads a row's status, lets a domain rule decide, then writes: two
// transitions of the same row sent together (approve and return, three publishes, crossing merges) must not both
// read the old status. Each transition locks its rows first (`FOR NO KEY UPDATE`: it blocks other transitions and
// updates of the row, yet not inserts of rows that merely reference it), then re-reads the status under the lock.
//
// Lock order, everywhere, so that two transitions never wait for each other: issues before responses, and within
// one table by ascending id. A deadlock or serialisation failure that still happens (another writer outside these
// helpers, such as the clustering engine updating several issues) is retried a few times; after that it reaches
// the caller as a retryable CONFLICT (HTTP 409) from `mapPrismaError`.
import { NonRetryableError } from '@yuqing/core';
import { transaction, type Db, type PrismaTx } from '../handle.ts';
import { isTransactionConflict } from '../prisma-errors.ts';

/** Attempts of a transition that lost a deadlock or serialisation race before the conflict reaches the caller. */
const TRANSITION_ATTEMPTS = 3;

/** The tables whose rows have transitions. */
type LockedTable = 'Issue' | 'Response';

/**
 * Locks the rows of `table` with these ids, in ascending id order, until the transaction ends; throws `NOT_FOUND`
 * naming the first id that does not exist.
 */
export async function lockRows(tx: PrismaTx, table: LockedTable, ids: readonly number[]): Promise<void> {
  const wanted = [...new Set(ids)].sort((a, b) => a - b);
  if (wanted.length === 0) return;
  // PostgreSQL takes the locks in the order the rows are returned: ORDER BY id makes that order the same for
  // every caller. The table name cannot be a parameter, so each table has its own literal statement.
  const rows =
    table === 'Issue'
      ? await tx.$queryRaw<{ id: number }[]>`
          SELECT id FROM "Issue" WHERE id = ANY(${wanted}::int[]) ORDER BY id FOR NO KEY UPDATE`
      : await tx.$queryRaw<{ id: number }[]>`
          SELECT id FROM "Response" WHERE id = ANY(${wanted}::int[]) ORDER BY id FOR NO KEY UPDATE`;
  if (rows.length === wanted.length) return;
  const found = new Set(rows.map((r) => r.id));
  const missing = wanted.find((id) => !found.has(id));
  throw new NonRetryableError('NOT_FOUND', `${table === 'Issue' ? 'issue' : 'response'} ${missing} not found`);
}

/** Which rows a transition locks before it reads them. */
export interface TransitionLocks {
  /** Issues to lock (taken first). */
  issueIds?: readonly number[];
  /** Responses to lock (taken after the issues). */
  responseIds?: readonly number[];
}

/**
 * Runs one state transition in its own transaction with its rows locked first (issues, then responses, each by
 * ascending id). `work` must read the status it decides on inside the transaction, after the lock: a run that
 * lost a deadlock is rolled back and run again from the start (up to {@link TRANSITION_ATTEMPTS} times), so it
 * decides on the state the winner left.
 */
export async function lockedTransition<T>(
  handle: Db,
  locks: TransitionLocks,
  work: (tx: PrismaTx) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(handle, async (tx) => {
        await lockRows(tx, 'Issue', locks.issueIds ?? []);
        await lockRows(tx, 'Response', locks.responseIds ?? []);
        return work(tx);
      });
    } catch (error) {
      if (attempt >= TRANSITION_ATTEMPTS || !isTransactionConflict(error)) throw error;
    }
  }
}
