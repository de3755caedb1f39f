import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runYq } from './helpers/yq.ts';

// `yq worker --recycle-rss-mb N` is how `yq start` gets a crawl worker's memory back after a huge page: past N MB
// the worker finishes what it holds and exits with code 75 for its supervisor to start a fresh one.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('yq worker --recycle-rss-mb', () => {
  it('exits with code 75 once its resident memory passes the limit (any worker at rest is above 64 MB)', async () => {
    const result = await runYq(['worker', '--queues', 'alert', '--recycle-rss-mb', '64'], {
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: 'redis://127.0.0.1:6379',
        YQ_QUEUE_PREFIX: `yqtest-${randomUUID()}`,
        LOG_LEVEL: 'info',
      },
      timeoutMs: 180_000,
    });
    expect(result.code, result.stderr + result.stdout).toBe(75);
    expect(result.stdout + result.stderr).toContain('memory above the recycle limit');
  }, 200_000);

  it('refuses a limit that is not a whole number of megabytes', async () => {
    const result = await runYq(['worker', '--recycle-rss-mb', 'lots'], {
      env: { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:6379' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--recycle-rss-mb');
  }, 120_000);
});
