// Fault injection: the digest outbox (no SMTP_URL: `.eml` files in <dataDir>/outbox) sits on a full disk. A real
// one-page tmpfs is mounted there and filled, so writing the message fails with ENOSPC from the kernel. The failure
// is recorded on the SentDigest ledger (status, attempts, lastError: what GET /api/digests/sent shows), the job is
// retried with backoff, and once space is freed the digest is written once. (SMTP down is covered by
// digest-retry.test.ts.) Mounting needs root, which the test machine has; the test says so plainly otherwise.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManualClock } from '@yuqing/core';
import { createUser, findSentDigest, listSentDigests } from '@yuqing/db';
import { createRedisConnection, JobQueues, WorkerRunner } from '@yuqing/queue';
import { createDigestHandlers, sendDigestJobId } from '@yuqing/digest';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';
import type { Redis } from 'ioredis';
import { waitFor } from './helpers/net.ts';
import { tempDir } from './fixtures/hostile/fault-kit.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REPORT_DATE = '2026-11-26';
const clock = new ManualClock(new Date('2026-11-27T09:00:00+08:00'));

let testDb: TestDatabase;
let connection: Redis;
let queues: JobQueues;
let runner: WorkerRunner | undefined;
let dir: Awaited<ReturnType<typeof tempDir>>;
let outbox = '';
let mounted = false;
const prefix = `yqtest-${randomUUID()}`;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = await tempDir('yq-fault-outbox-');
  outbox = join(dir.path, 'outbox');
  await mkdir(outbox);
  if (process.getuid?.() !== 0) throw new Error('this test mounts a tiny tmpfs to get a real ENOSPC and needs root');
  // One page (4 KiB): the digest (HTML + chart PNG) can never fit.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k,mode=0755', 'tmpfs', outbox]);
  mounted = true;
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix });
});

afterAll(async () => {
  await runner?.close();
  if (queues) {
    for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => {});
    await queues.close();
  }
  connection?.disconnect();
  if (mounted) execFileSync('umount', [outbox]);
  await testDb?.drop();
  await dir?.cleanup();
});

describe('digest outbox on a full disk', () => {
  it('records the failure visibly, retries, and writes the digest once space is back', async () => {
    // Fill what little there is, so even a small write fails.
    await writeFile(join(outbox, 'filler'), Buffer.alloc(4096, 1)).catch(() => {});
    const config = loadConfig({
      PUBLIC_URL: 'https://yuqing.example.gov.cn',
      TZ: 'Asia/Shanghai',
      YQ_DATA_DIR: dir.path,
    });
    expect(config.smtpUrl ?? undefined).toBeUndefined();
    const leader = await createUser(testDb.db, {
      username: 'leader',
      displayName: '王局长',
      email: 'leader@example.gov.cn',
      passwordHash: 'x',
      role: 'leader',
    });
    const handlers = createDigestHandlers({
      db: testDb.db,
      queues,
      config,
      clock,
      sendJob: { attempts: 8, retryDelayMs: 1000 },
    });
    runner = new WorkerRunner({
      redisUrl: REDIS_URL,
      prefix,
      queues: ['digest'],
      handlers,
      concurrency: 1,
      handleSignals: false,
    });
    runner.start();
    await runner.waitUntilReady();

    expect((await handlers['schedule-digests']()).enqueued).toEqual([leader.id]);
    const failed = await waitFor(
      'a recorded failure',
      async () => {
        const row = await findSentDigest(testDb.db, leader.id, REPORT_DATE);
        return row?.status === 'failed' ? row : undefined;
      },
      30_000,
      100,
    );
    expect(failed.lastError).toMatch(/OUTBOX_DISK_FULL/);
    expect(failed.lastError).toMatch(/ENOSPC/);
    expect(await listSentDigests(testDb.db, { status: 'failed' })).toEqual([
      expect.objectContaining({ userId: leader.id, lastError: failed.lastError }),
    ]);
    // Waiting for a retry, not failed for good; no half-written file is left behind.
    const job = await queues.queue('digest').getJob(sendDigestJobId(leader.id, REPORT_DATE).replaceAll(':', '_'));
    expect(await job!.getState()).toMatch(/delayed|waiting|active/);
    expect((await readdir(outbox)).filter((f) => f !== 'filler')).toEqual([]);

    // Free the disk: drop the filler and grow the file system.
    await rm(join(outbox, 'filler'));
    execFileSync('mount', ['-o', 'remount,size=8m', outbox]);
    const sent = await waitFor(
      'the retried send',
      async () => {
        const row = await findSentDigest(testDb.db, leader.id, REPORT_DATE);
        return row?.status === 'sent' ? row : undefined;
      },
      40_000,
      200,
    );
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    expect(sent.lastError).toBeNull();
    const files = await readdir(outbox);
    expect(files).toEqual([`digest-${REPORT_DATE}-u${leader.id}.eml`]);
    expect(await readFile(join(outbox, files[0]!), 'latin1')).toMatch(/^Content-Type: multipart/m);
  }, 90_000);
});
