import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createLogger, NonRetryableError, sha256Hex } from '@yuqing/core';
import { jiebaFingerprint, nlpCacheDir } from './jieba.ts';
import { deserialiseModel, serialiseModel, MODEL_FORMAT_VERSION } from './model-file.ts';
import type { LabelledText, TrainOptions } from './classifier-training.ts';
import { TextClassifier } from './text-classifier.ts';

/** Names of the shipped models, addressable as `default:<name>`. */
export const DEFAULT_MODEL_NAMES = ['relevance', 'subcategory', 'sentiment'] as const;
/** One of {@link DEFAULT_MODEL_NAMES}. */
export type DefaultModelName = (typeof DEFAULT_MODEL_NAMES)[number];

/** Labels of the shipped relevance and sentiment models. */
export const RELEVANT = 'relevant';
export const IRRELEVANT = 'irrelevant';
export const NEGATIVE = 'negative';
export const NON_NEGATIVE = 'non-negative';

/** Seeds are tiny; 2^16 buckets keep each default model under a megabyte in memory. */
const DEFAULT_MODEL_DIMENSIONS = 1 << 16;

const seedGroup = z.object({ terms: z.array(z.string()), seeds: z.array(z.string()) });
const hrLexiconSchema = z.object({
  subcategories: z.record(z.string(), seedGroup),
  irrelevant: seedGroup,
  templates: z.array(z.string()).min(1),
});
const sentimentLexiconSchema = z.object({
  negative: seedGroup,
  nonNegative: seedGroup,
  templates: z.array(z.string()).min(1),
});

function seedPath(name: string): string {
  return fileURLToPath(new URL(`../seeds/${name}`, import.meta.url));
}

