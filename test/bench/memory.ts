// `pnpm bench memory [--mentions 3000] [--threads 0,1]`: peak RSS (VmHWM) of a real `yq worker --queues analyse`
// process after it analysed the mentions, once per classification-thread setting (issue 4: under 400 MB).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@yuqing/testkit';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { analysedCount, batches, generateMentions, startWorker } from '../fixtures/hostile/fault-kit.ts';
import { processTreePeakMb } from './pipeline.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** Mentions per ingest job, as crawlers send them. */
const INGEST_BATCH = 25;
const POLL_MS = 100;

async function measure(
  threads: number,
  count: number,
): Promise<{ threads: number; readyMb: number; peakMb: number; seconds: number }> {
  const database = await createTestDatabase();
  const prefix = `yqmem-${randomUUID()}`;
  const connection = createRedisConnection(REDIS_URL);
  const queues = new JobQueues({ connection, prefix });
  const dataDir = await mkdtemp(join(tmpdir(), 'yq-bench-memory-'));
  const env = { databaseUrl: database.url, redisUrl: REDIS_URL, prefix, dataDir };
  const ingest = await startWorker(['ingest'], env);
  const analyse = await startWorker(['analyse'], { ...env, extra: { YQ_ANALYSIS_THREADS: String(threads) } });
  try {
    const readyMb = processTreePeakMb(analyse.pid);
    const started = performance.now();
    for (const [i, items] of batches(generateMentions(count, 'mem'), INGEST_BATCH).entries())
      await queues.add('ingest-mentions', { items }, { jobId: `mem${i}` });
    while ((await analysedCount(database.db)) < count) await new Promise((r) => setTimeout(r, POLL_MS));
    return {
      threads,
      readyMb: Math.round(readyMb),
      peakMb: Math.round(processTreePeakMb(analyse.pid)),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await ingest.stop().catch(() => ingest.killHard());
    await analyse.stop().catch(() => analyse.killHard());
    for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => {});
    await queues.close();
    connection.disconnect();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: { mentions: { type: 'string', default: '3000' }, threads: { type: 'string', default: '0,1' } },
});
for (const threads of values.threads.split(',').map(Number)) {
  const result = await measure(threads, Number(values.mentions));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stdout.write(
    `analyse worker, ${threads} classification thread(s): peak RSS ${result.peakMb} MB after ${values.mentions} mentions (${result.readyMb} MB when ready)\n`,
  );
}
process.exit(0);
