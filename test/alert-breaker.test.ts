// The alert channels' circuit breaker on real PostgreSQL and Redis: a webhook answering 503 fails three deliveries
// in a row and opens its channel's breaker (kept in Redis, shared by every worker); a new alert for that channel then
// waits out the cool-down without spending an attempt, with the reason in the delivery log, and goes out once the
// breaker closes and the receiver is back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelBreaker } from '@yuqing/alerts';
import { createAlertChannel, createIssue } from '@yuqing/db';
import { parseAlertChannelDefinition } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { sqlRows, startAlertWorker, type AlertWorker, type TestDatabase } from '@yuqing/testkit';
import { waitFor } from './helpers/net.ts';

let worker: AlertWorker;
let test: TestDatabase;
let queues: JobQueues;
let server: Server;
let port = 0;
let down = true;
const calls: { issueId: number; answered: number }[] = [];
let breaker: ChannelBreaker;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { issueId: string };
      const answered = down ? 503 : 200;
      calls.push({ issueId: Number(body.issueId), answered });
      res.writeHead(answered, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  worker = await startAlertWorker({
    config: { allowedPrivateHosts: [`127.0.0.1:${port}`] },
    breaker: (connection, prefix) => {
      breaker = new ChannelBreaker(connection, { prefix, failureThreshold: 3, coolDownMs: 8000 });
      return breaker;
    },
  });
  ({ test, queues } = worker);
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await new Promise((r) => server?.close(r));
});

async function delivery(issueId: number) {
  const rows = await sqlRows<{ status: string; attempts: number; error: string | null }>(
    test,
    `SELECT status, attempts, error FROM "AlertDelivery" WHERE "issueId" = $1`,
    [issueId],
  );
  return rows[0];
}

describe('alert channel circuit breaker', () => {
  it('opens after three failures in a row; a new alert waits out the cool-down without an attempt, then goes out', async () => {
    const channel = await createAlertChannel(
      test.db,
      parseAlertChannelDefinition({
        name: '值班系统',
        kind: 'webhook',
        config: { url: `http://127.0.0.1:${port}/hook`, bodyTemplate: '{"issueId":"{{issue.id}}"}' },
      }),
      { actorId: null, ip: 'test' },
    );
    const issue = async (title: string) => {
      const now = new Date();
      return createIssue(test.db, {
        title,
        category: '劳动和社会保障',
        firstSeenAt: now,
        lastSeenAt: now,
        level: 'general',
      });
    };
    const first = await issue('宏达建筑工地拖欠农民工工资');
    await queues.add('issue-flagged', { issueId: first.id, level: 'general', reason: '热度' });
    await waitFor('the breaker to open', async () => (await breaker.openForMs(channel.id)) > 0, 60_000);
    expect(calls.filter((c) => c.issueId === first.id).map((c) => c.answered)).toEqual([503, 503, 503]);

    down = false;
    const second = await issue('城南社保服务中心排队三小时');
    await queues.add('issue-flagged', { issueId: second.id, level: 'general', reason: '热度' });
    const waiting = await waitFor('the second delivery to wait', async () => {
      const row = await delivery(second.id);
      return row?.error?.includes('ALERT_CIRCUIT_OPEN') ? row : undefined;
    });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting.error).toContain('渠道连续发送失败');
    expect(calls.filter((c) => c.issueId === second.id)).toEqual([]);

    const sent = await waitFor(
      'the second delivery after the cool-down',
      async () => {
        const row = await delivery(second.id);
        return row?.status === 'sent' ? row : undefined;
      },
      60_000,
    );
    expect(sent).toMatchObject({ attempts: 1, error: null });
    expect(calls.filter((c) => c.issueId === second.id).map((c) => c.answered)).toEqual([200]);
    expect(await breaker.openForMs(channel.id)).toBe(0);
  }, 120_000);
});
