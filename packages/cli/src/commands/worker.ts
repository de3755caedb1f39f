import { createLogger, NonRetryableError } from '@yuqing/core';
import { QUEUE_NAMES, type QueueName } from '@yuqing/queue';
import { parseFlags } from '../command.ts';
import { loadRuntimeConfig, openRuntime, startWorkers } from '../runtime.ts';
import { RECYCLE_EXIT_CODE } from '../worker-processes.ts';

/** How often a worker with `--recycle-rss-mb` reads its resident memory. */
const RSS_CHECK_INTERVAL_MS = 2_000;

/**
 * `yq worker --queues crawl,ingest,analyse [--recycle-rss-mb N]`: workers only, for extra processes or machines
 * sharing one PostgreSQL and one Redis (or, on the same machine, the embedded database served by `yq start`).
 * With `--recycle-rss-mb`, the process stops taking jobs once its resident memory passes N MB, lets the jobs in hand
 * finish and exits with code 75 so that its supervisor (`yq start`, systemd…) starts a fresh one: V8 keeps the heap
 * a 50 MB page grew, and only a new process gives it back.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('worker', argv, {
    queues: { type: 'string', default: QUEUE_NAMES.join(',') },
    'recycle-rss-mb': { type: 'string' },
  });
  const recycleRssMb = values['recycle-rss-mb'] === undefined ? undefined : Number(values['recycle-rss-mb']);
  if (recycleRssMb !== undefined && !(Number.isInteger(recycleRssMb) && recycleRssMb >= 64)) {
    throw new NonRetryableError(
      'USAGE',
      'yq worker: --recycle-rss-mb expects a whole number of megabytes, at least 64',
    );
  }
  const wanted = values.queues
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  const unknown = wanted.filter((q) => !(QUEUE_NAMES as readonly string[]).includes(q));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new NonRetryableError(
      'USAGE',
      `yq worker: unknown queue ${unknown.join(', ') || '(none)'}; choose from ${QUEUE_NAMES.join(', ')}`,
    );
  }
  const config = loadRuntimeConfig();
  const log = createLogger('worker-main');
  // A worker never starts its own Redis: it must join the one the system uses.
  const runtime = await openRuntime(config, { startPrivateRedis: false });
  const runner = await startWorkers(runtime, wanted as QueueName[]);
  await runner.waitUntilReady();
  process.stdout.write(`workers running for ${wanted.join(', ')}\n`);
  log.info({ queues: wanted }, 'worker process ready');
  let recycle = false;
  let rssTimer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    // `on`, not `once` (see start.ts): a second signal during the close must not find only signal-exit listening.
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    // Started by `yq start`: the IPC channel closes when the parent dies, even by SIGKILL; no orphan keeps crawling.
    if (process.connected) process.once('disconnect', stop);
    if (recycleRssMb !== undefined) {
      rssTimer = setInterval(() => {
        const rssMb = Math.round(process.memoryUsage.rss() / 1024 / 1024);
        if (rssMb <= recycleRssMb) return;
        log.info(
          { rssMb, limitMb: recycleRssMb },
          'memory above the recycle limit: finishing jobs in hand, then exiting',
        );
        recycle = true;
        stop();
      }, RSS_CHECK_INTERVAL_MS);
      rssTimer.unref();
    }
  });
  clearInterval(rssTimer);
  // Closing the workers waits for the jobs in hand: a recycle happens between jobs, never in the middle of one.
  await runner.close();
  await runtime.close();
  if (process.connected) process.disconnect();
  return recycle ? RECYCLE_EXIT_CODE : 0;
}
