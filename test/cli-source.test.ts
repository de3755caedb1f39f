// `yq source …` on real PostgreSQL: the preset list with parameters, a 微博 source added from a preset (printed as
// JSON with its id, the login cookie masked but stored), a source file, and a missing parameter named.
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '@yuqing/core';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';

const exec = promisify(execFile);
let database: TestDatabase;
let dir: string;

async function yq(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('pnpm', ['--silent', 'yq', 'source', ...args], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'yq-source-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

describe('yq source', () => {
  it('lists the presets with their parameters', async () => {
    const list = await yq(['presets', '--json']);
    expect(list.code).toBe(0);
    const presets = JSON.parse(list.stdout) as Array<{
      name: string;
      params: Array<{ key: string; secret?: boolean }>;
    }>;
    const user = presets.find((p) => p.name === 'weibo-user')!;
    expect(user.params.map((p) => p.key)).toEqual(['uid', 'cookie']);
    expect(user.params.find((p) => p.key === 'cookie')!.secret).toBe(true);
    expect(presets.some((p) => p.name === 'weibo-search')).toBe(true);
    const text = await yq(['presets']);
    expect(text.stdout).toContain('--param keyword=…  关键词（必填）');
  });

  it('adds a weibo-user source from a preset: JSON with its id, the cookie masked in output and kept encrypted in storage', async () => {
    const add = await yq(['add', '--preset', 'weibo-user', '--param', 'uid=1669879400', '--param', 'cookie=SUB=abc=1']);
    expect(add.code, add.stderr).toBe(0);
    const source = JSON.parse(add.stdout) as { id: number; kind: string; url: string; config: Record<string, unknown> };
    expect(source).toMatchObject({ kind: 'weibo', url: 'https://m.weibo.cn' });
    expect(source.config).toMatchObject({ mode: 'user', uid: '1669879400', cookie: '******' });
    expect(add.stdout).not.toContain('SUB=abc');
    const [row] = await sqlRows<{ config: { cookie: string } }>(
      database.url,
      'SELECT config FROM "Source" WHERE id = $1',
      [source.id],
    );
    // Kept, and encrypted at rest with the data folder's secret key (test/secret-storage.test.ts reads such values back).
    expect(row!.config.cookie).toMatch(/^yqenc:v1:/);
    expect(JSON.stringify(row!.config)).not.toContain('SUB=abc');
  });

  it('seals a login cookie with YQ_SECRET_KEY when it is set, so the running system can open it', async () => {
    // The system started with YQ_SECRET_KEY opens secrets with that key only; a command that sealed with the data
    // folder's own key instead left a cookie nobody could read (SECRET_KEY_MISMATCH at crawl time).
    const key = SecretBox.generateKey();
    const dataDir = mkdtempSync(join(tmpdir(), 'yq-source-key-'));
    try {
      const add = await yq(['add', '--preset', 'weibo-search', '--param', 'keyword=欠薪', '--param', 'cookie=SUB=k1'], {
        YQ_SECRET_KEY: key,
        YQ_DATA_DIR: dataDir,
      });
      expect(add.code, add.stderr).toBe(0);
      const { id } = JSON.parse(add.stdout) as { id: number };
      const [row] = await sqlRows<{ config: { cookie: string } }>(
        database.url,
        'SELECT config FROM "Source" WHERE id = $1',
        [id],
      );
      expect(SecretBox.fromBase64(key).open(row!.config.cookie)).toBe('SUB=k1');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('adds the sources of a file', async () => {
    const file = join(dir, 'src.json');
    writeFileSync(
      file,
      JSON.stringify({ kind: 'weibo', url: 'https://m.weibo.cn', config: { mode: 'search', keyword: '欠薪' } }),
    );
    const add = await yq(['add', '--file', file]);
    expect(add.code, add.stderr).toBe(0);
    const created = JSON.parse(add.stdout) as Array<{ id: number; config: { keyword: string } }>;
    expect(created).toHaveLength(1);
    expect(created[0]!.config.keyword).toBe('欠薪');
  });

  it('adds a platform hot list from the hotlist preset and refuses a platform it does not read', async () => {
    const add = await yq(['add', '--preset', 'hotlist', '--param', 'platform=zhihu']);
    expect(add.code, add.stderr).toBe(0);
    const printed = JSON.parse(add.stdout) as { id: number; kind: string; url: string; config: { platform: string } };
    expect(printed).toMatchObject({ kind: 'hotlist', url: 'https://www.zhihu.com', config: { platform: 'zhihu' } });
    const [row] = await sqlRows<{ kind: string; schedule: string }>(
      database.url,
      'SELECT kind::text, schedule FROM "Source" WHERE id = $1',
      [printed.id],
    );
    expect(row).toEqual({ kind: 'hotlist', schedule: '*/15 * * * *' });
    const bad = await yq(['add', '--preset', 'hotlist', '--param', 'platform=bilibili']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/platform must be one of weibo, zhihu, baidu, douyin, toutiao/);
  });

  it('names a missing parameter and stores nothing', async () => {
    const before = await sqlRows<{ n: number }>(database.url, 'SELECT count(*)::int AS n FROM "Source"');
    const add = await yq(['add', '--preset', 'weibo-search']);
    expect(add.code).not.toBe(0);
    expect(add.stderr).toContain('keyword');
    const after = await sqlRows<{ n: number }>(database.url, 'SELECT count(*)::int AS n FROM "Source"');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
