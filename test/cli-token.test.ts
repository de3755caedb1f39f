// `yq token create|list|revoke` through the real launcher on real PostgreSQL: the token printed once on stdout,
// only its SHA-256 stored, audited with the CLI marker, listed by prefix, revoked; and `yq mcp --help` in Chinese.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '@yuqing/db';
import { countRows, createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';

const exec = promisify(execFile);
let database: TestDatabase;

async function yq(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', ['packages/cli/bin/yq.mjs', ...args], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: database.url },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  await createUser(database.db, {
    username: 'zhangwei',
    displayName: '张伟',
    email: 'zhangwei@rsj.example.gov.cn',
    passwordHash: 'x',
    role: 'analyst',
  });
});
afterAll(async () => {
  await database?.drop();
});

describe('yq token', () => {
  it('creates a token for a user named by e-mail, lists and revokes it', async () => {
    const created = await yq([
      'token',
      'create',
      '--user',
      'zhangwei@rsj.example.gov.cn',
      '--scope',
      'read',
      '--name',
      '周报',
    ]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^yqt_[A-Za-z0-9_-]{43}$/);
    const [row] = await sqlRows<{ id: number; tokenHash: string; scopes: string[] }>(
      database.url,
      'SELECT id, "tokenHash", scopes FROM "ApiToken"',
    );
    expect(row!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row!.scopes).toEqual(['read']);
    expect(await countRows(database.url, 'AuditLog', `action = 'api-token.create' AND ip = 'cli'`)).toBe(1);

    const listed = await yq(['token', 'list', '--json']);
    expect(listed.code).toBe(0);
    const items = JSON.parse(listed.stdout);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: '周报', username: 'zhangwei', prefix: token.slice(0, 10), revokedAt: null });
    expect(listed.stdout).not.toContain(token);

    const revoked = await yq(['token', 'revoke', String(row!.id)]);
    expect(revoked.code).toBe(0);
    const after = JSON.parse((await yq(['token', 'list', '--json'])).stdout);
    expect(after[0].revokedAt).not.toBeNull();
    expect(await countRows(database.url, 'AuditLog', `action = 'api-token.revoke'`)).toBe(1);
  }, 60_000);

  it('refuses an unknown user, an unknown scope and an ingest token without a source', async () => {
    expect((await yq(['token', 'create', '--user', 'nobody@example.cn'])).code).not.toBe(0);
    const badScope = await yq(['token', 'create', '--user', 'zhangwei', '--scope', 'write']);
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toMatch(/scopes/);
    const noSource = await yq(['token', 'create', '--user', 'zhangwei', '--scope', 'ingest']);
    expect(noSource.code).not.toBe(0);
    expect(noSource.stderr).toMatch(/sourceId/);
    expect(await countRows(database.url, 'ApiToken')).toBe(1);
  }, 60_000);
});
