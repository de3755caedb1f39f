import { prismaOf, type DbTx } from '../handle.ts';

/** One audit entry; `details` must not hold passwords or message bodies. */
export interface AuditEntry {
  actorId?: number | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Appends to the audit log (the table refuses UPDATE and DELETE). Pass a transaction to audit atomically. */
export async function appendAudit(handle: DbTx, entry: AuditEntry): Promise<void> {
  const db = prismaOf(handle);
  await db.auditLog.create({
    data: {
      actorId: entry.actorId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      details: (entry.details ?? {}) as object,
      ip: entry.ip ?? null,
    },
  });
}

/** Newest audit entries first, optionally for one entity. */
export async function listAudit(
  handle: DbTx,
  options: { entityType?: string; entityId?: string; limit?: number; beforeId?: number } = {},
) {
  const db = prismaOf(handle);
  return db.auditLog.findMany({
    where: {
      ...(options.entityType ? { entityType: options.entityType } : {}),
      ...(options.entityId ? { entityId: options.entityId } : {}),
      ...(options.beforeId ? { id: { lt: options.beforeId } } : {}),
    },
    orderBy: { id: 'desc' },
    take: Math.min(options.limit ?? 100, 1000),
    include: { actor: { select: { id: true, username: true, displayName: true } } },
  });
}
