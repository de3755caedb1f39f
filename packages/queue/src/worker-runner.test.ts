import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { NonRetryableError, RetryableError } from '@yuqing/core';
import { createRedisConnection } from './connection.ts';
import { JobQueues } from './job-queues.ts';
import { WorkerRunner } from './worker-runner.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(handlers: ConstructorParameters<typeof WorkerRunner>[0]['handlers']) {
  const prefix = `yqtest-${randomUUID()}`;
  const connection = createRedisConnection(REDIS_URL);
  const queues = new JobQueues({ connection, prefix });
  const runner = new WorkerRunner({
    redisUrl: REDIS_URL,
    prefix,
    queues: ['analyse'],
    handlers,
    concurrency: 1,
    handleSignals: false,
  });
  runner.start();
  await runner.waitUntilReady();
  const events = new QueueEvents('analyse', { connection: createRedisConnection(REDIS_URL), prefix });
  await events.waitUntilReady();
  cleanups.push(async () => {
    await runner.close();
    await events.close();
    await queues.queue('analyse').obliterate({ force: true });
    await queues.close();
    connection.disconnect();
  });
  return { queues, events };
}

describe('queue round trip', () => {
  it('delivers a validated payload and retries a retryable failure with backoff', async () => {
    const attempts: number[][] = [];
    const { queues, events } = await setup({
      'analyse-mentions': async (payload) => {
        attempts.push(payload.mentionIds);
        if (attempts.length === 1) throw new RetryableError('TEMPORARY', 'database busy');
        return { analysed: payload.mentionIds.length };
      },
    });
    const id = await queues.add(
      'analyse-mentions',
      { mentionIds: [1, 2, 3] },
      { attempts: 3, backoff: { type: 'fixed', delay: 50 } },
    );
    const job = await queues.queue('analyse').getJob(id!);
    const result = await job!.waitUntilFinished(events, 20_000);
    expect(result).toEqual({ analysed: 3 });
    expect(attempts).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('fails a non-retryable error at once, without using the remaining attempts', async () => {
    let calls = 0;
    const { queues, events } = await setup({
      'analyse-mentions': async () => {
        calls += 1;
        throw new NonRetryableError('BAD_INPUT', 'mention text is not a string');
      },
    });
    const id = await queues.add(
      'analyse-mentions',
      { mentionIds: [9] },
      { attempts: 5, backoff: { type: 'fixed', delay: 50 } },
    );
    const job = await queues.queue('analyse').getJob(id!);
    await expect(job!.waitUntilFinished(events, 20_000)).rejects.toThrow(/BAD_INPUT/);
    expect(calls).toBe(1);
  });

  it('refuses an invalid payload before it reaches Redis', async () => {
    const connection = createRedisConnection(REDIS_URL);
    const queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
    cleanups.push(async () => {
      await queues.close();
      connection.disconnect();
    });
    await expect(queues.add('analyse-mentions', { mentionIds: [] })).rejects.toThrow(/mentionIds/);
    await expect(queues.add('send-digest', { userId: 1, date: '27.11.2026' })).rejects.toThrow(/date/);
  });

  it('lets idempotent enqueueing ignore a second job with the same id', async () => {
    const seen: number[] = [];
    const { queues, events } = await setup({
      'analyse-mentions': async (payload) => {
        seen.push(...payload.mentionIds);
      },
    });
    const first = await queues.add('analyse-mentions', { mentionIds: [5] }, { jobId: 'analyse:5' });
    const second = await queues.add('analyse-mentions', { mentionIds: [5] }, { jobId: 'analyse:5' });
    expect(second).toBe(first);
    await (await queues.queue('analyse').getJob(first!))!.waitUntilFinished(events, 20_000);
    expect(seen).toEqual([5]);
  });
});
