import type { DbTx } from '../client.ts';
import type { CrawlRunStatus, Prisma, SourceKind } from '../generated/prisma/client.ts';

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

/**
 * Inserts or updates sources identified by (kind, url): seeding and file loading run twice without duplicates.
 * Returns each row's id and whether it was created.
 */
export async function upsertSourceRows(db: DbTx, rows: readonly SourceRowInput[]): Promise<Array<{ id: number; created: boolean; kind: SourceKind; url: string }>> {
  const out: Array<{ id: number; created: boolean; kind: SourceKind; url: string }> = [];
  for (const row of rows) {
    const data = { ...row, config: row.config as Prisma.InputJsonValue };
    const existing = await db.source.findFirst({ where: { kind: row.kind, url: row.url }, select: { id: true }, orderBy: { id: 'asc' } });
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

export async function getSourceById(db: DbTx, id: number) {
  return db.source.findUnique({ where: { id } });
}

/** Enabled sources with what the scheduler needs. */
export async function listEnabledSources(db: DbTx) {
  return db.source.findMany({ where: { enabled: true }, select: { id: true, name: true, schedule: true, lastRunAt: true }, orderBy: { id: 'asc' } });
}

/** A run began: the scheduler compares lastRunAt with the cron's last fire time. */
export async function markSourceRunStarted(db: DbTx, id: number, at: Date): Promise<void> {
  await db.source.update({ where: { id }, data: { lastRunAt: at, lastStatus: 'running' } });
}

/** A run ended: status, error and block reason (cleared when the run was not blocked) shown on the source. */
export async function markSourceRunFinished(db: DbTx, id: number, outcome: { status: CrawlRunStatus; error?: string | null; blockedReason?: string | null }): Promise<void> {
  await db.source.update({
    where: { id },
    data: { lastStatus: outcome.status, lastError: outcome.error ?? null, blockedReason: outcome.status === 'blocked' ? (outcome.blockedReason ?? 'blocked') : null },
  });
}
