import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import type { Role } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';

/** Who did something and from where: every state-changing repository function writes it to the audit log. */
export interface AuditActor {
  actorId: number | null;
  ip?: string | null;
}

/** Public fields of a user (never the password hash). */
const USER_PUBLIC_SELECT = {
  id: true,
  username: true,
  displayName: true,
  email: true,
  role: true,
  active: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A user as the dashboard shows it. */
export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Creates a user with an already-hashed password (hash with `hashPassword` from @yuqing/core). */
export async function createUser(
  handle: DbTx,
  input: { username: string; displayName: string; email?: string | null; passwordHash: string; role: Role },
) {
  const db = prismaOf(handle);
  return db.user.create({ data: { ...input, email: input.email ?? null } });
}

export async function findUserByUsername(handle: DbTx, username: string) {
  const db = prismaOf(handle);
  return db.user.findUnique({ where: { username } });
}

export async function countUsers(handle: DbTx, where: { role?: Role } = {}): Promise<number> {
  const db = prismaOf(handle);
  return db.user.count({ where });
}

/** One user without the password hash, or null. */
export async function findUserById(handle: DbTx, id: number): Promise<PublicUser | null> {
  const db = prismaOf(handle);
  return db.user.findUnique({ where: { id }, select: USER_PUBLIC_SELECT });
}

/** All users (a bureau has tens, not thousands), by username. */
export async function listUsers(
  handle: DbTx,
  options: { role?: Role; activeOnly?: boolean } = {},
): Promise<PublicUser[]> {
  const db = prismaOf(handle);
  return db.user.findMany({
    where: { ...(options.role ? { role: options.role } : {}), ...(options.activeOnly ? { active: true } : {}) },
    orderBy: { username: 'asc' },
    select: USER_PUBLIC_SELECT,
  });
}

/** Creates a user and audits it in one transaction. */
export async function createUserAudited(
  handle: Db,
  input: { username: string; displayName: string; email?: string | null; passwordHash: string; role: Role },
  actor: AuditActor,
): Promise<PublicUser> {
  return transaction(handle, async (tx) => {
    const user = await tx.user.create({ data: { ...input, email: input.email ?? null }, select: USER_PUBLIC_SELECT });
    await appendAudit(tx, {
      ...actor,
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      details: { username: user.username, role: user.role },
    });
    return user;
  });
}

/**
 * Changes a user's role, name, e-mail or active flag. Deactivating or changing the role ends the user's
 * sessions so the change takes effect at once.
 */
export async function updateUserAudited(
  handle: Db,
  id: number,
  patch: { displayName?: string; email?: string | null; role?: Role; active?: boolean },
  actor: AuditActor,
): Promise<PublicUser> {
  return transaction(handle, async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id }, select: USER_PUBLIC_SELECT });
    const user = await tx.user.update({ where: { id }, data: patch, select: USER_PUBLIC_SELECT });
    if ((patch.active === false && before.active) || (patch.role && patch.role !== before.role)) {
      await tx.session.deleteMany({ where: { userId: id } });
    }
    const changed = Object.fromEntries(
      Object.keys(patch).map((k) => [
        k,
        { from: (before as Record<string, unknown>)[k], to: (user as Record<string, unknown>)[k] },
      ]),
    );
    await appendAudit(tx, { ...actor, action: 'user.update', entityType: 'user', entityId: id, details: { changed } });
    return user;
  });
}

/** Replaces a user's password hash and ends all of the user's sessions. */
export async function setUserPasswordAudited(
  handle: Db,
  id: number,
  passwordHash: string,
  actor: AuditActor,
): Promise<void> {
  const db = prismaOf(handle);
  await transaction(db, async (tx) => {
    await tx.user.update({ where: { id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: id } });
    await appendAudit(tx, { ...actor, action: 'user.password', entityType: 'user', entityId: id });
  });
}

// ───────────────────────────── sessions ─────────────────────────────

/** Stores a new server-side session. `id` should be a hash of the cookie value, not the value itself. */
export async function createSession(
  handle: DbTx,
  input: { id: string; userId: number; csrfToken: string; expiresAt: Date },
) {
  const db = prismaOf(handle);
  return db.session.create({ data: input });
}

/** A live session with its (active) user, or null when missing, expired or the user is deactivated. */
export async function findActiveSession(handle: DbTx, id: string, now: Date) {
  const db = prismaOf(handle);
  const session = await db.session.findUnique({ where: { id }, include: { user: { select: USER_PUBLIC_SELECT } } });
  if (!session || session.expiresAt <= now || !session.user.active) return null;
  return session;
}

/** Records activity and slides the expiry (idle timeout). */
export async function touchSession(handle: DbTx, id: string, now: Date, expiresAt: Date): Promise<void> {
  const db = prismaOf(handle);
  await db.session.updateMany({ where: { id }, data: { lastSeenAt: now, expiresAt } });
}

export async function deleteSession(handle: DbTx, id: string): Promise<void> {
  const db = prismaOf(handle);
  await db.session.deleteMany({ where: { id } });
}

/** Removes expired sessions; returns how many. */
export async function deleteExpiredSessions(handle: DbTx, now: Date): Promise<number> {
  const db = prismaOf(handle);
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
