// E-mail and SMS alert channels on real PostgreSQL, Redis and SMTP (smtp-server, as the digest tests use): a flag on
// the alert queue arrives as an instant mail through the digest's mailer and as SMS gateway requests (JSON POST and
// URL-template GET), the text cut into 70-character parts, one request per part and mobile. Bad channel configs are
// refused with the field named.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertChannel, createIssue } from '@yuqing/db';
import { parseAlertChannelDefinition, SMS_PART_CHARS } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { sqlRows, startAlertWorker, type AlertWorker, type TestDatabase } from '@yuqing/testkit';
import { waitFor } from './helpers/net.ts';
import { startSmtpCapture, type ReceivedMail, type SmtpCapture } from './helpers/smtp.ts';

interface GatewayRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let test: TestDatabase;
let smtp: SmtpCapture | undefined;
let gateway: Server;
let gatewayPort = 0;
const mails: ReceivedMail[] = [];
const requests: GatewayRequest[] = [];
let queues: JobQueues;
let worker: AlertWorker;

beforeAll(async () => {
  smtp = await startSmtpCapture({ received: mails });
  const smtpPort = smtp.port;
  gateway = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://x'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      // A gateway that wants its key: without it, 401 (not retried).
      const keyed = req.url?.startsWith('/get') || req.headers['x-api-key'] === 'k-42';
      res.writeHead(keyed ? 200 : 401, { 'content-type': 'application/json' }).end('{"code":"OK"}');
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayPort = (gateway.address() as AddressInfo).port;
  worker = await startAlertWorker({
    config: {
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      mailFrom: '舆情监测 <yuqing@example.gov.cn>',
      allowedPrivateHosts: [`127.0.0.1:${gatewayPort}`],
      publicUrl: 'https://yq.example.gov.cn',
    },
  });
  ({ test, queues } = worker);
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await new Promise((r) => gateway?.close(r));
  await smtp?.close();
});

const channel = (input: unknown) =>
  createAlertChannel(test.db, parseAlertChannelDefinition(input), { actorId: null, ip: 'test' });

