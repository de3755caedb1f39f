import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedServer, passwordFilePath, type EmbeddedServer } from './embedded-server.ts';

const EMBEDDED_SERVER_MODULE = fileURLToPath(new URL('./embedded-server.ts', import.meta.url));

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dataDir: string;
let server: EmbeddedServer;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'yq-pglite-auth-'));
  server = await openEmbeddedServer(dataDir);
  port = Number(new URL(server.url).port);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Connects with `pg` and runs one query; resolves with the error code when refused. */
async function tryConnect(config: pg.ClientConfig): Promise<string> {
  const client = new pg.Client({ connectionTimeoutMillis: 10_000, ...config });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    return result.rows[0]?.one === 1 ? 'ok' : 'no row';
  } catch (error) {
    const err = error as { code?: string; message: string };
    return err.code ?? err.message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('embedded database socket authentication', () => {
  it('refuses a client without a password', async () => {
    const outcome = await tryConnect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    expect(outcome).not.toBe('ok');
    // node-postgres refuses to start SCRAM without a password; a client that sends an empty one gets 28P01.
    expect(
      await tryConnect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', password: '' }),
    ).not.toBe('ok');
  });

  it('refuses a wrong password with PostgreSQL’s authentication error', async () => {
    const outcome = await tryConnect({ host: '127.0.0.1', port, user: 'postgres', password: 'not-the-password' });
    expect(outcome).toBe('28P01');
  });

  it('accepts the password from the data folder, also through the URL other processes build', async () => {
    const password = (await readFile(passwordFilePath(dataDir), 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(40);
    expect(await tryConnect({ host: '127.0.0.1', port, user: 'postgres', password })).toBe('ok');
    expect(await tryConnect({ connectionString: server.url })).toBe('ok');
    // What `yq` commands and extra workers do while `yq start` owns the database: another process finds the
    // server and reads the same password file (PGlite must not be opened twice, so this runs in a child).
    const script = [
      `import { openEmbeddedServer } from ${JSON.stringify(EMBEDDED_SERVER_MODULE)};`,
      `import pg from 'pg';`,
      `const shared = await openEmbeddedServer(${JSON.stringify(dataDir)});`,
      `const client = new pg.Client({ connectionString: shared.url });`,
      `await client.connect();`,
      `const { rows } = await client.query('SELECT 2 AS two');`,
      `await client.end();`,
      `console.log(JSON.stringify({ owned: shared.owned, two: rows[0].two }));`,
    ].join('\n');
    const child = await runNode(['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(child.code, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toEqual({ owned: false, two: 2 });
  });

  it('keeps the password file readable by its owner only', async () => {
    const mode = (await stat(passwordFilePath(dataDir))).mode & 0o777;
    expect(mode.toString(8)).toBe('600');
  });

  it('listens on loopback only', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      console.warn('no non-loopback IPv4 address on this machine: only the URL host is checked');
      return;
    }
    const password = (await readFile(passwordFilePath(dataDir), 'utf8')).trim();
    const outcome = await tryConnect({ host: external.address, port, user: 'postgres', password });
    expect(outcome).toBe('ECONNREFUSED');
  });
});
