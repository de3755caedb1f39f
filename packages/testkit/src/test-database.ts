// A fresh PostgreSQL database per test file, plus plain-SQL reads of it: tests check stored rows without Prisma.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, closeDbClient, createDbClient, MIGRATIONS_DIR, type Db } from '@yuqing/db';
import { SecretBox } from '@yuqing/core';

/** The PostgreSQL server tests use; each test gets its own database on it. */
export const TEST_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Pool size of a test database's handle: tests run a few queries at a time. */
const TEST_POOL_SIZE = 5;

/** A fresh, migrated PostgreSQL database for one test file; `drop()` removes it. */
export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

/** Connection URL of each handle {@link createTestDatabase} made, so helpers can take the handle itself. */
const urlByHandle = new WeakMap<Db, string>();

/**
 * Where SQL helpers connect: a handle from {@link createTestDatabase}, an object holding one as `db` (a test
 * database or test dashboard), an open database with its PostgreSQL `url`, or that URL itself.
 */
export type SqlTarget = Db | { db: Db } | { url: string } | string;

/** The connection URL of a {@link SqlTarget}. */
export function urlOf(target: SqlTarget): string {
  if (typeof target === 'string') return target;
  const known = urlByHandle.get(target as Db);
  if (known) return known;
  // A test dashboard's `url` is its HTTP address: its handle says where the database is.
  const held = 'db' in target ? urlByHandle.get(target.db) : undefined;
  if (held) return held;
  if ('url' in target && typeof target.url === 'string' && /^postgres(ql)?:/.test(target.url)) return target.url;
  throw new Error('sql helpers: pass a handle from createTestDatabase, an object with the database url, or the url');
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** PostgreSQL's `timestamp` (without time zone). */
const TIMESTAMP_OID = 1114;

/** Prisma stores UTC in `timestamp` columns: read them back as UTC too, whatever the process time zone. */
const utcTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Runs `work` on a new connection to `url` (closed after); timestamps read as UTC, as Prisma writes them. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types: utcTypes });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Creates `yq_test_<random>` on the real PostgreSQL server, applies the migrations (unless `migrate: false`)
 * and returns a handle. Tests call `drop()` in afterAll.
 */
export async function createTestDatabase(
  options: { migrate?: boolean; serverUrl?: string; secretKey?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? TEST_POSTGRES_URL;
  const name = `yq_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(serverUrl, name);
  if (options.migrate !== false) await applyMigrations(url, MIGRATIONS_DIR);
  // Without `secretKey` secrets stay plaintext (as before encryption), so CLI children with their own key file and
  // in-process handles do not disagree; secret-storage tests pass one.
  const db = createDbClient(
    url,
    TEST_POOL_SIZE,
    options.secretKey ? { secretBox: SecretBox.fromBase64(options.secretKey) } : {},
  );
  urlByHandle.set(db, url);
  return {
    url,
    name,
    db,
    drop: async () => {
      await closeDbClient(db);
      await withClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Runs one SQL statement on the test database (own connection, closed after) and returns its rows. */
export async function sqlRows<T extends Record<string, unknown> = Record<string, unknown>>(
  target: SqlTarget,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withClient(urlOf(target), async (client) => (await client.query<T>(text, params)).rows);
}

/**
 * `SELECT count(*) FROM "<table>" [WHERE <where>]` as a number. `where` is SQL with `$1…` placeholders for `params`,
 * e.g. `countRows(db, 'Mention', '"sourceId" = $1', [id])`.
 */
export async function countRows(
  target: SqlTarget,
  table: string,
  where?: string,
  params: unknown[] = [],
): Promise<number> {
  const rows = await sqlRows<{ n: string }>(
    target,
    `SELECT count(*) AS n FROM "${table}"${where ? ` WHERE ${where}` : ''}`,
    params,
  );
  return Number(rows[0]!.n);
}
