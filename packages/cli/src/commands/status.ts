import { errorMessage } from '@yuqing/core';
import { countEntities } from '@yuqing/db';
import { createRedisConnection, JobQueues, redisAnswers } from '@yuqing/queue';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { loadRuntimeConfig } from '../app-config.ts';

/** `yq status [--json]`: counts of sources, mentions, issues and queued jobs. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('status', argv, { json: { type: 'boolean', default: false } });
  const config = loadRuntimeConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const database = await openCommandDatabase(config);
  let counts: { sources: number; mentions: number; issues: number };
  try {
    counts = await countEntities(database.db);
  } finally {
    await database.close();
  }
  let queued: number | null = null;
  let redisError: string | undefined;
  if (await redisAnswers(config.redisUrl)) {
    const connection = createRedisConnection(config.redisUrl);
    const queues = new JobQueues({ connection, prefix: config.queuePrefix });
    try {
      queued = await queues.pendingCount();
    } catch (error) {
      redisError = errorMessage(error);
    } finally {
      await queues.close();
      connection.disconnect();
    }
  } else {
    redisError = `Redis not reachable at ${config.redisUrl}`;
  }
  if (redisError) process.stderr.write(`yq status: queued jobs unknown: ${redisError}\n`);
  const report = { ...counts, queued };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(
      `信源 sources ${counts.sources}\n提及 mentions ${counts.mentions}\n议题 issues ${counts.issues}\n队列 queued ${queued ?? '?'}\n`,
    );
  }
  return 0;
}
