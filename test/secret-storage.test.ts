// Secrets at rest on real PostgreSQL: alert channel secrets and sources' login cookies are stored AES-256-GCM
// encrypted (read back from the raw row), still usable (a signed test message reaches a loopback 钉钉 stand-in),
// plaintext rows from before are sealed by the one-shot step when the database is opened, and the key comes from
// YQ_SECRET_KEY or a 0600 file generated in the data folder.
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, SecretBox } from '@yuqing/core';
import { sendTestAlert } from '@yuqing/alerts';
import { createAlertChannel, createSourceAudited, getSourceById, listAlertChannels, openDatabase } from '@yuqing/db';
import { createTestDatabase, sqlRows, withClient, type TestDatabase } from '@yuqing/testkit';

const KEY = SecretBox.generateKey();
const SECRET = 'SECb1f0c2d3e4a5968778695a4b3c2d1e0f';
const ACCESS_TOKEN = '8f2c0e5b7a1d4c3e9b6a0f1e2d3c4b5a';
let database: TestDatabase;
let dataDir: string;
let server: Server;
let port: number;
let signedOk = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ts = url.searchParams.get('timestamp');
    const expected = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const ok = url.searchParams.get('sign') === expected && url.searchParams.get('access_token') === ACCESS_TOKEN;
      if (ok) signedOk++;
      res.end(ok ? '{"errcode":0,"errmsg":"ok"}' : '{"errcode":310000,"errmsg":"sign not match"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  database = await createTestDatabase({ secretKey: KEY });
  dataDir = await mkdtemp(join(tmpdir(), 'yq-secrets-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
  await new Promise((r) => server?.close(r));
});

describe('secrets at rest', () => {
  it('stores a channel’s secret and robot address encrypted and still signs with them', async () => {
    const url = `http://127.0.0.1:${port}/robot/send?access_token=${ACCESS_TOKEN}`;
    const channel = await createAlertChannel(
      database.db,
      { name: '值班群', kind: 'dingtalk', enabled: true, config: { url, secret: SECRET }, filter: {} },
      { actorId: null },
    );
    expect(channel.config).toEqual({ url, secret: SECRET });
    const [raw] = await sqlRows<{ config: { url: string; secret: string } }>(
      database.url,
      'SELECT config FROM "AlertChannel" WHERE id = $1',
      [channel.id],
    );
    expect(raw!.config.secret).toMatch(/^yqenc:v1:/);
    expect(raw!.config.url).toMatch(/^yqenc:v1:/);
    expect(JSON.stringify(raw)).not.toContain(SECRET);
    expect(JSON.stringify(raw)).not.toContain(ACCESS_TOKEN);
    expect((await listAlertChannels(database.db))[0]!.config).toEqual({ url, secret: SECRET });
    const config = loadConfig({ YQ_ALLOWED_PRIVATE_HOSTS: `127.0.0.1:${port}`, DATABASE_URL: database.url });
    const sent = await sendTestAlert({ db: database.db, config }, channel.id);
    expect(sent.platformCode).toBe(0);
    expect(signedOk).toBe(1);
  });

  it('encrypts a source’s login cookie, also inside a transaction, and leaves the rest readable', async () => {
    const source = await createSourceAudited(
      database.db,
      {
        name: '需登录的论坛',
        kind: 'html',
        url: 'https://bbs.example.cn/forum-12-1.html',
        config: { list: { itemLinks: 'a.xst' }, headers: { Cookie: 'auth=Zx81kd9; saltkey=Qm3n' } },
      },
      { actorId: null },
    );
    const [raw] = await sqlRows<{ config: { list: unknown; headers: { Cookie: string } } }>(
      database.url,
      'SELECT config FROM "Source" WHERE id = $1',
      [source.id],
    );
    expect(raw!.config.headers.Cookie).toMatch(/^yqenc:v1:/);
    expect(raw!.config.list).toEqual({ itemLinks: 'a.xst' });
    expect((await getSourceById(database.db, source.id))!.config).toMatchObject({
      headers: { Cookie: 'auth=Zx81kd9; saltkey=Qm3n' },
    });
  });

  it('seals plaintext rows from before when the database is opened, and reads them the same', async () => {
    await withClient(database.url, (c) =>
      c.query(
        `INSERT INTO "AlertChannel" (name, kind, config, filter, "updatedAt") VALUES ('旧渠道', 'feishu', $1, '{}', now())`,
        [JSON.stringify({ url: 'https://open.feishu.cn/open-apis/bot/v2/hook/legacy0001', secret: 'legacy-secret' })],
      ),
    );
    const opened = await openDatabase({ databaseUrl: database.url, dataDir, secretKey: KEY, poolSize: 1 });
    try {
      const rows = await sqlRows<{ config: { secret: string } }>(
        database.url,
        `SELECT config FROM "AlertChannel" WHERE name = '旧渠道'`,
      );
      expect(rows[0]!.config.secret).toMatch(/^yqenc:v1:/);
      const legacy = (await listAlertChannels(opened.db)).find((c) => c.name === '旧渠道');
      expect(legacy!.config).toEqual({
        url: 'https://open.feishu.cn/open-apis/bot/v2/hook/legacy0001',
        secret: 'legacy-secret',
      });
    } finally {
      await opened.close();
    }
  });

  it('refuses to read with a wrong key rather than handing out ciphertext', async () => {
    const opened = await openDatabase({
      databaseUrl: database.url,
      dataDir,
      secretKey: SecretBox.generateKey(),
      migrate: false,
      poolSize: 1,
    });
    try {
      await expect(listAlertChannels(opened.db)).rejects.toMatchObject({ code: 'SECRET_KEY_MISMATCH' });
    } finally {
      await opened.close();
    }
  });

  it('generates the key into the data folder (0600) when YQ_SECRET_KEY is unset, and keeps it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'yq-key-'));
    try {
      const first = await openDatabase({ databaseUrl: database.url, dataDir: folder, migrate: false, poolSize: 1 });
      await first.close();
      const key = await readFile(join(folder, 'secret-key'), 'utf8');
      expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);
      expect((await stat(join(folder, 'secret-key'))).mode & 0o777).toBe(0o600);
      const second = await openDatabase({ databaseUrl: database.url, dataDir: folder, migrate: false, poolSize: 1 });
      await second.close();
      expect(await readFile(join(folder, 'secret-key'), 'utf8')).toBe(key);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('checks YQ_SECRET_KEY when the configuration is loaded', () => {
    expect(loadConfig({ YQ_SECRET_KEY: KEY }).secretKey).toBe(KEY);
    expect(() => loadConfig({ YQ_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/YQ_SECRET_KEY/);
  });
});
