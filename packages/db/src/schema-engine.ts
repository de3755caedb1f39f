import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { createLogger, NonRetryableError, RetryableError } from '@yuqing/core';

const log = createLogger('schema-engine');

/** Minimal view of the wasm-bindgen module; its own typings describe the inputs we pass. */
interface SchemaEngineModule {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: {
    new: (
      options: { datamodels: [string, string][] | undefined },
      log: (message: string) => void,
      adapter: object,
    ) => Promise<SchemaEngineInstance>;
  };
}

export interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: {
    path: string;
    migrationFile: { path: string; content: { tag: 'ok'; value: string } | { tag: 'error'; value: string } };
  }[];
}

interface SchemaEngineInstance {
  applyMigrations(input: {
    migrationsList: MigrationList;
    filters: SchemaFilter;
  }): Promise<{ appliedMigrationNames: string[] }>;
  diff(params: {
    from: unknown;
    to: unknown;
    script: boolean;
    exitCode: boolean | null;
    filters: SchemaFilter;
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

type SchemaFilter = { externalTables: string[]; externalEnums: string[] };
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

let modulePromise: Promise<SchemaEngineModule> | undefined;

/**
 * Loads Prisma's schema engine compiled to WebAssembly. The package is a bundler build (it imports the
 * .wasm file as a module), so Node cannot import its entry; we instantiate the wasm by hand instead.
 * This is what makes migrations work without downloading the native engine.
 */
function loadSchemaEngine(): Promise<SchemaEngineModule> {
  modulePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = (await import(bgPath)) as SchemaEngineModule;
    const wasmBytes = await readFile(bgPath.replace(/schema_engine_bg\.js$/, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(wasmBytes, {
      './schema_engine_bg.js': withUnrefTimers(bg as unknown as WebAssembly.ModuleImports),
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return modulePromise;
}

/**
 * The engine arms a 10 s timer for each operation (its lock and connection timeouts) and leaves it running
 * after the operation has finished, which kept every `yq` command alive for 10 s after its work was done.
 * Such a timer only matters while the engine waits on a socket, and that socket keeps the process alive by
 * itself: the engine's timers are unref'd so they never hold the process open on their own.
 */
function withUnrefTimers(imports: WebAssembly.ModuleImports): WebAssembly.ModuleImports {
  const wrapped: WebAssembly.ModuleImports = { ...imports };
  for (const [name, value] of Object.entries(imports)) {
    if (!/^__wbg_setTimeout_/.test(name) || typeof value !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      const timer: unknown = (value as (...a: unknown[]) => unknown)(...args);
      if (timer && typeof (timer as NodeJS.Timeout).unref === 'function') (timer as NodeJS.Timeout).unref();
      return timer;
    };
  }
  return wrapped;
}

/** Reads prisma/migrations the way the Prisma CLI does. */
export async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  let names: string[] = [];
  try {
    names = (await readdir(migrationsDir)).sort();
  } catch {
    names = [];
  }
  const migrationDirectories: MigrationList['migrationDirectories'] = [];
  for (const name of names) {
    const dir = join(migrationsDir, name);
    if (!(await stat(dir)).isDirectory()) continue;
    let content: { tag: 'ok'; value: string } | { tag: 'error'; value: string };
    try {
      content = { tag: 'ok', value: await readFile(join(dir, 'migration.sql'), 'utf8') };
    } catch (error) {
      content = { tag: 'error', value: (error as Error).message };
    }
    migrationDirectories.push({ path: name, migrationFile: { path: 'migration.sql', content } });
  }
  let lockContent: string | null = null;
  try {
    lockContent = await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8');
  } catch {
    lockContent = null;
  }
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

type AdapterFactory = Parameters<typeof bindMigrationAwareSqlAdapterFactory>[0];

/** The parts of @prisma/adapter-pg's connection we reach into (see pgAdapterFactory). */
interface PgAdapterInternals {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
  executeScript(script: string): Promise<void>;
}

/**
 * node-postgres adapter for applying migrations to PostgreSQL or to the embedded database's socket.
 * @prisma/adapter-pg splits a migration script on every ';', which breaks PL/pgSQL bodies ($$ … ; … $$)
 * such as our triggers. A script is sent whole instead, as `prisma migrate deploy` does: the simple-query
 * protocol runs multi-statement strings natively.
 */
function pgAdapterFactory(url: string): AdapterFactory & { disposeAll(): Promise<void> } {
  const factory = new PrismaPg({ connectionString: url });
  const connect = factory.connect.bind(factory);
  const adapters: Array<{ dispose(): Promise<void> }> = [];
  factory.connect = async () => {
    const adapter = await connect();
    adapters.push(adapter);
    const internals = adapter as unknown as PgAdapterInternals;
    internals.executeScript = async (script: string) => {
      try {
        await internals.client.query(script);
      } catch (error) {
        internals.onError(error);
      }
    };
    return adapter;
  };
  // The engine takes a session-level advisory lock and never closes its pool: while this process lives, every
  // other process that migrates (a second `yq worker`) would wait on that lock. Closing the pool releases it.
  return Object.assign(factory as unknown as AdapterFactory, {
    disposeAll: async () => void (await Promise.all(adapters.splice(0).map((a) => a.dispose().catch(() => {})))),
  });
}

async function withEngine<T>(
  factory: AdapterFactory,
  schema: string | undefined,
  fn: (engine: SchemaEngineInstance) => Promise<T>,
): Promise<T> {
  const bg = await loadSchemaEngine();
  const engine = await bg.SchemaEngine.new(
    { datamodels: schema === undefined ? undefined : [['schema.prisma', schema]] },
    (message: string) => log.debug({ engine: message.slice(0, 500) }, 'schema engine'),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } catch (error) {
    throw translateEngineError(error);
  } finally {
    engine.free();
  }
}

function translateEngineError(error: unknown): Error {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  if (
    /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect/i.test(
      text,
    )
  ) {
    return new RetryableError('DB_UNREACHABLE', `database unreachable while migrating: ${text}`, { cause: error });
  }
  return new NonRetryableError('MIGRATION_FAILED', `migration failed: ${text}`, { cause: error });
}

/**
 * Applies every pending migration in `migrationsDir` (idempotent; bookkeeping in `_prisma_migrations`,
 * exactly as `prisma migrate deploy` keeps it). Returns the names applied now.
 */
export async function applyMigrations(url: string, migrationsDir: string): Promise<string[]> {
  const migrationsList = await readMigrationList(migrationsDir);
  // Loading and starting the engine costs about a second of CPU; every `yq` command opens the database, and
  // nearly always every migration is applied already.
  if (await allMigrationsApplied(url, migrationsList)) return [];
  // Several processes starting at once (N workers) queue on the engine's advisory lock, and the engine gives up
  // after 10 s ("reached but timed out"); the lock frees once the first one is done, so try again.
  for (let attempt = 1; ; attempt++) {
    try {
      const factory = pgAdapterFactory(url);
      try {
        return await withEngine(factory, undefined, async (engine) => {
          const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
          return result.appliedMigrationNames;
        });
      } finally {
        await factory.disposeAll();
      }
    } catch (error) {
      if (
        attempt >= MIGRATION_LOCK_ATTEMPTS ||
        !/reached but timed out|advisory lock/i.test(error instanceof Error ? error.message : String(error))
      )
        throw error;
      log.warn({ attempt }, 'another process holds the migration lock; retrying');
    }
  }
}

/**
 * True when `_prisma_migrations` records every migration of the list as finished, not rolled back, with the
 * checksum of the file as it is now (the engine's own check). Anything else (no table yet, a pending, failed or
 * edited migration, an unreadable file) answers false and leaves the decision, and its error messages, to the
 * engine.
 */
async function allMigrationsApplied(url: string, migrationsList: MigrationList): Promise<boolean> {
  const expected = new Map<string, string>();
  for (const dir of migrationsList.migrationDirectories) {
    if (dir.migrationFile.content.tag !== 'ok') return false;
    expected.set(dir.path, createHash('sha256').update(dir.migrationFile.content.value).digest('hex'));
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: MIGRATION_CHECK_TIMEOUT_MS });
  try {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map<string, Set<string>>();
    for (const row of rows)
      applied.set(row.migration_name, (applied.get(row.migration_name) ?? new Set()).add(row.checksum));
    for (const [name, checksum] of expected) if (!applied.get(name)?.has(checksum)) return false;
    return true;
  } catch (error) {
    log.debug({ err: String(error) }, 'migration check inconclusive; asking the schema engine');
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** How long the quick "anything pending?" check waits for a connection (the embedded database may be busy). */
const MIGRATION_CHECK_TIMEOUT_MS = 15_000;

/** Attempts at taking the migration lock when other processes hold it (each attempt waits up to 10 s). */
const MIGRATION_LOCK_ATTEMPTS = 6;

/**
 * SQL that takes a database built by the migrations in `migrationsDir` to `schema`, or '' when they agree.
 * The migrations are replayed on throwaway in-memory PGlite databases. (The node-postgres adapter cannot
 * describe a schema: it rejects PostgreSQL's internal "char" type that the engine's catalogue queries
 * return; the PGlite adapter maps it.)
 */
export async function diffMigrationsToSchema(schema: string, migrationsDir: string): Promise<string> {
  const migrationsList = await readMigrationList(migrationsDir);
  const main = await PGlite.create();
  try {
    return await withEngine(new PrismaPGlite(main) as unknown as AdapterFactory, schema, async (engine) => {
      const from =
        migrationsList.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...migrationsList };
      const result = await engine.diff({
        from,
        to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
        script: true,
        exitCode: null,
        filters: NO_FILTER,
      });
      const sql = result.stdout ?? '';
      return /This is an empty migration/.test(sql) ||
        sql.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'))
        ? ''
        : sql;
    });
  } finally {
    await main.close();
  }
}
