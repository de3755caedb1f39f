// `yq detect --input stream.jsonl`: replays a time-ordered stream through the same clustering + hot-issue engine
// the analysis worker uses, on a simulated clock, and prints one JSON line per issue. No database needed.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ManualClock, NonRetryableError } from '@yuqing/core';
import { HotIssueEngine, NEGATIVE, RELEVANT, analyseMention, getDefaultModel, parseSourceTime, type MentionInput } from '@yuqing/nlp';
import { parseFlags } from '../command.ts';

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

const USAGE = 'usage: yq detect --input <stream.jsonl> [--window-minutes 60] [--relevant-only]';

/** Entry point of `yq detect`. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('detect', argv, {
    input: { type: 'string' },
    'window-minutes': { type: 'string' },
    'relevant-only': { type: 'boolean' },
  });
  if (!values.input) throw new NonRetryableError('USAGE', `yq detect: --input is required\n${USAGE}`);
  const windowMinutes = values['window-minutes'] === undefined ? undefined : Number(values['window-minutes']);
  if (windowMinutes !== undefined && !(windowMinutes > 0)) throw new NonRetryableError('USAGE', 'yq detect: --window-minutes must be positive');

  const mentions: (MentionInput & { at: number })[] = [];
  let lineNumber = 0;
  let rejected = 0;
  const input = createReadStream(values.input, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (error) => reject(new NonRetryableError('INPUT_UNREADABLE', `cannot read ${values.input}: ${error.message}`, { cause: error })));
  });
  await opened;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    try {
      const parsed = lineSchema.parse(JSON.parse(line));
      mentions.push({ ...parsed, at: parseSourceTime(parsed.time) });
    } catch (error) {
      rejected++;
      const reason = error instanceof z.ZodError ? (error.issues[0]?.message ?? 'invalid') : (error as Error).message;
      process.stderr.write(`yq detect: line ${lineNumber} skipped: ${reason}\n`);
    }
  }
  // The stream should be time-ordered; a stable sort makes a slightly shuffled export replay correctly too.
  mentions.sort((a, b) => a.at - b.at);

  const relevance = getDefaultModel('relevance');
  const subcategory = getDefaultModel('subcategory');
  const sentiment = getDefaultModel('sentiment');
  const negativeIndex = sentiment.labels.indexOf(NEGATIVE);
  const relevantIndex = relevance.labels.indexOf(RELEVANT);
  const clock = new ManualClock(mentions[0]?.at ?? 0);
  const engine = new HotIssueEngine(clock, windowMinutes ? { windowMs: windowMinutes * 60_000 } : {});
  let skippedIrrelevant = 0;
  let flags = 0;
  for (const m of mentions) {
    clock.set(m.at);
    const text = [m.title ?? '', m.text].join('\n');
    const relevant = relevance.probabilities(text)[relevantIndex]! >= 0.5;
    if (values['relevant-only'] && !relevant) {
      skippedIrrelevant++;
      continue;
    }
    const category = relevant ? subcategory.classify(text) : '其他';
    const negativity = sentiment.probabilities(text)[negativeIndex]!;
    const result = engine.ingest(analyseMention(m, { category, negativity }));
    flags += result.events.length;
  }
  // Close the last window so growth-based escalation sees it.
  clock.advance(engine.options.windowMs);
  flags += engine.tick().length;

  const issues = [...engine.listIssues()].sort((a, b) => b.peakHotness - a.peakHotness);
  for (const issue of issues) {
    const line = {
      issueId: issue.id,
      title: issue.title,
      keywords: engine.keywords(issue),
      mentionIds: issue.mentionIds,
      firstSeen: new Date(issue.firstSeen).toISOString(),
      flaggedAt: issue.flaggedAt === null ? null : new Date(issue.flaggedAt).toISOString(),
      level: issue.level,
      hotness: Math.round(issue.peakHotness * 100) / 100,
    };
    if (!process.stdout.write(`${JSON.stringify(line)}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  process.stderr.write(
    `${JSON.stringify({ mentions: mentions.length, rejectedLines: rejected, skippedIrrelevant, issues: issues.length, flagged: issues.filter((i) => i.level !== null).length, events: flags })}\n`,
  );
  return rejected > 0 && mentions.length === 0 ? 1 : 0;
}
