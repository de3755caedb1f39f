import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createLogger, NonRetryableError, RetryableError } from '@yuqing/core';
import { PGliteWireServer } from './pglite-wire-server.ts';

const log = createLogger('embedded-db');

const PROBE_TIMEOUT_MS = 1500;

/** Written next to the data folder by the process that owns the embedded database. */
interface ServerFile {
  pid: number;
  port: number;
  startedAt: string;
}

/** A running embedded PostgreSQL (PGlite) reachable over TCP by any process on this machine. */
export interface EmbeddedServer {
  /** postgresql:// URL for node-postgres / Prisma's pg adapter. */
  url: string;
  /** True when this process opened the database and must close it. */
  owned: boolean;
  close(): Promise<void>;
}

function serverFilePath(dataDir: string): string {
  return join(dataDir, 'pglite-server.json');
}

/** The embedded database's password: generated once, readable by the installation's owner only. */
export function passwordFilePath(dataDir: string): string {
  return join(dataDir, 'pglite-password');
}

/** 32 random bytes, URL-safe: goes into a postgresql:// URL without escaping. */
const PASSWORD_BYTES = 32;

/** Reads the password file; undefined when there is none yet. */
async function readPassword(dataDir: string): Promise<string | undefined> {
  try {
    const password = (await readFile(passwordFilePath(dataDir), 'utf8')).trim();
    return password === '' ? undefined : password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new NonRetryableError(
      'EMBEDDED_DB_PASSWORD_UNREADABLE',
      `cannot read the embedded database password ${passwordFilePath(dataDir)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The password in the data folder, created (mode 0600) when missing; an existing file is tightened to 0600. */
async function ensurePassword(dataDir: string): Promise<string> {
  const path = passwordFilePath(dataDir);
  const existing = await readPassword(dataDir);
  if (existing) {
    await chmod(path, 0o600);
    return existing;
  }
  const password = randomBytes(PASSWORD_BYTES).toString('base64url');
  // 'wx': two processes starting at once must not overwrite each other's password.
  try {
    await writeFile(path, `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readPassword(dataDir)) ?? password;
    throw error;
  }
  return password;
}

/** URL of a PGlite socket server; the user and database names are accepted as given, the password is checked. */
export function embeddedUrl(port: number, password: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The embedded server another process of this installation is running, if any. */
export async function findRunningEmbeddedServer(dataDir: string): Promise<{ url: string; pid: number } | undefined> {
  let info: ServerFile;
  try {
    info = JSON.parse(await readFile(serverFilePath(dataDir), 'utf8')) as ServerFile;
  } catch {
    return undefined;
  }
  if (info.pid === process.pid) return undefined;
  if (!processAlive(info.pid) || !(await portAnswers(info.port))) return undefined;
  const password = await readPassword(dataDir);
  if (!password) {
    throw new NonRetryableError(
      'EMBEDDED_DB_PASSWORD_MISSING',
      `the embedded database is served by process ${info.pid} but ${passwordFilePath(dataDir)} is missing`,
    );
  }
  return { url: embeddedUrl(info.port, password), pid: info.pid };
}

/**
 * Opens the embedded database in `<dataDir>/pglite` and serves it on an ephemeral loopback port so that
 * other `yq` processes (commands, extra workers) can use it while the system runs. When another live
 * process already serves it, connects to that one instead (PGlite must never be opened twice).
 */
export async function openEmbeddedServer(dataDir: string, options: { port?: number } = {}): Promise<EmbeddedServer> {
  const running = await findRunningEmbeddedServer(dataDir);
  if (running) {
    log.debug({ pid: running.pid }, 'using the embedded database served by another process');
    return { url: running.url, owned: false, close: async () => {} };
  }
  const dbDir = join(dataDir, 'pglite');
  try {
    await mkdir(dbDir, { recursive: true });
  } catch (error) {
    throw new NonRetryableError(
      'DATA_DIR_UNWRITABLE',
      `cannot create the embedded database folder ${dbDir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let db: PGlite;
  try {
    db = await PGlite.create(dbDir);
  } catch (error) {
    throw new RetryableError(
      'EMBEDDED_DB_OPEN_FAILED',
      `cannot open the embedded database in ${dbDir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const password = await ensurePassword(dataDir);
  const server = new PGliteWireServer(db, password);
  const port = await server.listen(options.port ?? 0);
  const file: ServerFile = { pid: process.pid, port, startedAt: new Date().toISOString() };
  await writeFile(serverFilePath(dataDir), JSON.stringify(file));
  log.info({ port }, 'embedded database (PGlite) serving on loopback');
  let closed = false;
  return {
    url: embeddedUrl(port, password),
    owned: true,
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close().catch(() => {});
      await db.close().catch(() => {});
      await rm(serverFilePath(dataDir), { force: true });
    },
  };
}

/**
 * An in-memory PGlite served on a loopback port: a throwaway database for tests and for the
 * shadow database that `db migration` diffs against.
 */
export async function openMemoryServer(): Promise<EmbeddedServer> {
  const db = await PGlite.create();
  // A fresh password per throwaway database: nothing else on the machine can reach it either.
  const password = randomBytes(PASSWORD_BYTES).toString('base64url');
  const server = new PGliteWireServer(db, password);
  const port = await server.listen(0);
  return {
    url: embeddedUrl(port, password),
    owned: true,
    close: async () => {
      await server.close().catch(() => {});
      await db.close().catch(() => {});
    },
  };
}
