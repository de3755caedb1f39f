import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { createLogger, NonRetryableError, redactUrl, RetryableError } from '@yuqing/core';
import { PrismaClient } from './generated/prisma/client.ts';
import { prismaOf, toHandle, type Db } from './handle.ts';
import { mapPrismaError } from './prisma-errors.ts';
import { openEmbeddedServer, type EmbeddedServer } from './embedded-server.ts';
import { applyMigrations } from './schema-engine.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import { resolveSecretBox, sealStoredSecrets, withSecretFields } from './secret-fields.ts';
import type { SecretBox } from '@yuqing/core';

const log = createLogger('db');

export type { Db, DbTx } from './handle.ts';

/** Connecting to the embedded database waits its turn behind running work: allow for a busy machine. */
const CONNECT_TIMEOUT_MS = 15_000;
const TRANSACTION_MAX_WAIT_MS = 15_000;
const TRANSACTION_TIMEOUT_MS = 60_000;
/** Per-process pool size; PGlite serialises anyway, PostgreSQL serves many. */
const DEFAULT_POOL_SIZE = 10;

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; undefined selects the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Data folder for the embedded database. */
  dataDir: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  poolSize?: number;
  /**
   * YQ_SECRET_KEY (base64, 32 bytes) encrypting alert channel and source secrets. @defaultValue the key file in
   * `dataDir`, generated on first start
   */
  secretKey?: string | undefined;
}

/** An open database: the handle plus what it runs on. */
export interface Database {
  db: Db;
  /** Connection URL in use (for the embedded default: the loopback PGlite socket). */
  url: string;
  kind: 'postgresql' | 'embedded';
  /** Names of migrations applied while opening. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** Describes where a URL points without its password, for error messages. */
function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return redactUrl(url);
  }
}

/** Checks that PostgreSQL answers, turning driver errors into a clear, coded error. */
export async function probeDatabase(url: string, label = 'DATABASE_URL'): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const target = describeTarget(url);
    if (err.code === '3D000') {
      throw new NonRetryableError(
        'DB_NOT_FOUND',
        `database does not exist at ${target} (${label}): create it first, e.g. createdb`,
        { cause: error },
      );
    }
    if (err.code === '28P01' || err.code === '28000') {
      throw new NonRetryableError('DB_AUTH_FAILED', `PostgreSQL at ${target} refused the credentials in ${label}`, {
        cause: error,
      });
    }
    throw new RetryableError(
      'DB_UNREACHABLE',
      `cannot reach PostgreSQL at ${target} (${label}): ${err.message || err.code}. Is the server running? Unset ${label} to use the embedded database.`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A database handle over node-postgres for `url`. Every query's Prisma error is mapped to the project's error
 * classes here (see `mapPrismaError`), so callers never see a Prisma code.
 */
export function createDbClient(
  url: string,
  poolSize = DEFAULT_POOL_SIZE,
  options: { secretBox?: SecretBox | undefined } = {},
): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // The embedded database runs one transaction at a time: waiting for a turn is normal there, so the
  // start of a transaction may wait longer than Prisma's 2 s default.
  const client = new PrismaClient({
    adapter,
    transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: TRANSACTION_TIMEOUT_MS },
  });
  const mapped = client.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          throw mapPrismaError(error);
        }
      },
    },
  });
  // The extensions only wrap queries: the client keeps PrismaClient's shape.
  const handle = toHandle(withSecretFields(mapped as unknown as PrismaClient, options.secretBox));
  if (options.secretBox) boxByHandle.set(handle, options.secretBox);
  return handle;
}

const boxByHandle = new WeakMap<Db, SecretBox>();

/**
 * The installation's secret key a handle was opened with (YQ_SECRET_KEY or the key file), for keys derived from it
 * (the alert acknowledgement links); undefined for a handle opened without one (tools and tests that hold no
 * secrets).
 */
export function secretBoxOf(db: Db): SecretBox | undefined {
  return boxByHandle.get(db);
}

/** Closes a handle's connection pool (errors while closing are ignored: the handle is being dropped). */
export async function closeDbClient(db: Db): Promise<void> {
  await prismaOf(db)
    .$disconnect()
    .catch(() => {});
}

/**
 * Opens the configured database: PostgreSQL when a URL is given, otherwise the embedded PGlite
 * database (served on loopback so other processes can share it). Applies pending migrations unless told not to.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let url: string;
  if (options.databaseUrl) {
    url = options.databaseUrl;
  } else {
    embedded = await openEmbeddedServer(options.dataDir);
    url = embedded.url;
  }
  try {
    await probeDatabase(url, embedded ? 'embedded database' : 'DATABASE_URL');
    const appliedMigrations = options.migrate === false ? [] : await applyMigrations(url, MIGRATIONS_DIR);
    if (appliedMigrations.length > 0) log.info({ applied: appliedMigrations }, 'migrations applied');
    const secretBox = await resolveSecretBox(options.secretKey, options.dataDir);
    const db = createDbClient(url, options.poolSize, { secretBox });
    if (options.migrate !== false) {
      // One-shot step next to the migrations: secrets stored in plaintext before encryption existed get sealed.
      const sealed = await sealStoredSecrets(prismaOf(db));
      if (sealed > 0) log.info({ rows: sealed }, 'stored secrets encrypted');
    }
    return {
      db,
      url,
      kind: embedded ? 'embedded' : 'postgresql',
      appliedMigrations,
      close: async () => {
        await closeDbClient(db);
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}
