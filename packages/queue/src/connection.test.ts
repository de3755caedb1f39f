import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ensureRedis, redisAnswers } from './connection.ts';

describe('ensureRedis', () => {
  it('uses a Redis that already answers', async () => {
    const handle = await ensureRedis({ url: 'redis://127.0.0.1:6379', explicit: false, dataDir: tmpdir() });
    expect(handle.started).toBe(false);
  });

  it('fails with a clear, retryable error when an explicit REDIS_URL does not answer', async () => {
    await expect(ensureRedis({ url: 'redis://127.0.0.1:1', explicit: true, dataDir: tmpdir() })).rejects.toMatchObject({
      code: 'REDIS_UNREACHABLE',
      retryable: true,
      message: expect.stringMatching(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(REDIS_URL\)/),
    });
  });

  it('starts a private redis-server with persistence when none answers and no URL was given', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yq-redis-'));
    // A free port stands in for "the default address is silent".
    const url = `redis://127.0.0.1:${20000 + Math.floor(Math.random() * 20000)}`;
    const handle = await ensureRedis({ url, explicit: false, dataDir });
    try {
      expect(handle.started).toBe(true);
      expect(await redisAnswers(url)).toBe(true);
      // The configuration it really runs with: every acknowledged write is fsynced to the append-only file.
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
        expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
        expect(await client.config('GET', 'dir')).toEqual(['dir', join(dataDir, 'redis')]);
      } finally {
        client.disconnect();
      }
    } finally {
      await handle.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(await redisAnswers(url)).toBe(false);
  });
});
