import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from './schema-engine.ts';
import { createDbClient, type Db } from './client.ts';
import { MIGRATIONS_DIR } from './paths.ts';

/** The PostgreSQL server tests use; each test gets its own database on it. */
export const TEST_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated PostgreSQL database for one test file; `drop()` removes it. */
export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates `yq_test_<random>` on the real PostgreSQL server, applies the migrations (unless `migrate: false`)
 * and returns a client. Tests call `drop()` in afterAll.
 */
export async function createTestDatabase(options: { migrate?: boolean; serverUrl?: string } = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? TEST_POSTGRES_URL;
  const name = `yq_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  if (options.migrate !== false) await applyMigrations(url, MIGRATIONS_DIR);
  const db = createDbClient(url, 5);
  return {
    url,
    name,
    db,
    drop: async () => {
      await db.$disconnect().catch(() => {});
      const adminEnd = new pg.Client({ connectionString: serverUrl });
      await adminEnd.connect();
      try {
        await adminEnd.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await adminEnd.end();
      }
    },
  };
}
