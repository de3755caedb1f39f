// `yq alert …` on real PostgreSQL: a webhook channel added from the command line (printed as JSON with its id,
// secrets masked), a test message that reaches a loopback receiver with its HMAC, the delivery log, and a bad
// config refused with the field named.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@yuqing/db';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';

const exec = promisify(execFile);
let database: TestDatabase;
let server: Server;
let port: number;
const received: { body: string; signature: string | undefined }[] = [];

async function yq(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('pnpm', ['--silent', 'yq', 'alert', ...args], {
      cwd: new URL('..', import.meta.url).pathname,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        YQ_ALLOWED_PRIVATE_HOSTS: `127.0.0.1:${port}`,
        LOG_LEVEL: 'info',
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
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['x-yuqing-signature'] as string,
      });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await database?.drop();
});

describe('yq alert', () => {
  it('adds a webhook channel, sends a test message, lists channels and deliveries', async () => {
    const add = await yq([
      'channel',
      'add',
      '--kind',
      'webhook',
      '--url',
      `http://127.0.0.1:${port}/hook?token=abcdefgh`,
      '--min-level',
      '较大',
      '--hmac-secret',
      'hush',
      '--name',
      '值班系统',
      '--quiet-hours',
      '22:00-07:00',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const channel = JSON.parse(add.stdout) as {
      id: number;
      config: Record<string, string>;
      filter: { minLevel: string; quietHours?: unknown };
    };
    expect(channel.id).toBeGreaterThan(0);
    expect(channel.filter.minLevel).toBe('major');
    expect(channel.filter).toMatchObject({ quietHours: { start: '22:00', end: '07:00' } });
    expect(channel.config.hmacSecret).toBe('******');
    expect(channel.config.url).toContain('token=%E2%80%A6efgh');
    expect(add.stdout).not.toContain('hush');

    const sent = await yq(['test', '--channel', String(channel.id)]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ sent: true, httpStatus: 200 });
    expect(received).toHaveLength(1);
    const body = JSON.parse(received[0]!.body) as { 'alert.title': string; 'issue.level': string };
    expect(body['alert.title']).toContain('测试消息');
    expect(body['issue.level']).toBe('较大');
    expect(received[0]!.signature).toBe(
      `sha256=${createHmac('sha256', 'hush').update(received[0]!.body).digest('hex')}`,
    );

    const list = await yq(['channel', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: channel.id, name: '值班系统', kind: 'webhook' }]);
    const log = await yq(['deliveries']);
    expect(log.stdout).toMatch(/值班系统\s+test\s+issue —\s+较大\s+sent\s+attempts 1/);
    expect((await listAudit(database.db, { entityType: 'alert-channel' })).map((a) => a.action)).toEqual([
      'alert-channel.create',
    ]);
  }, 180_000);

  it('refuses a bad config with the field named, and answers --help', async () => {
    const bad = await yq(['channel', 'add', '--kind', 'dingtalk', '--url', 'not a url']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('channel.config.url');
    const help = await yq(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout + help.stderr).toContain('yq alert channel add');
  }, 180_000);

  it('sets trigger kinds, the on-duty schedule and the per-minute limit, naming a bad one', async () => {
    const add = await yq([
      'channel',
      'add',
      '--kind',
      'webhook',
      '--url',
      'http://127.0.0.1:9/office',
      '--name',
      '办公室工作时间',
      '--triggers',
      'new-flag,deadline,hotlist.entry',
      '--per-minute',
      '5',
      '--on-duty',
      'workday-hours',
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout).filter).toMatchObject({
      triggers: ['new-flag', 'deadline-near', 'deadline-passed', 'hotlist.entry'],
      onDuty: ['workday-hours'],
      officeHours: { start: '08:30', end: '17:30' },
      perMinute: 5,
    });
    const badKind = await yq([
      'channel',
      'add',
      '--kind',
      'webhook',
      '--url',
      'http://127.0.0.1:9/a',
      '--triggers',
      'new-flag,hotlist',
    ]);
    expect(badKind.code).toBe(1);
    expect(badKind.stderr).toContain('channel.filter.triggers[1]');
    const badRate = await yq([
      'channel',
      'add',
      '--kind',
      'webhook',
      '--url',
      'http://127.0.0.1:9/b',
      '--per-minute',
      '0',
    ]);
    expect(badRate.code).toBe(1);
    expect(badRate.stderr).toContain('channel.filter.perMinute');
    const badDuty = await yq([
      'channel',
      'add',
      '--kind',
      'webhook',
      '--url',
      'http://127.0.0.1:9/c',
      '--on-duty',
      'weekends',
    ]);
    expect(badDuty.code).toBe(1);
    expect(badDuty.stderr).toContain('channel.filter.onDuty[0]');
  }, 180_000);
});
