import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDbClient } from './client.ts';
import { prismaOf } from './handle.ts';
import { openEmbeddedServer, openMemoryServer } from './embedded-server.ts';
import { applyMigrations, pendingSchemaChanges } from './migrations.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';
import { createTestDatabase } from '@yuqing/testkit';

async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A migrations folder holding only the first `count` migrations: "the previous release". */
async function previousMigrations(count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'yq-migrations-'));
  for (const name of (await migrationNames()).slice(0, count))
    await cp(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
  await cp(join(MIGRATIONS_DIR, 'migration_lock.toml'), join(dir, 'migration_lock.toml'));
  return dir;
}

async function appliedInDatabase(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    return rows.map((r) => r.migration_name);
  } finally {
    await client.end();
  }
}

/** Exercises the migrated schema: the search trigger and the append-only audit log. */
async function checkSchemaWorks(url: string): Promise<void> {
  // Inside packages/db a test may use Prisma directly to exercise the schema.
  const db = prismaOf(createDbClient(url, 2));
  try {
    const mention = await db.mention.create({
      data: {
        url: 'https://a.example/1',
        canonicalUrl: 'https://a.example/1',
        urlHash: 'h1',
        contentHash: 'c1',
        title: '养老金上调',
        body: '…',
        searchTokens: '养老金 上调 通知',
      },
    });
    const found = await db.$queryRaw<
      { id: number }[]
    >`SELECT id FROM "Mention" WHERE "searchVector" @@ plainto_tsquery('simple', '养老金')`;
    expect(found.map((r) => r.id)).toEqual([mention.id]);
    await db.auditLog.create({ data: { action: 'test', entityType: 'mention', entityId: String(mention.id) } });
    await expect(db.auditLog.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(db.auditLog.updateMany({ data: { action: 'changed' } })).rejects.toThrow(/append-only/);
    expect(await db.auditLog.count()).toBe(1);
  } finally {
    await db.$disconnect();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('migrations on PostgreSQL', () => {
  it('apply from empty, record bookkeeping, and are idempotent', async () => {
    const test = await createTestDatabase({ migrate: false });
    cleanups.push(test.drop);
    const all = await migrationNames();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(await applyMigrations(test.url, MIGRATIONS_DIR)).toEqual(all);
    expect(await applyMigrations(test.url, MIGRATIONS_DIR)).toEqual([]);
    expect(await appliedInDatabase(test.url)).toEqual(all);
    await checkSchemaWorks(test.url);
  });

  it('a migration recorded as unfinished is not taken for applied: the engine reports it', async () => {
    const test = await createTestDatabase();
    cleanups.push(test.drop);
    const all = await migrationNames();
    // Recorded as started and never finished: what a crash halfway through a migration leaves behind.
    const client = new pg.Client({ connectionString: test.url });
    await client.connect();
    try {
      await client.query('UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1', [all.at(-1)]);
    } finally {
      await client.end();
    }
    await expect(applyMigrations(test.url, MIGRATIONS_DIR)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
  });

  it('apply from the previous migration', async () => {
    const test = await createTestDatabase({ migrate: false });
    cleanups.push(test.drop);
    const all = await migrationNames();
    const previous = await previousMigrations(all.length - 1);
    cleanups.push(() => rm(previous, { recursive: true, force: true }));
    expect(await applyMigrations(test.url, previous)).toEqual(all.slice(0, -1));
    expect(await applyMigrations(test.url, MIGRATIONS_DIR)).toEqual(all.slice(-1));
    await checkSchemaWorks(test.url);
  });
});

describe('migrations on embedded PGlite', () => {
  it('apply from empty over the loopback socket', async () => {
    const server = await openMemoryServer();
    cleanups.push(server.close);
    const all = await migrationNames();
    expect(await applyMigrations(server.url, MIGRATIONS_DIR)).toEqual(all);
    expect(await applyMigrations(server.url, MIGRATIONS_DIR)).toEqual([]);
    await checkSchemaWorks(server.url);
  });

  it('apply from the previous migration on a persistent data folder, across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yq-pglite-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const all = await migrationNames();
    const previous = await previousMigrations(all.length - 1);
    cleanups.push(() => rm(previous, { recursive: true, force: true }));

    const first = await openEmbeddedServer(dataDir);
    expect(first.owned).toBe(true);
    expect(await applyMigrations(first.url, previous)).toEqual(all.slice(0, -1));
    await first.close();

    const second = await openEmbeddedServer(dataDir);
    try {
      expect(await appliedInDatabase(second.url)).toEqual(all.slice(0, -1));
      expect(await applyMigrations(second.url, MIGRATIONS_DIR)).toEqual(all.slice(-1));
      await checkSchemaWorks(second.url);
    } finally {
      await second.close();
    }
  });
});

describe('schema and migrations', () => {
  it('agree: schema.prisma has no change missing from prisma/migrations', async () => {
    expect(await pendingSchemaChanges({ schemaPath: SCHEMA_PATH, migrationsDir: MIGRATIONS_DIR })).toBe('');
  });
});
