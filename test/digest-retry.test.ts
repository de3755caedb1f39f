// Digest delivery when the mail server is down or refuses a recipient: the failure is recorded on the
// ledger row (what GET /api/digests/sent lists, see digest-router.test.ts) and the queue retries with
// backoff until the server is back.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock, type AppConfig } from '@yuqing/core';
import { createUser, findSentDigest, listSentDigests } from '@yuqing/db';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import { createDigestHandlers, sendDigestJobId } from '@yuqing/digest';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';
import type { Redis } from 'ioredis';
import { waitFor } from './helpers/net.ts';
import { startSmtpCapture, type SmtpCapture } from './helpers/smtp.ts';

const REPORT_DATE = '2026-11-26';
/** Short backoff (1 s, 2 s, 4 s …) so the test sees retries; production waits minutes. */
const SHORT_BACKOFF = { attempts: 6, retryDelayMs: 1000 };
const clock = new ManualClock(new Date('2026-11-27T09:00:00+08:00'));

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The id BullMQ stores: JobQueues turns the ':' of `digest:<userId>:<date>` into '_'. */
function storedJobId(userId: number, date: string): string {
  return sendDigestJobId(userId, date).replaceAll(':', '_');
}

describe('digest delivery failures', () => {
  let testDb: TestDatabase;
  let connection: Redis;
  let queues: JobQueues;
  let runner: WorkerRunner;
  let smtp: SmtpCapture | undefined;
  let dataDir: string;
  let config: AppConfig;
  let smtpPort: number;
  const prefix = `yqtest-${randomUUID()}`;
  const users = { leader: 0, bounce: 0 };
  let handlers: ReturnType<typeof createDigestHandlers>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    smtpPort = await freePort();
    dataDir = await mkdtemp(join(tmpdir(), 'yq-digest-retry-'));
    config = loadConfig({
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PUBLIC_URL: 'https://yuqing.example.gov.cn',
      TZ: 'Asia/Shanghai',
      YQ_DATA_DIR: dataDir,
    });
    users.leader = (
      await createUser(testDb.db, {
        username: 'leader',
        displayName: '王局长',
        email: 'leader@example.gov.cn',
        passwordHash: 'x',
        role: 'leader',
      })
    ).id;

    connection = createRedisConnection('redis://127.0.0.1:6379');
    queues = new JobQueues({ connection, prefix });
    handlers = createDigestHandlers({ db: testDb.db, queues, config, clock, sendJob: SHORT_BACKOFF });
    runner = new WorkerRunner({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix,
      queues: ['digest'],
      handlers,
      concurrency: 1,
      handleSignals: false,
    });
    runner.start();
    await runner.waitUntilReady();
  });

  afterAll(async () => {
    await runner?.close();
    if (queues) {
      await Promise.all(queues.all().map((q) => q.obliterate({ force: true }).catch(() => {})));
      await queues.close();
    }
    connection?.disconnect();
    await smtp?.close();
    await testDb?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('records a failed send while SMTP is down, shows it, and retries until the server is back', async () => {
    const scheduled = await handlers['schedule-digests']();
    expect(scheduled.enqueued).toEqual([users.leader]);
    const failed = await waitFor('a recorded failure', async () => {
      const row = await findSentDigest(testDb.db, users.leader, REPORT_DATE);
      return row?.status === 'failed' ? row : undefined;
    });
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    expect(failed.lastError).toMatch(/SMTP_UNAVAILABLE/);
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);

    // The job is waiting for its retry, not failed for good.
    const job = await queues.queue('digest').getJob(storedJobId(users.leader, REPORT_DATE));
    expect(await job!.getState()).toMatch(/delayed|waiting|active/);

    // The ledger the dashboard lists shows the failure and its reason.
    expect(await listSentDigests(testDb.db, { status: 'failed' })).toEqual([
      expect.objectContaining({ userId: users.leader, lastError: failed.lastError }),
    ]);

    smtp = await startSmtpCapture({
      port: smtpPort,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('bounce@')) {
          callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          return;
        }
        callback();
      },
    });

    const sent = await waitFor('the retried send', async () => {
      const row = await findSentDigest(testDb.db, users.leader, REPORT_DATE);
      return row?.status === 'sent' ? row : undefined;
    });
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    expect(sent.lastError).toBeNull();
    expect(smtp!.received.flatMap((m) => m.to)).toEqual(['leader@example.gov.cn']);
  });

  it('fails at once, without retries, when the server rejects the recipient for good', async () => {
    users.bounce = (
      await createUser(testDb.db, {
        username: 'bounce',
        displayName: '退信领导',
        email: 'bounce@example.gov.cn',
        passwordHash: 'x',
        role: 'leader',
      })
    ).id;
    const scheduled = await handlers['schedule-digests']();
    expect(scheduled.enqueued).toEqual([users.bounce]);
    const job = await waitFor('the job to fail', async () => {
      const j = await queues.queue('digest').getJob(storedJobId(users.bounce, REPORT_DATE));
      // Re-read after the state check: the object fetched before the failure still shows attemptsMade 0.
      return j && (await j.getState()) === 'failed'
        ? queues.queue('digest').getJob(storedJobId(users.bounce, REPORT_DATE))
        : undefined;
    });
    expect(job!.attemptsMade).toBe(1);
    const row = await findSentDigest(testDb.db, users.bounce, REPORT_DATE);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toMatch(/SMTP_REJECTED.*550/);
    expect((await listSentDigests(testDb.db, { status: 'failed' })).map((r) => r.userId)).toEqual([users.bounce]);
    expect(smtp!.received.flatMap((m) => m.to)).toEqual(['leader@example.gov.cn']);
  });
});
