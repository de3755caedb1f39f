// Sources: the crawler's upsert and run bookkeeping, the scheduler's list, and the dashboard's audited
// administration and health view. Crawl runs themselves live in crawl-runs.ts.
import { NonRetryableError } from '@yuqing/core';
import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import type { CrawlRunStatus, Prisma, SourceKind } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import type { AuditActor } from './users.ts';

/** Window over which the health view counts failed and blocked runs, in milliseconds. */
const FAILURE_WINDOW_MS = 24 * 3600_000;

/** Fields of a source definition as stored (the crawler validates `config`). */
export interface SourceRowInput {
  name: string;
  kind: SourceKind;
  url: string;
  config: Record<string, unknown>;
  schedule: string;
  enabled: boolean;
  respectRobots: boolean;
  weight: number;
  region: string | null;
}

/** A source as the dashboard creates it: name, kind and URL; the rest falls back to the schema's defaults. */
export type SourceInput = Pick<SourceRowInput, 'name' | 'kind' | 'url'> &
  Partial<Omit<SourceRowInput, 'name' | 'kind' | 'url'>>;

/**
 * Inserts or updates sources identified by (kind, url): seeding and file loading run twice without duplicates.
 * Returns each row's id and whether it was created.
 */
export async function upsertSourceRows(
  handle: DbTx,
  rows: readonly SourceRowInput[],
): Promise<Array<{ id: number; created: boolean; kind: SourceKind; url: string }>> {
  const db = prismaOf(handle);
  const out: Array<{ id: number; created: boolean; kind: SourceKind; url: string }> = [];
  for (const row of rows) {
    const data = { ...row, config: row.config as Prisma.InputJsonValue };
    const existing = await db.source.findFirst({
      where: { kind: row.kind, url: row.url },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    if (existing) {
      await db.source.update({ where: { id: existing.id }, data });
      out.push({ id: existing.id, created: false, kind: row.kind, url: row.url });
    } else {
      const created = await db.source.create({ data, select: { id: true } });
      out.push({ id: created.id, created: true, kind: row.kind, url: row.url });
    }
  }
  return out;
}

/** One source, or null. */
export async function getSourceById(handle: DbTx, id: number) {
  const db = prismaOf(handle);
  return db.source.findUnique({ where: { id } });
}

/** Enabled sources with what the scheduler needs. */
export async function listEnabledSources(handle: DbTx) {
  const db = prismaOf(handle);
  return db.source.findMany({
    where: { enabled: true },
    select: { id: true, name: true, schedule: true, lastRunAt: true },
    orderBy: { id: 'asc' },
  });
}

/** Every source with its last run state and the failed or blocked runs of the last 24 hours. */
export async function listSourcesWithHealth(handle: DbTx, now: Date) {
  const db = prismaOf(handle);
  const sources = await db.source.findMany({ orderBy: { id: 'asc' } });
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS);
  const failures = await db.crawlRun.groupBy({
    by: ['sourceId'],
    where: { startedAt: { gte: since }, status: { in: ['failed', 'blocked'] } },
    _count: { _all: true },
  });
  const failed = new Map(failures.map((f) => [f.sourceId, f._count._all]));
  return sources.map((s) => ({ ...s, failuresLast24h: failed.get(s.id) ?? 0 }));
}

/** A run began: the scheduler compares lastRunAt with the cron's last fire time. */
export async function markSourceRunStarted(handle: DbTx, id: number, at: Date): Promise<void> {
  const db = prismaOf(handle);
  await db.source.update({ where: { id }, data: { lastRunAt: at, lastStatus: 'running' } });
}

/** A run ended: status, error and block reason (cleared when the run was not blocked) shown on the source. */
export async function markSourceRunFinished(
  handle: DbTx,
  id: number,
  outcome: { status: CrawlRunStatus; error?: string | null; blockedReason?: string | null },
): Promise<void> {
  const db = prismaOf(handle);
  await db.source.update({
    where: { id },
    data: {
      lastStatus: outcome.status,
      lastError: outcome.error ?? null,
      blockedReason: outcome.status === 'blocked' ? (outcome.blockedReason ?? 'blocked') : null,
    },
  });
}

/** Region of each existing source among `ids` (ingest tags mentions with it); missing sources are absent. */
export async function sourceRegions(handle: DbTx, ids: readonly number[]): Promise<Map<number, string | null>> {
  const db = prismaOf(handle);
  if (ids.length === 0) return new Map();
  const rows = await db.source.findMany({ where: { id: { in: [...ids] } }, select: { id: true, region: true } });
  return new Map(rows.map((r) => [r.id, r.region]));
}

/** Adds a source (config validated by the caller); {@link createSourceAudited} for the dashboard. */
export async function createSource(handle: DbTx, input: SourceInput) {
  const db = prismaOf(handle);
  return db.source.create({ data: { ...input, config: (input.config ?? {}) as Prisma.InputJsonObject } });
}

/** Adds a source and audits it in one transaction. */
export async function createSourceAudited(handle: Db, input: SourceInput, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const source = await createSource(tx, input);
    await appendAudit(tx, {
      ...actor,
      action: 'source.create',
      entityType: 'source',
      entityId: source.id,
      details: { name: source.name, kind: source.kind, url: source.url },
    });
    return source;
  });
}

