import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { NonRetryableError } from '@yuqing/core';
import type { RawMention } from '@yuqing/domain';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';
import { loadRuntimeConfig } from '../app-config.ts';
import { Progress } from '../progress.ts';

/** Shown with usage errors: the same text as `yq crawl --help`. */
const USAGE = `${COMMAND_HELP.crawl.usage}\n`;

/** `yq crawl --source <id|file.json> --once [--out file.jsonl]` */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('crawl', argv, {
    source: { type: 'string' },
    once: { type: 'boolean', default: false },
    out: { type: 'string' },
  });
  if (!values.source) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadRuntimeConfig();
  const crawlers = await import('@yuqing/crawlers');
  const pipeline = await import('@yuqing/pipeline');
  const { definitionFromRow } = await import('@yuqing/domain');
  const spec = values.source;
  const isId = /^\d+$/.test(spec);
  if (!isId && !existsSync(spec))
    throw new NonRetryableError(
      'USAGE',
      `yq crawl: --source ${JSON.stringify(spec)} is neither a source id nor an existing JSON file`,
    );
  if (values.out && !values.once) throw new NonRetryableError('USAGE', 'yq crawl: --out needs --once');

  const results: Array<{ source: string; status: string; pages: number; items: number; error?: string }> = [];
  const report = (
    source: string,
    r: { status: string; pagesFetched: number; itemsEmitted: number; errorMessage?: string; blockedReason?: string },
  ) => {
    const line = {
      source,
      status: r.status,
      pages: r.pagesFetched,
      items: r.itemsEmitted,
      ...(r.blockedReason || r.errorMessage ? { error: r.blockedReason ?? r.errorMessage } : {}),
    };
    results.push(line);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };

  if (values.out && !isId) {
    // File sources with --out: no database, no Redis; the crawl remembers seen URLs only for this run.
    const definitions = await pipeline.loadSourceFile(spec);
    const out = createWriteStream(values.out, { flags: 'w', encoding: 'utf8' });
    const progress = new Progress('crawl: mentions');
    let written = 0;
    const write = async (items: RawMention[]) => {
      for (const item of items) if (!out.write(`${JSON.stringify(item)}\n`)) await once(out, 'drain');
      written += items.length;
      progress.update(written);
    };
    try {
      for (const def of definitions) {
        const result = await crawlers.crawlOnce(def, {
          allowedPrivateHosts: config.allowedPrivateHosts,
          timeZone: config.timeZone,
          onItems: write,
        });
        report(def.name ?? def.url, result);
      }
    } finally {
      progress.done();
      out.end();
      await once(out, 'close');
    }
    return results.every((r) => r.status === 'succeeded' || r.status === 'partial') ? 0 : 1;
  }

  const { getSourceById } = await import('@yuqing/db');
  const database = await openCommandDatabase(config);
  try {
    const ids = isId
      ? [Number(spec)]
      : (await pipeline.upsertSources(database.db, await pipeline.loadSourceFile(spec))).map((s) => s.id);
    if (!values.once) {
      const { createRedisConnection, JobQueues } = await import('@yuqing/queue');
      const connection = createRedisConnection(config.redisUrl);
      const queues = new JobQueues({ connection, prefix: config.queuePrefix });
      try {
        for (const id of ids) await queues.add('crawl-source', { sourceId: id, trigger: 'manual' });
        process.stdout.write(`${JSON.stringify({ queued: ids })}\n`);
      } finally {
        await queues.close();
        connection.disconnect();
      }
      return 0;
    }
    for (const id of ids) {
      const row = await getSourceById(database.db, id);
      if (!row) throw new NonRetryableError('SOURCE_NOT_FOUND', `source #${id} does not exist`);
      if (values.out) {
        const out = createWriteStream(values.out, { flags: 'a', encoding: 'utf8' });
        try {
          const result = await crawlers.crawlOnce(definitionFromRow(row), {
            allowedPrivateHosts: config.allowedPrivateHosts,
            timeZone: config.timeZone,
            onItems: async (items) => {
              for (const item of items) if (!out.write(`${JSON.stringify(item)}\n`)) await once(out, 'drain');
            },
          });
          report(row.name, result);
        } finally {
          out.end();
          await once(out, 'close');
        }
        continue;
      }
      // Into the database directly; analysis picks the mentions up when Redis is there to tell it.
      const outcome = await pipeline.crawlStoredSource({
        db: database.db,
        sourceId: id,
        trigger: 'manual',
        config,
        makeSink: (sourceId, runId) =>
          pipeline.createDirectSink({ db: database.db, sourceId, runId, region: row.region }),
      });
      if (outcome.result) report(row.name, outcome.result);
    }
  } finally {
    await database.close();
  }
  return results.every((r) => r.status === 'succeeded' || r.status === 'partial') ? 0 : 1;
}
