import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { createLogger, NonRetryableError, redactUrl, RetryableError } from '@yuqing/core';

const log = createLogger('redis');

const PROBE_TIMEOUT_MS = 2000;
const PRIVATE_REDIS_START_TIMEOUT_MS = 10_000;
/** Persistence flags of the private redis-server: append-only file, fsynced on every write. */
const PRIVATE_REDIS_DURABILITY_ARGS = ['--appendonly', 'yes', '--appendfsync', 'always'] as const;

/**
 * One Redis connection factory for the whole system. BullMQ needs `maxRetriesPerRequest: null` on worker
 * connections so blocking commands wait through a Redis restart instead of failing.
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): Redis {
  const connection = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // Reconnect with a capped backoff: a Redis restart must not kill workers.
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 10_000),
    ...options,
  });
  let lastLogged = 0;
  connection.on('error', (error: Error) => {
    // Errors repeat on every reconnect attempt; log at most every 10 s.
    const now = Date.now();
    if (now - lastLogged > 10_000) {
      lastLogged = now;
      log.warn({ err: error.message, target: redactUrl(url) }, 'redis connection error (reconnecting)');
    }
  });
  return connection;
}

/** True when a Redis server answers PING at `url` within a short timeout. */
export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: PROBE_TIMEOUT_MS,
    enableOfflineQueue: false,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A Redis server this process may have started; `stop()` is a no-op for a server it found running. */
export interface RedisHandle {
  url: string;
  /** True when this process started a private redis-server. */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * Makes sure Redis is reachable. With an explicit REDIS_URL, it only checks and fails with a clear error.
 * Without one, if nothing answers at the default address, it starts a private `redis-server` from PATH
 * with its data (append-only file) in `<dataDir>/redis`.
 */
export async function ensureRedis(options: { url: string; explicit: boolean; dataDir: string }): Promise<RedisHandle> {
  if (await redisAnswers(options.url)) return { url: options.url, started: false, stop: async () => {} };
  if (options.explicit) {
    throw new RetryableError(
      'REDIS_UNREACHABLE',
      `cannot reach Redis at ${redactUrl(options.url)} (REDIS_URL). Start Redis there, or unset REDIS_URL to let Yuqing start a private redis-server.`,
    );
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const binary = which.stdout.trim();
  if (which.status !== 0 || !binary) {
    throw new NonRetryableError(
      'REDIS_MISSING',
      'Redis is not running at redis://127.0.0.1:6379 and redis-server is not installed. Install it (Debian/Ubuntu: `apt-get install -y redis-server`) or set REDIS_URL to a running Redis.',
    );
  }
  const url = new URL(options.url);
  const dir = join(options.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      '--bind',
      url.hostname === 'localhost' ? '127.0.0.1' : url.hostname,
      '--port',
      url.port || '6379',
      '--dir',
      dir,
      // Durability the fault tests assume: every acknowledged write (a queued ingest batch, a job's completion) is
      // in the append-only file before Redis answers, so a killed or crashed redis-server loses none of them. The
      // cost is one fsync per write; the queues write a few hundred times a second at most.
      ...PRIVATE_REDIS_DURABILITY_ARGS,
      '--save',
      '60 1000',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + PRIVATE_REDIS_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(options.url)) {
      log.info({ dir, port: url.port || '6379' }, 'started a private redis-server');
      return {
        url: options.url,
        started: true,
        stop: async () => {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new RetryableError(
    'REDIS_START_FAILED',
    `started ${binary} but it did not answer at ${redactUrl(options.url)} within ${PRIVATE_REDIS_START_TIMEOUT_MS / 1000} s`,
  );
}