/**
 * Changes a source and audits it (`source.enable`/`source.disable` when only `enabled` changes). Enabling clears
 * a block reason: the operator has looked at it. Throws NOT_FOUND for an unknown id.
 */
export async function updateSourceAudited(handle: Db, id: number, patch: Partial<SourceInput>, actor: AuditActor) {
  return transaction(handle, async (tx) => {
    const before = await tx.source.findUnique({ where: { id } });
    if (!before) throw new NonRetryableError('NOT_FOUND', `source ${id} not found`);
    const { config, ...rest } = patch;
    const source = await tx.source.update({
      where: { id },
      data: {
        ...rest,
        ...(config ? { config: config as Prisma.InputJsonObject } : {}),
        ...(patch.enabled === true ? { blockedReason: null } : {}),
      },
    });
    await appendAudit(tx, {
      ...actor,
      action:
        patch.enabled === undefined || Object.keys(patch).length > 1
          ? 'source.update'
          : patch.enabled
            ? 'source.enable'
            : 'source.disable',
      entityType: 'source',
      entityId: id,
      details: { fields: Object.keys(patch) },
    });
    return source;
  });
}

/** Deletes a source (its mentions stay) and audits it. Throws NOT_FOUND for an unknown id. */
export async function deleteSourceAudited(handle: Db, id: number, actor: AuditActor): Promise<void> {
  const db = prismaOf(handle);
  await transaction(db, async (tx) => {
    const source = await tx.source.findUnique({ where: { id } });
    if (!source) throw new NonRetryableError('NOT_FOUND', `source ${id} not found`);
    await tx.source.delete({ where: { id } });
    await appendAudit(tx, {
      ...actor,
      action: 'source.delete',
      entityType: 'source',
      entityId: id,
      details: { name: source.name, url: source.url },
    });
  });
}

/** Records that a test crawl was requested (the crawl itself is a queued job). */
export async function auditSourceTestRun(
  handle: DbTx,
  id: number,
  jobId: string | undefined,
  actor: AuditActor,
): Promise<void> {
  const db = prismaOf(handle);
  await appendAudit(db, {
    ...actor,
    action: 'source.test-run',
    entityType: 'source',
    entityId: id,
    details: { jobId: jobId ?? null },
  });
}

/**
 * The source that imported rows of one origin belong to (`kind` import, identified by `url`, e.g.
 * `import://mediacrawler/xhs`), created on first use. Import sources are disabled so no scheduler ever crawls them.
 */
export async function ensureImportSource(handle: DbTx, input: { name: string; url: string }): Promise<number> {
  const db = prismaOf(handle);
  const existing = await db.source.findFirst({
    where: { kind: 'import', url: input.url },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  if (existing) return existing.id;
  const created = await db.source.create({
    data: { name: input.name, kind: 'import', url: input.url, enabled: false, respectRobots: false },
    select: { id: true },
  });
  return created.id;
}