function readSeeds<T>(name: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(readFileSync(seedPath(name), 'utf8')));
  } catch (error) {
    throw new NonRetryableError(
      'SEEDS_INVALID',
      `shipped seed file ${name} is unreadable: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Lexicon terms through every template, plus the hand-written seed sentences. */
function expand(group: { terms: string[]; seeds: string[] }, templates: string[], label: string): LabelledText[] {
  const out: LabelledText[] = group.seeds.map((text) => ({ text, label }));
  for (const term of group.terms) for (const t of templates) out.push({ text: t.replace('{t}', term), label });
  return out;
}

/** Training examples of a shipped model, built only from Yuqing's own seed files. */
export function defaultTrainingExamples(name: DefaultModelName): LabelledText[] {
  if (name === 'sentiment') {
    const lex = readSeeds('sentiment-lexicon.json', sentimentLexiconSchema);
    return [...expand(lex.negative, lex.templates, NEGATIVE), ...expand(lex.nonNegative, lex.templates, NON_NEGATIVE)];
  }
  const lex = readSeeds('hr-lexicon.json', hrLexiconSchema);
  const hr = Object.entries(lex.subcategories).flatMap(([sub, group]) => expand(group, lex.templates, sub));
  if (name === 'subcategory') return hr;
  return [...hr.map((e) => ({ text: e.text, label: RELEVANT })), ...expand(lex.irrelevant, lex.templates, IRRELEVANT)];
}

/**
 * Sub-category examples from a three-level taxonomy: every third-level name under `topic` (工伤保险, 劳务派遣纠纷,
 * 住房公积金 …) through the seed lexicon's templates, labelled with its second-level class. Catch-all names (其他)
 * say nothing about their class and are left out.
 */
export function taxonomyTrainingExamples(
  rows: readonly { first: string; second: string; third: string }[],
  topic: string,
): LabelledText[] {
  const { templates } = readSeeds('hr-lexicon.json', hrLexiconSchema);
  const out: LabelledText[] = [];
  for (const r of rows) {
    if (r.first !== topic || r.third === OTHER || r.second === OTHER || !r.third) continue;
    for (const t of templates) out.push({ text: t.replace('{t}', r.third), label: r.second });
  }
  return out;
}

/** The taxonomy's catch-all name at every level. */
const OTHER = '其他';

const cache = new Map<DefaultModelName, TextClassifier>();

/** Where `yq model build-defaults` writes the shipped models and their cards (committed with the code). */
export const SHIPPED_MODELS_DIR = fileURLToPath(new URL('../models/', import.meta.url));

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The shipped model trained on real labelled data (see `default-model-build.ts`), or undefined when this copy has
 * none (then the seed-trained model stands in). A present but broken file is an error, not a silent fallback.
 */
export function readShippedModel(name: DefaultModelName, dir = SHIPPED_MODELS_DIR): TextClassifier | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, `${name}.model.json`), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  return deserialiseModel(JSON.parse(text), `shipped default:${name}`).classifier;
}

/** The card of a shipped model (data, licence note, size, date, figures), or undefined when none is shipped. */
export function readShippedModelCard(name: DefaultModelName, dir = SHIPPED_MODELS_DIR): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, `${name}.card.json`), 'utf8')) as unknown;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** How a shipped model is trained. */
function trainOptions(name: DefaultModelName): TrainOptions {
  return {
    task: `default:${name}`,
    // Single characters (工, 保, 资) make the relevance seeds fire on any post (measured on Teddy: F1 0.76 → 0.81,
    // THUCNews titles called relevant 22 → 7 of 2000); sentiment (哭, 怒) and short sub-category names keep them.
    features: { dimensions: DEFAULT_MODEL_DIMENSIONS, charNgrams: name === 'relevance' ? [2, 3] : [1, 2, 3] },
    epochs: 20,
    seed: 1,
  };
}

/**
 * Sources a trained default model depends on besides its seeds and options: the training, feature and tokeniser
 * code. Any change to them changes the cache key, so a cached model is never one the current code would not train.
 */
export const TRAINING_SOURCES = [
  'text-classifier.ts',
  'classifier-training.ts',
  'neighbour-index.ts',
  'feature-hashing.ts',
  'tokeniser.ts',
  'text-normalise.ts',
  'default-models.ts',
  '../dict/stopwords.txt',
];

/** The cache file of a shipped model: its name carries a hash of everything the trained weights depend on. */
function cachedModelPath(name: DefaultModelName, cacheDir: string): string {
  const seeds = readFileSync(seedPath(name === 'sentiment' ? 'sentiment-lexicon.json' : 'hr-lexicon.json'), 'utf8');
  const sources = TRAINING_SOURCES.map((file) =>
    readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8'),
  ).join('\0');
  const key = sha256Hex(
    `${MODEL_FORMAT_VERSION}|${name}|${JSON.stringify(trainOptions(name))}|${jiebaFingerprint()}|${seeds}|${sources}`,
  ).slice(0, 16);
  return join(cacheDir, `default-${name}-${key}.model.json`);
}

/**
 * A shipped model from the cache under `cacheDir`, or trained from the seed files and then cached. Training
 * builds every example's vector and float64 weight tables (~50 MB of short-lived heap for the three models, which
 * stays in a worker's peak RSS); reading the cached weights is a fraction of a megabyte. The weights are exactly
 * the trained ones, so predictions do not depend on whether the cache was used.
 */
export function loadOrTrainDefaultModel(name: DefaultModelName, cacheDir: string): TextClassifier {
  let path: string | undefined;
  try {
    path = cachedModelPath(name, cacheDir);
    return deserialiseModel(JSON.parse(readFileSync(path, 'utf8')), `cached default:${name}`).classifier;
  } catch {
    // Not cached yet (or unreadable, or the sources are not beside this module): train it.
  }
  const model = TextClassifier.train(defaultTrainingExamples(name), trainOptions(name));
  if (path) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      // Temp file + rename: processes starting together never read a half-written model.
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(serialiseModel(model)));
      renameSync(temp, path);
    } catch (error) {
      createLogger('nlp').warn(
        { err: (error as Error).message, model: name },
        'cannot cache the trained default model',
      );
    }
  }
  return model;
}

/**
 * A shipped model, kept for the process: the one in {@link SHIPPED_MODELS_DIR} (trained on real data); without it,
 * the seed-trained model read from the NLP cache directory (see `configureJieba`) or, the first time, trained from
 * the seed files (well under a second) and cached there.
 */
export function getDefaultModel(name: DefaultModelName): TextClassifier {
  let model = cache.get(name);
  if (!model) {
    model = readShippedModel(name) ?? loadOrTrainDefaultModel(name, nlpCacheDir());
    cache.set(name, model);
  }
  return model;
}

/** Parses `default:<name>`; undefined for anything else (a file path). */
export function parseDefaultModelRef(ref: string): DefaultModelName | undefined {
  if (!ref.startsWith('default:')) return undefined;
  const name = ref.slice('default:'.length);
  if (!(DEFAULT_MODEL_NAMES as readonly string[]).includes(name)) {
    throw new NonRetryableError(
      'MODEL_NOT_FOUND',
      `unknown shipped model ${ref}; have ${DEFAULT_MODEL_NAMES.map((n) => `default:${n}`).join(', ')}`,
    );
  }
  return name as DefaultModelName;
}
