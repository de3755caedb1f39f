import { NonRetryableError } from '@yuqing/core';
import { loadCommandConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';

/** Shown with usage errors: the same text as `yq replies --help`. */
const USAGE = `${COMMAND_HELP.replies.usage}\n`;
/** Most similar replies one call may ask for. */
const MAX_TOP = 50;
/** Rejected / duplicate line numbers listed in the readable summary before "…". */
const LINES_SHOWN = 20;

function lineList(lines: number[]): string {
  return lines.length > LINES_SHOWN ? `${lines.slice(0, LINES_SHOWN).join(', ')} …` : lines.join(', ');
}

/** `yq replies import FILE --columns …` and `yq replies similar --text … [--top 5]`. */
export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'import' && action !== 'similar') {
    process.stderr.write(USAGE);
    return 2;
  }
  const { values, positionals } = parseFlags(
    `replies ${action}`,
    rest,
    {
      columns: { type: 'string' },
      json: { type: 'boolean', default: false },
      text: { type: 'string' },
      title: { type: 'string' },
      top: { type: 'string', default: '5' },
    },
    action === 'import',
  );
  const pipeline = await import('@yuqing/pipeline');
  let file = '';
  let columns: ReturnType<typeof pipeline.parseReplyColumns> | null = null;
  let top = 5;
  if (action === 'import') {
    file = positionals[0] ?? '';
    if (!file || positionals.length > 1 || !values.columns)
      throw new NonRetryableError('USAGE', `yq replies import: a file and --columns are required\n${USAGE}`);
    columns = pipeline.parseReplyColumns(values.columns);
  } else {
    if (!values.text?.trim()) throw new NonRetryableError('USAGE', `yq replies similar: --text is required\n${USAGE}`);
    top = Number(values.top);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP)
      throw new NonRetryableError('USAGE', `yq replies similar: --top must be a whole number from 1 to ${MAX_TOP}`);
  }
  const config = loadCommandConfig();
  const database = await openCommandDatabase(config);
  try {
    if (columns) {
      const summary = await pipeline.importReplyArchive(database.db, file, columns);
      if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        process.stdout.write(
          `读取 ${summary.rows} 行：入库 ${summary.stored}，重复 ${summary.duplicates.length}，被拒 ${summary.rejected.length}\n`,
        );
        if (summary.duplicates.length)
          process.stdout.write(`重复的行：${lineList(summary.duplicates.map((d) => d.line))}\n`);
        for (const r of summary.rejected.slice(0, LINES_SHOWN))
          process.stdout.write(`被拒 第 ${r.line} 行：${r.reason}\n`);
        if (summary.rejected.length > LINES_SHOWN)
          process.stdout.write(`……另有 ${summary.rejected.length - LINES_SHOWN} 行被拒（--json 列出全部）\n`);
      }
      return summary.rejected.length > 0 ? 1 : 0;
    }
    const library = new pipeline.ReplyLibrary(database.db);
    const found = await library.similar({ title: values.title ?? null, text: values.text! }, top);
    process.stdout.write(
      `${JSON.stringify(
        found.map((r) => ({
          id: r.id,
          score: r.score,
          why: r.why,
          excerpt: r.excerpt,
          department: r.department,
          time: r.time,
          title: r.title,
          source: r.source,
        })),
        null,
        2,
      )}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
