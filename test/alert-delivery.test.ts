// Alert delivery end to end on real PostgreSQL and Redis: a hot-issue flag on the alert queue reaches 钉钉, 飞书,
// 企业微信 and webhook receivers on loopback, each receiver checking the platform's documented signature and
// payload shape; a 503 is retried, a refused signature is logged as failed without retries, a channel whose
// minimum level is above the flag gets nothing, and the same flag queued again sends nothing twice.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertChannel, createIssue, listAlertDeliveries } from '@yuqing/db';
import { parseAlertChannelDefinition } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { sqlRows, startAlertWorker, type AlertWorker, type TestDatabase } from '@yuqing/testkit';
import { waitUntil as until } from './helpers/net.ts';

const DING_SECRET = 'SEC0123456789abcdef';
const FEISHU_SECRET = 'feishu-secret-42';
const HOOK_SECRET = 'webhook-secret';

interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  raw: string;
  at: number;
}

/** One loopback server standing in for every platform (by path); answers as the platform documents. */
function startReceiver(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  let webhookCalls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body, raw, at: Date.now() });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/robot/send') {
        // 钉钉 加签 as its documentation checks it: HmacSHA256 over "timestamp\nsecret", Base64, within one hour.
        const timestamp = Number(url.searchParams.get('timestamp'));
        const expected = createHmac('sha256', DING_SECRET).update(`${timestamp}\n${DING_SECRET}`).digest('base64');
        const fresh = Math.abs(Date.now() - timestamp) < 3600_000;
        if (url.searchParams.get('access_token') === 'wrong' || url.searchParams.get('sign') !== expected || !fresh)
          return json(200, { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/...]' });
        return json(200, { errcode: 0, errmsg: 'ok' });
      }
      if (url.pathname.startsWith('/open-apis/bot/v2/hook/')) {
        // 飞书: HmacSHA256 keyed with "timestamp\nsecret" over empty data, Base64, timestamp in seconds in the body.
        const timestamp = Number(body.timestamp);
        const expected = createHmac('sha256', `${timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
        if (body.sign !== expected || Math.abs(Date.now() / 1000 - timestamp) > 3600)
          return json(200, {
            code: 19021,
            msg: 'sign match fail or timestamp is not within one hour from current time',
          });
        return json(200, { StatusCode: 0, StatusMessage: 'success', code: 0, msg: 'success' });
      }
      if (url.pathname === '/cgi-bin/webhook/send') {
        const content = (body.markdown as { content?: string } | undefined)?.content ?? '';
        if (Buffer.byteLength(content) > 4096)
          return json(200, { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' });
        return json(200, { errcode: 0, errmsg: 'ok' });
      }
      if (url.pathname === '/hooks/yuqing') {
        webhookCalls++;
        if (webhookCalls === 1) return json(503, { error: 'busy' });
        const sig = `sha256=${createHmac('sha256', HOOK_SECRET).update(raw).digest('hex')}`;
        return json(req.headers['x-yuqing-signature'] === sig ? 200 : 401, { ok: true });
      }
      json(404, {});
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, received })),
  );
}

let worker: AlertWorker;
let test: TestDatabase;
let queues: JobQueues;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  worker = await startAlertWorker({
    config: { allowedPrivateHosts: [`127.0.0.1:${receiver.port}`], publicUrl: 'https://yq.example.gov.cn' },
    concurrency: 4,
  });
  ({ test, queues } = worker);
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await new Promise((r) => receiver?.server.close(r));
});

describe('alert delivery', () => {
  it('pushes a flag to every channel that takes it, with each platform signature, retries and a delivery log', async () => {
    const base = `http://127.0.0.1:${receiver.port}`;
    const channel = async (input: unknown) =>
      createAlertChannel(test.db, parseAlertChannelDefinition(input), { actorId: null, ip: 'test' });
    const ding = await channel({
      name: '钉钉值班群',
      kind: 'dingtalk',
      config: {
        url: `${base}/robot/send?access_token=abc`,
        secret: DING_SECRET,
        keyword: '舆情',
        atMobiles: ['13800000000'],
      },
    });
    const dingWrong = await channel({
      name: '钉钉错误密钥',
      kind: 'dingtalk',
      config: { url: `${base}/robot/send?access_token=wrong`, secret: 'not-the-secret' },
    });
    const feishu = await channel({
      name: '飞书群',
      kind: 'feishu',
      config: { url: `${base}/open-apis/bot/v2/hook/0b1c2d3e`, secret: FEISHU_SECRET },
    });
    const wecom = await channel({
      name: '企业微信群',
      kind: 'wecom',
      config: { url: `${base}/cgi-bin/webhook/send?key=k-123` },
    });
    const hook = await channel({
      name: '值班系统',
      kind: 'webhook',
      config: {
        url: `${base}/hooks/yuqing`,
        hmacSecret: HOOK_SECRET,
        bodyTemplate: '{"text":"{{alert.title}}","level":"{{issue.level}}","link":"{{issue.url}}"}',
      },
    });
    await channel({
      name: '仅重大',
      kind: 'webhook',
      config: { url: `${base}/hooks/severe-only` },
      filter: { minLevel: 'severe' },
    });
    await channel({
      name: '仅养老',
      kind: 'webhook',
      config: { url: `${base}/hooks/pension-only` },
      filter: { categories: ['养老保险'] },
    });

    const now = new Date();
    const issue = await createIssue(test.db, {
      title: '青禾速运拖欠工资 "三个月" 员工集体讨薪\n',
      category: '劳动和社会保障',
      subcategory: '劳动关系',
      firstSeenAt: now,
      lastSeenAt: now,
      level: 'major',
    });
    const queuedAt = Date.now();
    await queues.add(
      'issue-flagged',
      { issueId: issue.id, level: 'major', reason: '热度为基线的 18.2 倍' },
      { jobId: `flag:${issue.id}:major` },
    );

    const deliveries = await until(
      'five channels settled',
      () => listAlertDeliveries(test.db, { limit: 20 }),
      (rows) => rows.length === 5 && rows.every((r) => r.status === 'sent' || r.status === 'failed'),
    );
    const byChannel = new Map(deliveries.map((d) => [d.channelId, d]));
    for (const c of [ding, feishu, wecom, hook])
      expect(byChannel.get(c.id)).toMatchObject({ status: 'sent', level: 'major', issueId: issue.id });
    expect(byChannel.get(hook.id)!.attempts).toBe(2);
    expect(byChannel.get(ding.id)!.attempts).toBe(1);
    expect(byChannel.get(dingWrong.id)).toMatchObject({ status: 'failed', attempts: 1, platformCode: 310000 });
    expect(byChannel.get(dingWrong.id)!.error).toContain('sign not match');

    const paths = receiver.received.map((r) => r.path);
    expect(paths).not.toContain('/hooks/severe-only');
    expect(paths).not.toContain('/hooks/pension-only');
    const dingBody = receiver.received.find((r) => r.path === '/robot/send' && r.query.get('access_token') === 'abc')!
      .body as { msgtype: string; markdown: { title: string; text: string }; at: { atMobiles: string[] } };
    expect(dingBody.msgtype).toBe('markdown');
    expect(dingBody.markdown.title).toContain('【舆情预警·较大】青禾速运拖欠工资');
    expect(dingBody.markdown.text).toContain('热度为基线的 18.2 倍');
    expect(dingBody.markdown.text).toContain('https://yq.example.gov.cn/issues/');
    expect(dingBody.markdown.text).toContain('@13800000000');
    expect(dingBody.at.atMobiles).toEqual(['13800000000']);
    const feishuBody = receiver.received.find((r) => r.path.startsWith('/open-apis'))!.body as {
      msg_type: string;
      content: { text: string };
    };
    expect(feishuBody.msg_type).toBe('text');
    expect(feishuBody.content.text).toContain('类别：劳动关系');
    const hookBodies = receiver.received.filter((r) => r.path === '/hooks/yuqing');
    expect(hookBodies).toHaveLength(2);
    expect(hookBodies[1]!.body).toEqual({
      text: '【舆情预警·较大】青禾速运拖欠工资 "三个月" 员工集体讨薪\n',
      level: '较大',
      link: `https://yq.example.gov.cn/issues/${issue.id}`,
    });
    const firstSent = Math.min(...receiver.received.filter((r) => r.path !== '/hooks/yuqing').map((r) => r.at));
    process.stdout.write(`flag queued → first channel request: ${firstSent - queuedAt} ms\n`);

    // The same flag again (a re-run analysis) sends nothing twice.
    const before = receiver.received.length;
    await queues.add(
      'issue-flagged',
      { issueId: issue.id, level: 'major', reason: '热度为基线的 18.2 倍' },
      { jobId: `flag:${issue.id}:major:again` },
    );
    const audit = await until(
      'second flag handled',
      () => sqlRows<{ n: number }>(test.db, `SELECT count(*)::int AS n FROM "AuditLog" WHERE action = 'issue.flagged'`),
      (rows) => rows[0]!.n === 2,
    );
    expect(audit[0]!.n).toBe(2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received.length).toBe(before);
  }, 120_000);

  it('refuses a channel whose address is private and not allowlisted, without retrying', async () => {
    const c = await createAlertChannel(
      test.db,
      parseAlertChannelDefinition({ name: '内网地址', kind: 'webhook', config: { url: 'http://10.0.0.8/hook' } }),
      { actorId: null, ip: 'test' },
    );
    const now = new Date();
    const issue = await createIssue(test.db, {
      title: '社保卡补办排长队',
      firstSeenAt: now,
      lastSeenAt: now,
      level: 'general',
    });
    await queues.add('issue-flagged', { issueId: issue.id, level: 'general', reason: '热度为基线的 6 倍' });
    const [row] = await until(
      'private address refused',
      () => listAlertDeliveries(test.db, { channelId: c.id }),
      (rows) => rows.length === 1 && rows[0]!.status === 'failed',
    );
    expect(row!.attempts).toBe(1);
    expect(row!.error).toContain('SSRF_REFUSED');
  }, 60_000);
});
