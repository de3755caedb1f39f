import { prismaOf, type DbTx } from '../handle.ts';
import type { AuditEntityNames, AuditEntityRef } from '@yuqing/domain';

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

/**
 * The names of the entities audit entries refer to (issue titles, users' display names, source and scheme names,
 * a response's issue title), one query per type; ids of deleted rows are simply absent.
 */
export async function auditEntityNames(handle: DbTx, refs: readonly AuditEntityRef[]): Promise<AuditEntityNames> {
  const db = prismaOf(handle);
  const ids = (type: AuditEntityRef['type']) => [...new Set(refs.filter((r) => r.type === type).map((r) => r.id))];
  const byId = <T extends { id: number }>(rows: T[], name: (row: T) => string) =>
    Object.fromEntries(rows.map((row) => [row.id, name(row)]));
  const [issues, users, responses, sources, schemes] = await Promise.all([
    db.issue.findMany({ where: { id: { in: ids('issue') } }, select: { id: true, title: true } }),
    db.user.findMany({ where: { id: { in: ids('user') } }, select: { id: true, displayName: true, username: true } }),
    db.response.findMany({
      where: { id: { in: ids('response') } },
      select: { id: true, issue: { select: { title: true } } },
    }),
    db.source.findMany({ where: { id: { in: ids('source') } }, select: { id: true, name: true } }),
    db.monitoringScheme.findMany({ where: { id: { in: ids('scheme') } }, select: { id: true, name: true } }),
  ]);
  return {
    issue: byId(issues, (i) => i.title),
    user: byId(users, (u) => `${u.displayName}（${u.username}）`),
    response: byId(responses, (r) => `（议题：${r.issue.title}）`),
    source: byId(sources, (s) => s.name),
    scheme: byId(schemes, (s) => s.name),
  };
}
