// The 预警推送 admin API: channels added with their kind's config validated (the bad field named), secrets never
// sent back, a test message that reaches a loopback 钉钉 stand-in with its signature, and the delivery log.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

const SECRET = 'SECdashboard0001';
let t: TestDashboard;
let admin: ApiClient;
let server: Server;
let port: number;
let signedOk = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ts = Number(url.searchParams.get('timestamp'));
    const expected = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.searchParams.get('sign') === expected) {
        signedOk++;
        res.end('{"errcode":0,"errmsg":"ok"}');
      } else res.end('{"errcode":310000,"errmsg":"sign not match"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  t = await startTestDashboard({ env: { YQ_ALLOWED_PRIVATE_HOSTS: `127.0.0.1:${port}` } });
  admin = await ApiClient.login(t.url, t.users.admin);
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => server?.close(r));
});

describe('alert channels API', () => {
  it('adds a channel, masks its secrets, sends a signed test message and logs it', async () => {
    const url = `http://127.0.0.1:${port}/robot/send?access_token=0123456789abcdef`;
    const created = await admin.post('/api/alert-channels', {
      name: '值班群',
      kind: 'dingtalk',
      config: { url, secret: SECRET },
      filter: { minLevel: 'major' },
    });
    expect(created.status).toBe(201);
    const id = created.body.channel.id as number;
    const listed = await admin.get('/api/alert-channels');
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    expect(JSON.stringify(listed.body)).not.toContain('0123456789abcdef');
    expect(listed.body.items[0]).toMatchObject({ id, kind: 'dingtalk', filter: { minLevel: 'major' } });

    const sent = await admin.post(`/api/alert-channels/${id}/test`);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(signedOk).toBe(1);
    const log = await admin.get('/api/alert-deliveries');
    expect(log.body.items[0]).toMatchObject({ channelId: id, trigger: 'test', status: 'sent', attempts: 1 });

    const bad = await admin.post('/api/alert-channels', { name: 'x', kind: 'feishu', config: { url: 'not-a-url' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('channel.config.url');

    // A channel whose signature the platform refuses: the platform's code and message come back.
    const wrong = await admin.post('/api/alert-channels', {
      name: '错误密钥',
      kind: 'dingtalk',
      config: { url, secret: 'not-it' },
    });
    const refused = await admin.post(`/api/alert-channels/${wrong.body.channel.id}/test`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('310000');
    expect((await admin.request('DELETE', `/api/alert-channels/${wrong.body.channel.id}`)).status).toBe(200);
  }, 120_000);

  it('is for admins only', async () => {
    const analyst = await ApiClient.login(t.url, t.users.analyst);
    expect((await analyst.get('/api/alert-channels')).status).toBe(403);
    expect((await analyst.get('/alerts')).status).toBe(403);
  }, 60_000);
});
