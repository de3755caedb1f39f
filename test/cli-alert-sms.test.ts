// `yq alert` with the e-mail and SMS kinds on real PostgreSQL: an SMS gateway channel added from the command line
// (its API-key header masked when printed) gets the test message as GET requests with {{mobile}} and {{text}} filled
// in; an e-mail channel's test message lands in the outbox as an .eml file (no SMTP_URL); a bad address is refused
// with the field named.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';

const exec = promisify(execFile);
let database: TestDatabase;
let server: Server;
let port: number;
let dataDir: string;
const received: { url: URL; key: string | undefined }[] = [];

async function yq(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('pnpm', ['--silent', 'yq', 'alert', ...args], {
      cwd: new URL('..', import.meta.url).pathname,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        YQ_DATA_DIR: dataDir,
        SMTP_URL: '',
        YQ_ALLOWED_PRIVATE_HOSTS: `127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'yq-cli-alert-sms-'));
  server = createServer((req, res) => {
    received.push({ url: new URL(req.url ?? '/', 'http://x'), key: req.headers['x-api-key'] as string | undefined });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":0}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('yq alert with e-mail and SMS channels', () => {
  it('adds an SMS gateway channel and sends the test message as GET requests', async () => {
    const added = await yq([
      'channel',
      'add',
      '--kind',
      'sms',
      '--name',
      '值班短信',
      '--url',
      `http://127.0.0.1:${port}/sms?phone={{mobile}}&msg={{text}}`,
      '--method',
      'get',
      '--header',
      'X-Api-Key: secret-key-1',
      '--mobiles',
      '13800000001,13800000002',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const channel = JSON.parse(added.stdout) as { id: number; config: { headers: Record<string, string> } };
    expect(channel.config.headers).toEqual({ 'X-Api-Key': '******' });
    expect(added.stdout).not.toContain('secret-key-1');
    const sent = await yq(['test', '--channel', String(channel.id)]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(new Set(received.map((r) => r.url.searchParams.get('phone')))).toEqual(
      new Set(['13800000001', '13800000002']),
    );
    expect(received.every((r) => r.key === 'secret-key-1')).toBe(true);
    const text = received
      .filter((r) => r.url.searchParams.get('phone') === '13800000001')
      .map((r) => (r.url.searchParams.get('msg') ?? '').replace(/^\(\d+\/\d+\)/, ''))
      .join('');
    expect(text).toContain('测试消息');
  }, 120_000);

  it('adds an e-mail channel whose test message lands in the outbox, and refuses a bad address', async () => {
    const bad = await yq(['channel', 'add', '--kind', 'email', '--to', 'duty-at-example']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/channel\.config\.to\[0\]/);
    const added = await yq(['channel', 'add', '--kind', 'email', '--name', '值班邮箱', '--to', 'duty@example.gov.cn']);
    expect(added.code, added.stderr).toBe(0);
    const { id } = JSON.parse(added.stdout) as { id: number };
    const sent = await yq(['test', '--channel', String(id)]);
    expect(sent.code, sent.stderr).toBe(0);
    const files = await readdir(join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    const eml = await readFile(join(dataDir, 'outbox', files[0]!), 'utf8');
    expect(eml).toMatch(/^To: duty@example\.gov\.cn/m);
  }, 120_000);
});
