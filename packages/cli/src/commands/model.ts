// `yq model train|predict|eval|retrain`: trainable text classifiers, no database or running system needed.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { NonRetryableError } from '@yuqing/core';
import {
  TextClassifier,
  evaluatePredictions,
  formatReport,
  loadModel,
  readLabelledFile,
  readModelVersion,
  serialiseModel,
  stratifiedSplit,
  writeModelFile,
  buildDefaultModels,
  DEFAULT_MODEL_NAMES,
  SHIPPED_MODELS_DIR,
  type DefaultModelName,
  type Prediction,
} from '@yuqing/nlp';
import { MODEL_LABELS } from '@yuqing/domain';
import { loadRuntimeConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';

/** Shown with usage errors: the same text as `yq model --help`. */
const USAGE = `${COMMAND_HELP.model.usage}\n`;

/** Share of examples held out at training time to record the model's score (0 trains on everything). */
const DEFAULT_HOLDOUT_FRACTION = 0;

function columns(value: string | undefined, flag: string): string[] {
  const list = (value ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (list.length === 0) throw new NonRetryableError('USAGE', `yq model: --${flag} is required`);
  return list;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new NonRetryableError('USAGE', `yq model: --${flag} is required\n${USAGE}`);
  return value;
}

async function train(argv: string[]): Promise<number> {
  const { values } = parseFlags('model train', argv, {
    task: { type: 'string' },
    input: { type: 'string' },
    text: { type: 'string' },
    label: { type: 'string' },
    out: { type: 'string' },
    holdout: { type: 'string' },
    epochs: { type: 'string' },
    neighbours: { type: 'string' },
  });
  const task = required(values.task, 'task');
  const input = required(values.input, 'input');
  const out = required(values.out, 'out');
  const spec = { text: columns(values.text, 'text'), label: required(values.label, 'label') };
  const holdout = values.holdout === undefined ? DEFAULT_HOLDOUT_FRACTION : Number(values.holdout);
  if (!(holdout >= 0 && holdout < 1))
    throw new NonRetryableError('USAGE', 'yq model train: --holdout must be in [0, 1)');
  const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0))
    throw new NonRetryableError('USAGE', 'yq model train: --epochs must be a positive integer');

  // Nearest labelled examples voting on each prediction (0 turns the vote off; default: on for long texts).
  const neighbours = values.neighbours === undefined ? undefined : Number(values.neighbours);
  if (neighbours !== undefined && !(Number.isInteger(neighbours) && neighbours >= 0))
    throw new NonRetryableError('USAGE', 'yq model train: --neighbours must be a whole number ≥ 0');

  const { examples, skipped } = await readLabelledFile(input, spec);
  const { train: trainSet, heldOut } =
    holdout > 0 ? stratifiedSplit(examples, (e) => e.label, holdout) : { train: examples, heldOut: [] };
  const classifier = TextClassifier.train(trainSet, {
    task,
    ...(epochs ? { epochs } : {}),
    ...(neighbours === undefined ? {} : { neighbours }),
  });
  const report =
    heldOut.length > 0
      ? evaluatePredictions(
          heldOut.map((e) => e.label),
          heldOut.map((e) => classifier.classify(e.text)),
        )
      : null;
  // Training over an existing model of the same task makes the next version of it.
  const previous = await readModelVersion(out);
  const sameTask = previous && previous.task === task ? previous : undefined;
  await writeModelFile(
    out,
    serialiseModel(classifier, {
      version: (sameTask?.version ?? 0) + 1,
      previousVersion: sameTask?.version ?? null,
      evaluation: report,
    }),
  );
  const summary = {
    model: out,
    task,
    version: (sameTask?.version ?? 0) + 1,
    labels: classifier.labels,
    examples: trainSet.length,
    skipped,
    seconds: classifier.training.seconds,
    ...(report ? { heldOut: heldOut.length, macroF1: Math.round(report.macroF1 * 10000) / 10000 } : {}),
  };
  process.stderr.write(`${JSON.stringify(summary)}\n`);
  if (report) process.stderr.write(`${formatReport(report)}\n`);
  return 0;
}

/**
 * Lines scored together at most: `predictBatch` cuts a batch with few jieba calls, much cheaper per line for short
 * posts. A batch is also scored as soon as the input pauses, so a slow stream still gets an answer per line.
 */
const PREDICT_BATCH_LINES = 256;

/** A label as people read it: 相关, 负面 …; sub-category labels are Chinese already. */
function labelName(label: string): string {
  return (MODEL_LABELS as Record<string, string>)[label] ?? label;
}

/**
 * `--explain`: the prediction with Chinese labels and its reasons, each a word or phrase with its direction
 * (支持 the predicted label, or 反对 it) and weight.
 */
function explained(p: Prediction): Record<string, unknown> {
  const name = labelName(p.label);
  return {
    label: p.label,
    标签: name,
    score: p.score,
    理由: p.top.map(([phrase, weight]) => ({
      词语: phrase,
      方向: `${weight >= 0 ? '支持' : '反对'}「${name}」`,
      权重: Math.abs(weight),
    })),
  };
}

