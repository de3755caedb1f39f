import { NonRetryableError } from '@yuqing/core';
import type { Db, DbTx } from '../client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import type { AuditActor } from './users.ts';

/** A mention row as ingest stores it. */
export interface MentionInsert {
  sourceId: number | null;
  crawlRunId: number | null;
  url: string;
  canonicalUrl: string;
  urlHash: string;
  contentHash: string;
  title: string;
  body: string;
  author: string | null;
  siteName: string | null;
  publishedAt: Date | null;
  fetchedAt: Date;
  likes: number;
  comments: number;
  reposts: number;
  views: number;
  region: string | null;
  rawEncoding: string | null;
  replyText: string | null;
  replyDepartment: string | null;
  replyAt: Date | null;
  tags: string[];
  searchTokens: string;
  relevant: boolean;
}

/**
 * Inserts mentions, skipping any that collide on the URL hash or on (source, content hash) — also within the batch
 * (INSERT … ON CONFLICT DO NOTHING). Returns only the rows this call created.
 */
export async function insertMentions(db: DbTx, rows: readonly MentionInsert[]): Promise<Array<{ id: number; urlHash: string }>> {
  if (rows.length === 0) return [];
  return db.mention.createManyAndReturn({ data: [...rows], skipDuplicates: true, select: { id: true, urlHash: true } });
}

/** Ids of mentions with these URL hashes that no analysis has touched yet (ingest retries re-announce them). */
export async function findUnanalysedMentionIds(db: DbTx, urlHashes: readonly string[]): Promise<number[]> {
  if (urlHashes.length === 0) return [];
  const rows = await db.mention.findMany({ where: { urlHash: { in: [...urlHashes] }, analyses: { none: {} } }, select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}

/** Enabled monitoring schemes (ingest applies them to every new mention). */
export async function listEnabledMonitoringSchemes(db: DbTx) {
  return db.monitoringScheme.findMany({ where: { enabled: true }, select: { id: true, name: true, rule: true, tags: true }, orderBy: { id: 'asc' } });
}

/** A monitoring scheme: a boolean keyword rule (validated by the caller) and the tags it puts on kept mentions. */
export interface SchemeInput {
  name: string;
  rule: object;
  tags?: string[];
  enabled?: boolean;
}

/** Creates a monitoring scheme (rule validated by the caller). */
export async function createMonitoringScheme(db: DbTx, input: SchemeInput) {
  return db.monitoringScheme.create({ data: { name: input.name, rule: input.rule, tags: input.tags ?? [], enabled: input.enabled ?? true } });
}

/** Every monitoring scheme, enabled or not (administration). */
export async function listMonitoringSchemes(db: DbTx) {
  return db.monitoringScheme.findMany({ orderBy: { id: 'asc' } });
}

/** Creates a monitoring scheme and audits it in one transaction. */
export async function createSchemeAudited(db: Db, input: SchemeInput, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const scheme = await createMonitoringScheme(tx, input);
    await appendAudit(tx, { ...actor, action: 'scheme.create', entityType: 'scheme', entityId: scheme.id, details: { name: scheme.name } });
    return scheme;
  });
}

/** Changes a monitoring scheme and audits it. Throws NOT_FOUND for an unknown id. */
export async function updateSchemeAudited(db: Db, id: number, patch: Partial<SchemeInput>, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const before = await tx.monitoringScheme.findUnique({ where: { id } });
    if (!before) throw new NonRetryableError('NOT_FOUND', `scheme ${id} not found`);
    const { rule, ...rest } = patch;
    const scheme = await tx.monitoringScheme.update({ where: { id }, data: { ...rest, ...(rule ? { rule: rule as Prisma.InputJsonObject } : {}) } });
    await appendAudit(tx, { ...actor, action: 'scheme.update', entityType: 'scheme', entityId: id, details: { fields: Object.keys(patch) } });
    return scheme;
  });
}

/** Deletes a monitoring scheme and audits it. Throws NOT_FOUND for an unknown id. */
export async function deleteSchemeAudited(db: Db, id: number, actor: AuditActor): Promise<void> {
  await db.$transaction(async (tx) => {
    const scheme = await tx.monitoringScheme.findUnique({ where: { id } });
    if (!scheme) throw new NonRetryableError('NOT_FOUND', `scheme ${id} not found`);
    await tx.monitoringScheme.delete({ where: { id } });
    await appendAudit(tx, { ...actor, action: 'scheme.delete', entityType: 'scheme', entityId: id, details: { name: scheme.name } });
  });
}

/** Mentions of a source, newest first (CLI and tests). */
export async function listMentionsBySource(db: DbTx, sourceId: number, limit = 100) {
  return db.mention.findMany({ where: { sourceId }, orderBy: { id: 'desc' }, take: Math.min(limit, 1000), omit: { searchTokens: true } });
}

/** Count of mentions of a source. */
export async function countMentionsBySource(db: DbTx, sourceId: number): Promise<number> {
  return db.mention.count({ where: { sourceId } });
}
