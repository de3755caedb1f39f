// `yq detect --input stream.jsonl`: replays a time-ordered stream through the analysis worker's own classification
// and clustering (@yuqing/pipeline's replayStream) on a simulated clock, and prints one JSON line per issue. No
// database needed. A CSV export (e.g. a message board's) is read too, with `--columns` naming its columns.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { NonRetryableError } from '@yuqing/core';
import { LEVEL_LABELS } from '@yuqing/domain';
import { parseCsvRecords, parseSourceTime } from '@yuqing/nlp';
import {
  ANALYSIS_TASKS,
  loadModelFromSpec,
  replayStream,
  type AnalysisTask,
  type LoadedModel,
  type ReplayMention,
} from '@yuqing/pipeline';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';

const lineSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  text: z.string(),
  time: z.union([z.string().min(1), z.number()]),
  title: z.string().optional(),
  likes: z.number().nonnegative().optional(),
  comments: z.number().nonnegative().optional(),
  reposts: z.number().nonnegative().optional(),
  source: z.string().optional(),
});

/** Fields of a stream line, as `--columns` may map them from CSV columns. */
const FIELDS = ['id', 'text', 'time', 'title', 'likes', 'comments', 'reposts', 'source'] as const;
type Field = (typeof FIELDS)[number];
const COUNT_FIELDS = new Set<Field>(['likes', 'comments', 'reposts']);

/** Shown with usage errors: the same text as `yq detect --help`. */
const USAGE = `${COMMAND_HELP.detect.usage}\n`;

/** Parses `--columns id=留言编号,text=留言详情`: every field defaults to a column of its own name. */
function parseColumns(spec: string | undefined): Record<Field, string> {
  const columns = Object.fromEntries(FIELDS.map((f) => [f, f])) as Record<Field, string>;
  for (const part of (spec ?? '').split(',').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const field = part.slice(0, eq).trim() as Field;
    if (eq < 0 || !FIELDS.includes(field) || part.slice(eq + 1).trim() === '') {
      throw new NonRetryableError(
        'USAGE',
        `yq detect: --columns wants field=column pairs with fields ${FIELDS.join(', ')}; got ${JSON.stringify(part)}\n${USAGE}`,
      );
    }
    columns[field] = part.slice(eq + 1).trim();
  }
  return columns;
}

/** A CSV row as a stream line object: counts become numbers, empty optional cells are left out. */
function rowToLine(row: Record<string, string>, columns: Record<Field, string>): Record<string, unknown> {
  const line: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const cell = row[columns[field]];
    if (cell === undefined || (cell.trim() === '' && field !== 'text')) continue;
    line[field] = COUNT_FIELDS.has(field) ? Number(cell.trim()) : cell;
  }
  return line;
}

/** Entry point of `yq detect`. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('detect', argv, {
    input: { type: 'string' },
    'window-minutes': { type: 'string' },
    'relevant-only': { type: 'boolean' },
    format: { type: 'string' },
    columns: { type: 'string' },
  });
  if (!values.input) throw new NonRetryableError('USAGE', `yq detect: --input is required\n${USAGE}`);
  const windowMinutes = values['window-minutes'] === undefined ? undefined : Number(values['window-minutes']);
  if (windowMinutes !== undefined && !(windowMinutes > 0))
    throw new NonRetryableError('USAGE', 'yq detect: --window-minutes must be positive');

  const format = values.format ?? (/\.csv$/i.test(values.input) ? 'csv' : 'jsonl');
  if (format !== 'csv' && format !== 'jsonl')
    throw new NonRetryableError('USAGE', `yq detect: --format must be jsonl or csv\n${USAGE}`);
  if (values.columns !== undefined && format !== 'csv')
    throw new NonRetryableError('USAGE', `yq detect: --columns applies to CSV input\n${USAGE}`);
  const columns = parseColumns(values.columns);

  const mentions: ReplayMention[] = [];
  let rejected = 0;
  const accept = (where: string, value: () => unknown) => {
    try {
      const { time, ...parsed } = lineSchema.parse(value());
      mentions.push({ ...parsed, at: parseSourceTime(time) });
    } catch (error) {
      rejected++;
      const reason =
        error instanceof z.ZodError
          ? `${error.issues[0]?.path.join('.') || 'line'}: ${error.issues[0]?.message ?? 'invalid'}`
          : (error as Error).message;
      process.stderr.write(`yq detect: ${where} skipped: ${reason}\n`);
    }
  };
  const unreadable = (error: unknown) =>
    new NonRetryableError('INPUT_UNREADABLE', `cannot read ${values.input}: ${(error as Error).message}`, {
      cause: error,
    });
  if (format === 'csv') {
    const records = parseCsvRecords(
      await readFile(values.input, 'utf8').catch((error: unknown) => Promise.reject(unreadable(error))),
    );
    const header = Object.keys(records[0] ?? {});
    const missing = (['id', 'text', 'time'] as const).filter((f) => records.length > 0 && !header.includes(columns[f]));
    if (missing.length > 0) {
      throw new NonRetryableError(
        'INPUT_INVALID',
        `yq detect: ${values.input} has no column ${missing.map((f) => `${JSON.stringify(columns[f])} (${f})`).join(', ')}; columns: ${header.join(', ')}\n${USAGE}`,
      );
    }
    records.forEach((row, i) => accept(`row ${i + 2}`, () => rowToLine(row, columns)));
  } else {
    const input = createReadStream(values.input, 'utf8');
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', (error) => reject(unreadable(error)));
    });
    let lineNumber = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim()) accept(`line ${lineNumber}`, () => JSON.parse(line));
    }
  }
  // The worker's models when no model was promoted: the shipped defaults.
  const models = {} as Record<AnalysisTask, LoadedModel>;
  for (const task of ANALYSIS_TASKS)
    models[task] = await loadModelFromSpec(task, { version: `default:${task}`, data: null });
  // replayStream orders the stream by time (a slightly shuffled export replays correctly too).
  const replay = replayStream(mentions, {
    models,
    includeIrrelevant: !values['relevant-only'],
    ...(windowMinutes ? { hotIssueOptions: { windowMs: windowMinutes * 60_000 } } : {}),
  });
  const issues = [...replay.issues].sort((a, b) => b.peakHotness - a.peakHotness);
  for (const issue of issues) {
    const line = {
      issueId: issue.clusterKey,
      title: issue.title,
      keywords: issue.keywords,
      mentionIds: issue.mentionIds,
      firstSeen: issue.firstSeen.toISOString(),
      flaggedAt: issue.flaggedAt === null ? null : issue.flaggedAt.toISOString(),
      level: issue.level === 'none' ? null : LEVEL_LABELS[issue.level],
      hotness: Math.round(issue.peakHotness * 100) / 100,
    };
    if (!process.stdout.write(`${JSON.stringify(line)}\n`))
      await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  process.stderr.write(
    `${JSON.stringify({ mentions: mentions.length, rejectedLines: rejected, skippedIrrelevant: replay.skippedIrrelevant, issues: issues.length, flagged: issues.filter((i) => i.level !== 'none').length, events: replay.events.length })}\n`,
  );
  return rejected > 0 && mentions.length === 0 ? 1 : 0;
}