async function predict(argv: string[]): Promise<number> {
  const { values } = parseFlags('model predict', argv, {
    model: { type: 'string' },
    top: { type: 'string' },
    explain: { type: 'boolean' },
  });
  const { classifier } = await loadModel(required(values.model, 'model'));
  const top = values.top === undefined ? 5 : Number(values.top);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  let failures = 0;
  // One entry per non-blank input line, in order: its text, or the line number of a line that is not {"text": …}.
  let pending: (string | number)[] = [];
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const predictions = classifier.predictBatch(
      batch.filter((e): e is string => typeof e === 'string'),
      top,
    );
    let next = 0;
    let out = '';
    for (const entry of batch) {
      if (typeof entry === 'number') {
        // One output line per input line keeps outputs aligned with inputs; the error says which line was bad.
        failures++;
        out += `${JSON.stringify({ error: { code: 'INPUT_INVALID', message: `line ${entry}: expected {"text": string}` } })}\n`;
      } else {
        const p = predictions[next++]!;
        out += `${JSON.stringify(values.explain ? explained(p) : { label: p.label, score: p.score, top: p.top })}\n`;
      }
    }
    if (!process.stdout.write(out)) {
      lines.pause();
      process.stdout.once('drain', () => lines.resume());
    }
  };
  lines.on('line', (line) => {
    lineNumber++;
    if (!line.trim()) return;
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    pending.push(typeof text === 'string' ? text : lineNumber);
    if (pending.length >= PREDICT_BATCH_LINES) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
  await once(lines, 'close');
  flush();
  return failures > 0 ? 1 : 0;
}

async function evaluate(argv: string[]): Promise<number> {
  const { values } = parseFlags('model eval', argv, {
    model: { type: 'string' },
    input: { type: 'string' },
    text: { type: 'string' },
    label: { type: 'string' },
    json: { type: 'boolean' },
  });
  const { classifier } = await loadModel(required(values.model, 'model'));
  const { examples } = await readLabelledFile(required(values.input, 'input'), {
    text: columns(values.text, 'text'),
    label: required(values.label, 'label'),
  });
  const report = evaluatePredictions(
    examples.map((e) => e.label),
    examples.map((e) => classifier.classify(e.text)),
  );
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}

/**
 * `yq model retrain [--task relevance|subcategory|sentiment] [--min-labels N]`: retrains from analysts'
 * corrections in the database and promotes a model only when it scores no worse on held-out corrections.
 */
async function retrain(argv: string[]): Promise<number> {
  const { values } = parseFlags('model retrain', argv, { task: { type: 'string' }, 'min-labels': { type: 'string' } });
  const config = loadRuntimeConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const { retrainModels, ANALYSIS_TASKS } = await import('@yuqing/pipeline');
  if (values.task && !(ANALYSIS_TASKS as readonly string[]).includes(values.task)) {
    throw new NonRetryableError('USAGE', `yq model retrain: --task must be one of ${ANALYSIS_TASKS.join(', ')}`);
  }
  const minLabels = values['min-labels'] === undefined ? undefined : Number(values['min-labels']);
  if (minLabels !== undefined && !(Number.isInteger(minLabels) && minLabels > 0))
    throw new NonRetryableError('USAGE', 'yq model retrain: --min-labels must be a positive whole number');
  const database = await openCommandDatabase(config);
  try {
    const outcomes = await retrainModels(database.db, {
      ...(values.task ? { tasks: [values.task] } : {}),
      ...(minLabels ? { minLabels } : {}),
    });
    for (const outcome of outcomes) process.stdout.write(`${JSON.stringify(outcome)}\n`);
  } finally {
    await database.close();
  }
  return 0;
}

/**
 * `yq model build-defaults`: trains the shipped models (`default:*`) from the shared research data and writes them
 * with their cards into packages/nlp/models (or `--out`). Takes a few minutes on two cores.
 */
async function buildDefaults(argv: string[]): Promise<number> {
  const { values } = parseFlags('model build-defaults', argv, {
    data: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string' },
  });
  const names = (values.only ? values.only.split(',').map((n) => n.trim()) : [...DEFAULT_MODEL_NAMES]) as string[];
  for (const n of names)
    if (!(DEFAULT_MODEL_NAMES as readonly string[]).includes(n))
      throw new NonRetryableError('USAGE', `yq model build-defaults: --only takes ${DEFAULT_MODEL_NAMES.join(', ')}`);
  buildDefaultModels(
    values.data ?? '../shared/data',
    values.out ?? SHIPPED_MODELS_DIR,
    names as DefaultModelName[],
    (card) =>
      process.stdout.write(
        `${JSON.stringify({ model: `default:${card.name}`, sizeBytes: card.sizeBytes, figures: card.figures.slice(0, 3) })}\n`,
      ),
  );
  return 0;
}

/** Entry point of `yq model`. */
export async function run(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'train':
      return train(rest);
    case 'predict':
      return predict(rest);
    case 'eval':
      return evaluate(rest);
    case 'retrain':
      return retrain(rest);
    case 'build-defaults':
      return buildDefaults(rest);
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}
