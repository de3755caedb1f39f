// Whole system: a `yq worker` process serving ingest, analyse and alert on real PostgreSQL and Redis, the
// schedules installed (the engine tick among them), a webhook channel to a loopback receiver allowed through
// YQ_ALLOWED_PRIVATE_HOSTS. One planted burst, sent post by post to the ingest queue, reaches the webhook as one
// alert naming its issue, and the delivery log says it was sent.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@yuqing/core';
import { createAlertChannel } from '@yuqing/db';
import { parseAlertChannelDefinition } from '@yuqing/domain';
import { installSchedules } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import {
  RECEIVER_BODY_TEMPLATE,
  crossingPostUrl,
  sendBurstPost,
  startWebhookReceiver,
  type SentPost,
  type WebhookReceiver,
} from './helpers/alert-system.ts';
import { waitFor } from './helpers/net.ts';
import { startWorker, tempDir, WORKER_READY_TIMEOUT_MS, type WorkerProcess } from './fixtures/hostile/fault-kit.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `yqtest-${randomUUID()}`;

let database: TestDatabase;
let connection: ReturnType<typeof createRedisConnection>;
let queues: JobQueues;
let receiver: WebhookReceiver;
let dir: Awaited<ReturnType<typeof tempDir>>;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await tempDir('yq-alert-system-');
  receiver = await startWebhookReceiver();
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
  await installSchedules(queues, loadConfig({}));
  worker = await startWorker(['ingest', 'analyse', 'alert'], {
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    prefix,
    dataDir: dir.path,
    allowedPrivateHosts: [receiver.host],
    extra: { YQ_ANALYSIS_THREADS: '0' },
  });
}, WORKER_READY_TIMEOUT_MS + 30_000);

// Every body sent was JSON: a refused one would show only as an alert that never came.
afterEach(() => expect(receiver.refused).toEqual([]));

afterAll(async () => {
  await worker?.stop().catch(() => undefined);
  for (const q of queues?.all() ?? []) await q.obliterate({ force: true }).catch(() => undefined);
  await queues?.close();
  connection?.disconnect();
  await receiver?.close();
  await database?.drop();
  await dir?.cleanup();
});

describe('alerts, whole system', () => {
  it('a planted burst sent to the ingest queue reaches the webhook as one alert', async () => {
    const channel = await createAlertChannel(
      database.db,
      parseAlertChannelDefinition({
        name: '值班系统',
        kind: 'webhook',
        config: { url: receiver.url, bodyTemplate: RECEIVER_BODY_TEMPLATE },
      }),
      { actorId: null, ip: 'test' },
    );
    const title = '宏达建筑工地拖欠农民工工资';
    const body = '宏达建筑公司在城东新区工地拖欠农民工工资三个月，工人到劳动监察大队反映，要求尽快发放欠薪。';
    const sent = new Map<string, SentPost>();
    for (let index = 0; index < 10 && receiver.received.length === 0; index++) {
      const post = await sendBurstPost(queues, { title, body, index, burst: 'hongda' });
      sent.set(post.url, post);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const alert = await waitFor('the alert at the webhook', async () => receiver.received[0], 120_000);
    expect(alert.title).toContain('宏达建筑');
    expect(alert.level).toBe('一般');
    expect(alert.url).toMatch(new RegExp(`/issues/${alert.issueId}$`));
    // The crossing post is one of those sent, and the alert came after it.
    const crossing = await crossingPostUrl(database, alert.issueId);
    expect(crossing && sent.has(crossing)).toBe(true);
    expect(alert.arrivedAt).toBeGreaterThan(sent.get(crossing!)!.sentAt);
    const deliveries = await sqlRows<{ status: string; issueId: number }>(
      database,
      `SELECT status, "issueId" FROM "AlertDelivery" WHERE "channelId" = $1`,
      [channel.id],
    );
    expect(deliveries).toEqual([{ status: 'sent', issueId: alert.issueId }]);
    // One alert per issue and level: the posts after the crossing one send nothing more.
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.received.filter((r) => r.issueId === alert.issueId && r.level === '一般')).toHaveLength(1);
  }, 240_000);
});
