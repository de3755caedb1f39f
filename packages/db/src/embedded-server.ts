import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

/** URL of a PGlite socket server: user/database names are accepted as given, no password. */
export function embeddedUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
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
  return { url: embeddedUrl(info.port), pid: info.pid };
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
  const server = new PGliteWireServer(db);
  const port = await server.listen(options.port ?? 0, '127.0.0.1');
  const file: ServerFile = { pid: process.pid, port, startedAt: new Date().toISOString() };
  await writeFile(serverFilePath(dataDir), JSON.stringify(file));
  log.info({ port }, 'embedded database (PGlite) serving on loopback');
  let closed = false;
  return {
    url: embeddedUrl(port),
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
  const server = new PGliteWireServer(db);
  const port = await server.listen(0, '127.0.0.1');
  return {
    url: embeddedUrl(port),
    owned: true,
    close: async () => {
      await server.close().catch(() => {});
      await db.close().catch(() => {});
    },
  };
}
