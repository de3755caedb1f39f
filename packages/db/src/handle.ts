// The opaque database handle. Other packages hold a `Db` and pass it back to this package's repository
// functions; only this package unwraps it to the Prisma client, so no query is written outside packages/db.
import type { PrismaClient, Prisma } from './generated/prisma/client.ts';
import { mapPrismaError } from './prisma-errors.ts';

declare const DB_TX_BRAND: unique symbol;
declare const DB_BRAND: unique symbol;

/** A database client or an open transaction, as other packages see it: nothing to call, only to pass back here. */
export interface DbTx {
  readonly [DB_TX_BRAND]: true;
}

/** A database client (not a transaction) as other packages see it; usable wherever a {@link DbTx} is. */
export interface Db extends DbTx {
  readonly [DB_BRAND]: true;
}

/** The Prisma client behind a handle; still a handle, so repository functions can pass it to each other. */
export type PrismaDb = PrismaClient & Db;
/** A Prisma interactive transaction, still usable as a handle. */
export type PrismaTx = Prisma.TransactionClient & DbTx;

/** Wraps a Prisma client as the opaque handle (a type-level change only: the handle is the client). */
export function toHandle(client: PrismaClient): Db {
  return client as unknown as Db;
}

/** Unwraps a handle for a repository function; the one place the opaque type is lifted. */
export function prismaOf(db: Db): PrismaDb;
export function prismaOf(db: DbTx): PrismaTx;
export function prismaOf(db: DbTx): PrismaTx {
  return db as unknown as PrismaTx;
}

/**
 * Runs `work` in one interactive transaction. Errors Prisma raises around the transaction itself (it could not
 * start in time, the connection dropped) are mapped like query errors.
 */
export async function transaction<T>(
  db: Db,
  work: (tx: PrismaTx) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  try {
    return await prismaOf(db).$transaction((tx) => work(tx as PrismaTx), options);
  } catch (error) {
    throw mapPrismaError(error);
  }
}
