import { NonRetryableError } from '@yuqing/core';
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
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
 * (INSERT … ON CONFLICT DO NOTHING). Returns only the rows this call created, in input order. One statement with
 * one array parameter per column, whatever the batch size (the ORM's createMany costs ~1 ms per row to build).
 */
export async function insertMentions(
  handle: DbTx,
  rows: readonly MentionInsert[],
): Promise<Array<{ id: number; urlHash: string }>> {
  const db = prismaOf(handle);
  if (rows.length === 0) return [];
  const col = <T>(pick: (r: MentionInsert) => T): T[] => rows.map(pick);
  return db.$queryRaw<Array<{ id: number; urlHash: string }>>`
    INSERT INTO "Mention" ("sourceId", "crawlRunId", "url", "canonicalUrl", "urlHash", "contentHash", "title", "body", "author", "siteName",
                           "publishedAt", "fetchedAt", "likes", "comments", "reposts", "views", "region", "rawEncoding", "replyText",
                           "replyDepartment", "replyAt", "tags", "searchTokens", "relevant")
    SELECT v.source_id, v.crawl_run_id, v.url, v.canonical_url, v.url_hash, v.content_hash, v.title, v.body, v.author, v.site_name,
           v.published_at, v.fetched_at, v.likes, v.comments, v.reposts, v.views, v.region, v.raw_encoding, v.reply_text,
           v.reply_department, v.reply_at, ARRAY(SELECT jsonb_array_elements_text(v.tags::jsonb)), v.search_tokens, v.relevant
      FROM unnest(${col((r) => r.sourceId)}::int[], ${col((r) => r.crawlRunId)}::int[], ${col((r) => r.url)}::text[], ${col((r) => r.canonicalUrl)}::text[],
                  ${col((r) => r.urlHash)}::text[], ${col((r) => r.contentHash)}::text[], ${col((r) => r.title)}::text[], ${col((r) => r.body)}::text[],
                  ${col((r) => r.author)}::text[], ${col((r) => r.siteName)}::text[], ${col((r) => r.publishedAt)}::timestamp[], ${col((r) => r.fetchedAt)}::timestamp[],
                  ${col((r) => r.likes)}::int[], ${col((r) => r.comments)}::int[], ${col((r) => r.reposts)}::int[], ${col((r) => r.views)}::int[],
                  ${col((r) => r.region)}::text[], ${col((r) => r.rawEncoding)}::text[], ${col((r) => r.replyText)}::text[], ${col((r) => r.replyDepartment)}::text[],
                  ${col((r) => r.replyAt)}::timestamp[], ${col((r) => JSON.stringify(r.tags))}::text[], ${col((r) => r.searchTokens)}::text[], ${col((r) => r.relevant)}::boolean[])
           WITH ORDINALITY AS v(source_id, crawl_run_id, url, canonical_url, url_hash, content_hash, title, body, author, site_name, published_at, fetched_at,
                                likes, comments, reposts, views, region, raw_encoding, reply_text, reply_department, reply_at, tags, search_tokens, relevant, ord)
     ORDER BY v.ord
    ON CONFLICT DO NOTHING
    RETURNING id, "urlHash"`;
}

/** Mentions with these URL hashes that no analysis has touched yet (ingest retries re-announce them), by id. */
export async function findUnanalysedMentions(
  handle: DbTx,
  urlHashes: readonly string[],
): Promise<Array<{ id: number; urlHash: string }>> {
  const db = prismaOf(handle);
  if (urlHashes.length === 0) return [];
  return db.mention.findMany({
    where: { urlHash: { in: [...urlHashes] }, analyses: { none: {} } },
    select: { id: true, urlHash: true },
    orderBy: { id: 'asc' },
  });
}

/** Enabled monitoring schemes (ingest applies them to every new mention). */
export async function listEnabledMonitoringSchemes(handle: DbTx) {
  const db = prismaOf(handle);
  return db.monitoringScheme.findMany({
    where: { enabled: true },
    select: { id: true, name: true, rule: true, tags: true },
    orderBy: { id: 'asc' },
  });
}

/** A monitoring scheme: a boolean keyword rule (validated by the caller) and the tags it puts on kept mentions. */
export interface SchemeInput {
  name: string;
  rule: object;
  tags?: string[];
  enabled?: boolean;
}

/** Creates a monitoring scheme (rule validated by the caller). */
export async function createMonitoringScheme(handle: DbTx, input: SchemeInput) {
  const db = prismaOf(handle);
  return db.monitoringScheme.create({
    data: { name: input.name, rule: input.rule, tags: input.tags ?? [], enabled: input.enabled ?? true },
  });
}

/** Every monitoring scheme, enabled or not (administration). */
export async function listMonitoringSchemes(handle: DbTx) {
  const db = prismaOf(handle);
  return db.monitoringScheme.findMany({ orderBy: { id: 'asc' } });
}

/** Creates a monitoring scheme and audits it in one transaction. */
export async function createSchemeAudited(handle: Db, input: SchemeInput, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const scheme = await createMonitoringScheme(tx, input);
    await appendAudit(tx, {
      ...actor,
      action: 'scheme.create',
      entityType: 'scheme',
      entityId: scheme.id,
      details: { name: scheme.name },
    });
    return scheme;
  });
}

/** Changes a monitoring scheme and audits it. Throws NOT_FOUND for an unknown id. */
export async function updateSchemeAudited(handle: Db, id: number, patch: Partial<SchemeInput>, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const before = await tx.monitoringScheme.findUnique({ where: { id } });
    if (!before) throw new NonRetryableError('NOT_FOUND', `scheme ${id} not found`);
    const { rule, ...rest } = patch;
    const scheme = await tx.monitoringScheme.update({
      where: { id },
      data: { ...rest, ...(rule ? { rule: rule as Prisma.InputJsonObject } : {}) },
    });
    await appendAudit(tx, {
      ...actor,
      action: 'scheme.update',
      entityType: 'scheme',
      entityId: id,
      details: { fields: Object.keys(patch) },
    });
    return scheme;
  });
}

/** Deletes a monitoring scheme and audits it. Throws NOT_FOUND for an unknown id. */
export async function deleteSchemeAudited(handle: Db, id: number, actor: AuditActor): Promise<void> {
  const db = prismaOf(handle);
  await transaction(db, async (tx) => {
    const scheme = await tx.monitoringScheme.findUnique({ where: { id } });
    if (!scheme) throw new NonRetryableError('NOT_FOUND', `scheme ${id} not found`);
    await tx.monitoringScheme.delete({ where: { id } });
    await appendAudit(tx, {
      ...actor,
      action: 'scheme.delete',
      entityType: 'scheme',
      entityId: id,
      details: { name: scheme.name },
    });
  });
}
