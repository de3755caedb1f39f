import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@yuqing/core';
import { findUserByUsername, listAudit } from '@yuqing/db';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';

const exec = promisify(execFile);
let database: TestDatabase;

async function yq(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('pnpm', ['--silent', 'yq', 'user', ...args], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'info' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('yq user', () => {
  it('adds a user with a generated password printed once on stdout, and audits it', async () => {
    const res = await yq(['add', '--username', 'zhangsan', '--role', 'spokesperson', '--name', '张三']);
    expect(res.code).toBe(0);
    const password = res.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const user = await findUserByUsername(database.db, 'zhangsan');
    expect(user).toMatchObject({ role: 'spokesperson', displayName: '张三' });
    expect(await verifyPassword(password, user!.passwordHash)).toBe(true);
    expect(
      (await listAudit(database.db, { entityType: 'user', entityId: String(user!.id) })).map((a) => a.action),
    ).toEqual(['user.create']);
  }, 180_000);

  it('changes a password, refuses bad input with usage errors, lists users', async () => {
    expect((await yq(['passwd', '--username', 'zhangsan', '--password', 'new-password-123'])).code).toBe(0);
    const user = await findUserByUsername(database.db, 'zhangsan');
    expect(await verifyPassword('new-password-123', user!.passwordHash)).toBe(true);
    const dup = await yq(['add', '--username', 'zhangsan', '--role', 'analyst']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    expect((await yq(['add', '--username', 'x', '--role', 'boss'])).code).toBe(2);
    expect((await yq(['passwd', '--username', 'nobody'])).code).toBe(1);
    const list = await yq(['list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      { id: user!.id, username: 'zhangsan', displayName: '张三', role: 'spokesperson', active: true },
    ]);
  }, 180_000);
});
