import type { DbTx } from '../client.ts';
import type { Role } from '../generated/prisma/client.ts';

/** Creates a user with an already-hashed password (hash with `hashPassword` from @yuqing/core). */
export async function createUser(db: DbTx, input: { username: string; displayName: string; email?: string | null; passwordHash: string; role: Role }) {
  return db.user.create({ data: { ...input, email: input.email ?? null } });
}

export async function findUserByUsername(db: DbTx, username: string) {
  return db.user.findUnique({ where: { username } });
}

export async function countUsers(db: DbTx, where: { role?: Role } = {}): Promise<number> {
  return db.user.count({ where });
}
