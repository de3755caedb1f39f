// Personal API tokens: only the SHA-256 of a token is stored (packages/core api-token.ts makes and hashes them).
import { NotFoundError } from '@yuqing/core';
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import { appendAudit } from './audit.ts';
import type { AuditActor, PublicUser } from './users.ts';

/** What creating a token stores (the caller hashed the token and checked the scopes). */
export interface ApiTokenInsert {
  userId: number;
  name: string;
  prefix: string;
  tokenHash: string;
  scopes: string[];
  sourceId?: number | null;
}

/** A token as lists show it: never the hash. */
export interface ApiTokenSummary {
  id: number;
  userId: number;
  username: string | null;
  name: string;
  prefix: string;
  scopes: string[];
  sourceId: number | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const SUMMARY_SELECT = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  scopes: true,
  sourceId: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Stores a token and audits `api-token.create` (name, scopes, prefix; never the token). */
export async function createApiTokenAudited(
  handle: Db,
  input: ApiTokenInsert,
  actor: AuditActor,
): Promise<ApiTokenSummary> {
  return transaction(handle, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { username: true } });
    if (!user) throw new NotFoundError(`用户 ${input.userId} 不存在 (user not found)`);
    if (
      input.sourceId != null &&
      !(await tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } }))
    )
      throw new NotFoundError(`信源 ${input.sourceId} 不存在 (source not found)`);
    const row = await tx.apiToken.create({
      data: { ...input, sourceId: input.sourceId ?? null },
      select: SUMMARY_SELECT,
    });
    await appendAudit(tx, {
      ...actor,
      action: 'api-token.create',
      entityType: 'api-token',
      entityId: row.id,
      details: { name: row.name, scopes: row.scopes, prefix: row.prefix, userId: row.userId, sourceId: row.sourceId },
    });
    return { ...row, username: user.username };
  });
}

/** Tokens, newest first: one user's, or everyone's when `userId` is left out (admins). */
export async function listApiTokens(handle: DbTx, options: { userId?: number } = {}): Promise<ApiTokenSummary[]> {
  const db = prismaOf(handle);
  const rows = await db.apiToken.findMany({
    where: options.userId === undefined ? {} : { userId: options.userId },
    orderBy: { id: 'desc' },
    select: SUMMARY_SELECT,
  });
  // No Prisma relation (the User model stays as it is): one extra query for the owners' names.
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.userId))] } },
    select: { id: true, username: true },
  });
  const names = new Map(users.map((u) => [u.id, u.username]));
  return rows.map((r) => ({ ...r, username: names.get(r.userId) ?? null }));
}

/**
 * Revokes a token (audited `api-token.revoke`). With `ownerId`, only that user's token: another's is NOT_FOUND,
 * so a user cannot learn which ids exist. Revoking twice keeps the first time.
 */
export async function revokeApiTokenAudited(
  handle: Db,
  id: number,
  options: { ownerId?: number; at: Date },
  actor: AuditActor,
): Promise<ApiTokenSummary> {
  return transaction(handle, async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id }, select: SUMMARY_SELECT });
    if (!row || (options.ownerId !== undefined && row.userId !== options.ownerId))
      throw new NotFoundError(`API 令牌 ${id} 不存在 (token not found)`);
    const revoked = row.revokedAt
      ? row
      : await tx.apiToken.update({ where: { id }, data: { revokedAt: options.at }, select: SUMMARY_SELECT });
    if (!row.revokedAt)
      await appendAudit(tx, {
        ...actor,
        action: 'api-token.revoke',
        entityType: 'api-token',
        entityId: id,
        details: { name: row.name, prefix: row.prefix, userId: row.userId },
      });
    const user = await tx.user.findUnique({ where: { id: row.userId }, select: { username: true } });
    return { ...revoked, username: user?.username ?? null };
  });
}

/** A live token (not revoked, its owner active) with its owner, found by hash; null otherwise. */
export async function findActiveApiToken(
  handle: DbTx,
  tokenHash: string,
): Promise<{ token: ApiTokenSummary; user: PublicUser } | null> {
  const db = prismaOf(handle);
  const row = await db.apiToken.findUnique({ where: { tokenHash }, select: SUMMARY_SELECT });
  if (!row || row.revokedAt) return null;
  const user = await db.user.findUnique({
    where: { id: row.userId },
    select: {
      id: true,
      username: true,
      displayName: true,
      email: true,
      role: true,
      active: true,
      createdAt: true,
      updatedAt: true,
    },
  });
  if (!user || !user.active) return null;
  return { token: { ...row, username: user.username }, user };
}

/** Records a token's use (callers write it at most once a minute per token). */
export async function touchApiToken(handle: DbTx, id: number, at: Date): Promise<void> {
  await prismaOf(handle).apiToken.update({ where: { id }, data: { lastUsedAt: at } });
}

/** The user an e-mail address or user name names (the CLI's `--user`), or null. */
export async function findUserByEmailOrUsername(handle: DbTx, who: string): Promise<PublicUser | null> {
  const db = prismaOf(handle);
  return db.user.findFirst({
    where: { OR: [{ email: { equals: who, mode: 'insensitive' } }, { username: who }] },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      username: true,
      displayName: true,
      email: true,
      role: true,
      active: true,
      createdAt: true,
      updatedAt: true,
    },
  });
}