describe('e-mail and SMS alert channels', () => {
  it('refuses a bad config with the field named', () => {
    const bad = (input: unknown) => () => parseAlertChannelDefinition(input);
    expect(bad({ name: 'm', kind: 'email', config: { to: ['not-an-address'] } })).toThrow(
      /channel\.config\.to\[0\]: expected an e-mail address/,
    );
    expect(bad({ name: 'm', kind: 'email', config: { to: [] } })).toThrow(/channel\.config\.to/);
    expect(bad({ name: 's', kind: 'sms', config: { url: 'https://sms.example.cn/send', mobiles: [] } })).toThrow(
      /channel\.config\.mobiles/,
    );
    expect(bad({ name: 's', kind: 'sms', config: { url: 'ftp://x', mobiles: ['13800000000'] } })).toThrow(
      /channel\.config\.url/,
    );
    expect(
      bad({
        name: 's',
        kind: 'sms',
        config: { url: 'https://sms.example.cn/send?to={{mobile}}', method: 'GET', mobiles: ['13800000000'] },
      }),
    ).toThrow(/channel\.config\.url: a GET gateway needs \{\{text\}\}/);
    expect(
      bad({
        name: 's',
        kind: 'sms',
        config: { url: 'https://sms.example.cn/send', mobiles: ['13800000000'], bodyTemplate: '{"m":"{{mobile}}"}' },
      }),
    ).toThrow(/channel\.config\.bodyTemplate/);
  });

  it('sends an instant mail and SMS parts of at most 70 characters to every mobile', async () => {
    const base = `http://127.0.0.1:${gatewayPort}`;
    const mailChannel = await channel({
      name: '值班邮箱',
      kind: 'email',
      config: { to: ['duty@example.gov.cn', 'leader@example.gov.cn'], subjectPrefix: '【值班】' },
    });
    const post = await channel({
      name: '短信网关',
      kind: 'sms',
      config: {
        url: `${base}/sms/send`,
        headers: { 'X-Api-Key': 'k-42' },
        bodyTemplate: '{"phone":"{{mobile}}","msg":"{{text}}","sign":"人社局"}',
        mobiles: ['13800000001', '13800000002'],
      },
    });
    const get = await channel({
      name: '短信网关GET',
      kind: 'sms',
      config: { url: `${base}/get?to={{mobile}}&text={{text}}`, method: 'GET', mobiles: ['13900000003'] },
    });
    const unkeyed = await channel({
      name: '短信网关无密钥',
      kind: 'sms',
      config: { url: `${base}/sms/nokey`, mobiles: ['13900000004'] },
    });
    const now = new Date();
    const issue = await createIssue(test.db, {
      title: '青禾速运拖欠工资"三个月"员工集体讨薪，劳动监察大队已介入调查，涉及城东、城西两个分拣中心的三百余名员工',
      category: '劳动和社会保障',
      subcategory: '劳动关系',
      firstSeenAt: now,
      lastSeenAt: now,
      level: 'major',
    });
    await queues.add('issue-flagged', {
      issueId: issue.id,
      level: 'major',
      reason: '热度 30.0，为「劳动关系」类日常水平的 20.0 倍',
    });

    await waitFor('the alert mail', async () => mails.length >= 1, 60_000);
    const mail = await simpleParser(mails[0]!.raw);
    expect(mails[0]!.to.sort()).toEqual(['duty@example.gov.cn', 'leader@example.gov.cn']);
    expect(mail.subject).toBe(`【值班】【舆情预警·较大】${issue.title}`);
    expect(mail.from?.text).toContain('yuqing@example.gov.cn');
    expect(mail.text).toContain(`https://yq.example.gov.cn/issues/${issue.id}`);
    expect(mail.html || '').toContain('&quot;三个月&quot;');

    const posted = await waitFor(
      'the SMS parts',
      async () => {
        const got = requests.filter((r) => r.url.pathname === '/sms/send');
        return got.length >= 4 ? got : undefined;
      },
      60_000,
    );
    const bodies = posted.map((r) => JSON.parse(r.body) as { phone: string; msg: string; sign: string });
    expect(new Set(bodies.map((b) => b.phone))).toEqual(new Set(['13800000001', '13800000002']));
    expect(posted.every((r) => r.headers['x-api-key'] === 'k-42' && r.method === 'POST')).toBe(true);
    const first = bodies.filter((b) => b.phone === '13800000001').map((b) => b.msg);
    expect(first.length).toBeGreaterThanOrEqual(2);
    for (const [i, part] of first.entries()) {
      expect(Array.from(part).length).toBeLessThanOrEqual(SMS_PART_CHARS);
      expect(part.startsWith(`(${i + 1}/${first.length})`)).toBe(true);
    }
    const joined = first.map((p) => p.replace(/^\(\d+\/\d+\)/, '')).join('');
    expect(joined).toContain(issue.title);
    expect(joined).toContain(`https://yq.example.gov.cn/issues/${issue.id}`);

    const got = await waitFor('the GET parts', async () => {
      const g = requests.filter((r) => r.url.pathname === '/get');
      return g.length >= first.length ? g : undefined;
    });
    expect(got.every((r) => r.method === 'GET' && r.url.searchParams.get('to') === '13900000003')).toBe(true);
    expect(got.map((r) => r.url.searchParams.get('text'))).toEqual(first);

    const log = await waitFor('the delivery log', async () => {
      const rows = await sqlRows<{ channelId: number; status: string; httpStatus: number | null }>(
        test,
        `SELECT "channelId", status, "httpStatus" FROM "AlertDelivery" WHERE "issueId" = $1 ORDER BY "channelId"`,
        [issue.id],
      );
      return rows.length === 4 && rows.every((r) => r.status !== 'pending') ? rows : undefined;
    });
    expect(log).toEqual([
      { channelId: mailChannel.id, status: 'sent', httpStatus: 250 },
      { channelId: post.id, status: 'sent', httpStatus: 200 },
      { channelId: get.id, status: 'sent', httpStatus: 200 },
      { channelId: unkeyed.id, status: 'failed', httpStatus: 401 },
    ]);
  }, 120_000);
});
