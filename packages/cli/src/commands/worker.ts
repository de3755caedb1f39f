import { createLogger, NonRetryableError } from '@yuqing/core';
import { QUEUE_NAMES, type QueueName } from '@yuqing/queue';
import { parseFlags } from '../command.ts';
import { loadRuntimeConfig, openRuntime, startWorkers } from '../runtime.ts';

/**
 * `yq worker --queues crawl,ingest,analyse`: workers only, for extra processes or machines sharing one
 * PostgreSQL and one Redis (or, on the same machine, the embedded database served by `yq start`).
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('worker', argv, { queues: { type: 'string', default: QUEUE_NAMES.join(',') } });
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
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    // `on`, not `once` (see start.ts): a second signal during the close must not find only signal-exit listening.
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await runner.close();
  await runtime.close();
  return 0;
}
