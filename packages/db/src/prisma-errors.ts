// Prisma's error codes stop here: the rest of the project sees the error classes of @yuqing/core.
import { ConflictError, NotFoundError, RetryableError, YuqingError } from '@yuqing/core';

/** Prisma codes meaning the database could not be reached or the connection broke: a retry may succeed. */
const CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** Driver and PostgreSQL codes for the same (refused, reset, timed out; admin shutdown; connection exceptions). */
const DRIVER_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * A transaction lost a race with another one: P2034 (Prisma's "write conflict or deadlock"), SQLSTATE 40001
 * (serialization failure) and 40P01 (deadlock detected). Running it again sees the other's committed result.
 */
const TRANSACTION_CONFLICT_CODES = new Set(['P2034', '40001', '40P01']);

/**
 * True when `error` is a transaction that lost a race (deadlock or serialisation failure, already mapped or not):
 * running the whole transaction again is safe and sees the other's committed result.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (lostTransactionRace(error)) return true;
  return error instanceof ConflictError && lostTransactionRace(error.cause);
}

/**
 * The driver's own error as Prisma wraps it for a raw query (P2010): `meta.driverAdapterError.cause.originalCode`
 * holds the SQLSTATE.
 */
function rawQuerySqlState(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' ? code : undefined;
}

/** A deadlock or serialisation failure, whether Prisma reports it as P2034 or inside a failed raw query. */
function lostTransactionRace(error: unknown): boolean {
  const code = codeOf(error);
  if (code === undefined) return false;
  if (TRANSACTION_CONFLICT_CODES.has(code)) return true;
  return code === 'P2010' && TRANSACTION_CONFLICT_CODES.has(rawQuerySqlState(error) ?? '');
}

function codeOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string')
    return (error as { code: string }).code;
  return undefined;
}

/**
 * Maps a Prisma error to the project's classes: P2025 (record not found) → `NOT_FOUND`, P2002 (unique violation),
 * P2003 (still referenced) and a lost transaction race (P2034, 40001, 40P01) → retryable `CONFLICT`, a lost or unreachable database → retryable `DB_UNAVAILABLE`.
 * Anything else (and errors that are already the project's) passes through unchanged.
 */
export function mapPrismaError(error: unknown): unknown {
  if (error instanceof YuqingError) return error;
  const code = codeOf(error);
  if (code === undefined) return error;
  if (lostTransactionRace(error))
    return new ConflictError('操作与其他人的同时操作冲突，请重试 (concurrent change, try again)', {
      retryable: true,
      cause: error,
    });
  if (code === 'P2025') return new NotFoundError('记录不存在 (not found)', { cause: error });
  // A unique or foreign-key violation is often a race with another writer (two workers upserting the same row,
  // a source deleted meanwhile): queue jobs retried them before this mapping existed, and still do.
  if (code === 'P2002') return new ConflictError('记录已存在 (already exists)', { retryable: true, cause: error });
  if (code === 'P2003')
    return new ConflictError('仍被其他记录引用 (still referenced)', { retryable: true, cause: error });
  if (CONNECTION_CODES.has(code) || DRIVER_CONNECTION_CODES.has(code) || code.startsWith('08')) {
    return new RetryableError('DB_UNAVAILABLE', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  return error;
}
