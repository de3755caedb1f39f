import { NonRetryableError } from '@yuqing/core';
import type { ColumnField, ColumnMapping, ImportSummary } from '@yuqing/pipeline';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';
import { loadRuntimeConfig } from '../app-config.ts';
import { Progress } from '../progress.ts';
import { openCommandDatabase } from '../command-database.ts';

/** Shown with usage errors: the same text as `yq import --help`. */
const USAGE = `${COMMAND_HELP.import.usage}\n`;
const FORMATS = ['mediacrawler', 'csv', 'xlsx'] as const;
/** Rejected rows printed one per line; the rest are counted (a broken export can have thousands). */
const MAX_REJECTIONS_SHOWN = 50;

function parseColumns(spec: string, fields: readonly ColumnField[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const field = part.slice(0, eq).trim() as ColumnField;
    if (eq < 0 || !fields.includes(field) || part.slice(eq + 1).trim() === '')
      throw new NonRetryableError(
        'USAGE',
        `yq import: --columns wants field=column pairs with fields ${fields.join(', ')}; got ${JSON.stringify(part)}\n${USAGE}`,
      );
    mapping[field] = part.slice(eq + 1).trim();
  }
  if (!mapping.title && !mapping.text)
    throw new NonRetryableError('USAGE', `yq import: --columns must name a title or text column\n${USAGE}`);
  return mapping;
}

function printSummary(summary: ImportSummary): void {
  const out = process.stdout;
  out.write(
    `导入完成：读取 ${summary.rows} 行（${summary.files} 个文件/表），入库 ${summary.stored}，重复 ${summary.duplicates}，` +
      `被监测方案过滤 ${summary.filtered}，拒绝 ${summary.rejected.length}\n`,
  );
  for (const r of summary.rejected.slice(0, MAX_REJECTIONS_SHOWN))
    out.write(`  拒绝 ${r.file} 第 ${r.line} 行，字段 ${r.field}：${r.reason}\n`);
  if (summary.rejected.length > MAX_REJECTIONS_SHOWN)
    out.write(`  ……另有 ${summary.rejected.length - MAX_REJECTIONS_SHOWN} 行被拒绝（--json 列出全部）\n`);
  for (const s of summary.skipped) out.write(`  跳过（不含帖子或评论）：${s}\n`);
}

/** `yq import --format mediacrawler|csv|xlsx [--columns …] <path>` */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'import',
    argv,
    { format: { type: 'string' }, columns: { type: 'string' }, json: { type: 'boolean', default: false } },
    true,
  );
  const format = values.format as (typeof FORMATS)[number] | undefined;
  const [target] = positionals;
  if (!format || !target) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (!FORMATS.includes(format))
    throw new NonRetryableError('USAGE', `yq import: --format must be one of ${FORMATS.join(', ')}\n${USAGE}`);
  if (positionals.length > 1) throw new NonRetryableError('USAGE', 'yq import: give exactly one file or directory');
  const pipeline = await import('@yuqing/pipeline');
  if (format !== 'mediacrawler' && !values.columns)
    throw new NonRetryableError('USAGE', `yq import: --format ${format} needs --columns\n${USAGE}`);
  const mapping = format === 'mediacrawler' ? undefined : parseColumns(values.columns!, pipeline.COLUMN_FIELDS);

  const config = loadRuntimeConfig();
  const { createRedisConnection, JobQueues } = await import('@yuqing/queue');
  const database = await openCommandDatabase(config);
  // Stored mentions are announced to the analysis queue exactly as crawled ones are.
  const connection = createRedisConnection(config.redisUrl);
  const queues = new JobQueues({ connection, prefix: config.queuePrefix });
  const progress = new Progress('import: rows');
  try {
    const options = {
      db: database.db,
      queues,
      timeZone: config.timeZone,
      onProgress: (done: number, total: number) => progress.update(done, `/ ${total}`),
    };
    const summary =
      format === 'mediacrawler'
        ? await pipeline.importMediaCrawler(target, options)
        : await pipeline.importColumns(target, format, mapping!, options);
    progress.done();
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else printSummary(summary);
    return 0;
  } finally {
    progress.done();
    await queues.close();
    connection.disconnect();
    await database.close();
  }
}
