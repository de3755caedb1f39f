import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, RetryableError } from '@yuqing/core';
import { isTransactionConflict, mapPrismaError } from './prisma-errors.ts';

/** An error as Prisma or the pg driver raises it: a message and a string code. */
function coded(code: string): Error & { code: string } {
  return Object.assign(new Error(`failed with ${code}`), { code });
}

describe('mapPrismaError', () => {
  it('turns a lost transaction race (Prisma P2034, SQLSTATE 40001 and 40P01) into a retryable CONFLICT', () => {
    for (const code of ['P2034', '40001', '40P01']) {
      const mapped = mapPrismaError(coded(code));
      expect(mapped).toBeInstanceOf(ConflictError);
      expect(mapped).toMatchObject({ code: 'CONFLICT', retryable: true });
      expect((mapped as Error).cause).toMatchObject({ code });
    }
  });

  it('recognises a deadlock inside a raw query (P2010 carrying SQLSTATE 40P01), as the row locks raise it', () => {
    const raw = Object.assign(coded('P2010'), {
      meta: { driverAdapterError: { cause: { originalCode: '40P01', kind: 'TransactionWriteConflict' } } },
    });
    expect(mapPrismaError(raw)).toMatchObject({ code: 'CONFLICT', retryable: true });
    expect(isTransactionConflict(raw)).toBe(true);
    expect(isTransactionConflict(mapPrismaError(raw))).toBe(true);
    // Another failed raw query is not a race: it passes through and is not retried.
    const syntax = Object.assign(coded('P2010'), {
      meta: { driverAdapterError: { cause: { originalCode: '42601' } } },
    });
    expect(mapPrismaError(syntax)).toBe(syntax);
    expect(isTransactionConflict(syntax)).toBe(false);
    expect(isTransactionConflict(mapPrismaError(coded('P2002')))).toBe(false);
  });

  it('keeps the other mappings', () => {
    expect(mapPrismaError(coded('P2025'))).toBeInstanceOf(NotFoundError);
    expect(mapPrismaError(coded('P2002'))).toMatchObject({ code: 'CONFLICT', retryable: true });
    expect(mapPrismaError(coded('ECONNRESET'))).toBeInstanceOf(RetryableError);
    const unknown = coded('P2000');
    expect(mapPrismaError(unknown)).toBe(unknown);
  });
});
