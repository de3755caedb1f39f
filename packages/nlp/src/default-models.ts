import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { NonRetryableError } from '@yuqing/core';
import { TextClassifier, type LabelledText } from './text-classifier.ts';

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
const hrLexiconSchema = z.object({ subcategories: z.record(z.string(), seedGroup), irrelevant: seedGroup, templates: z.array(z.string()).min(1) });
const sentimentLexiconSchema = z.object({ negative: seedGroup, nonNegative: seedGroup, templates: z.array(z.string()).min(1) });

function readSeeds<T>(name: string, schema: z.ZodType<T>): T {
  const path = fileURLToPath(new URL(`../seeds/${name}`, import.meta.url));
  try {
    return schema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new NonRetryableError('SEEDS_INVALID', `shipped seed file ${name} is unreadable: ${(error as Error).message}`, { cause: error });
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

const cache = new Map<DefaultModelName, TextClassifier>();

/** A shipped model, trained from the seed files on first use (well under a second) and kept for the process. */
export function getDefaultModel(name: DefaultModelName): TextClassifier {
  let model = cache.get(name);
  if (!model) {
    model = TextClassifier.train(defaultTrainingExamples(name), {
      task: `default:${name}`,
      // Single characters (工, 保, 资) make the relevance seeds fire on any post (measured on Teddy: F1 0.76 → 0.81,
      // THUCNews titles called relevant 22 → 7 of 2000); sentiment (哭, 怒) and short sub-category names keep them.
      features: { dimensions: DEFAULT_MODEL_DIMENSIONS, charNgrams: name === 'relevance' ? [2, 3] : [1, 2, 3] },
      epochs: 20,
      seed: 1,
    });
    cache.set(name, model);
  }
  return model;
}

/** Parses `default:<name>`; undefined for anything else (a file path). */
export function parseDefaultModelRef(ref: string): DefaultModelName | undefined {
  if (!ref.startsWith('default:')) return undefined;
  const name = ref.slice('default:'.length);
  if (!(DEFAULT_MODEL_NAMES as readonly string[]).includes(name)) {
    throw new NonRetryableError('MODEL_NOT_FOUND', `unknown shipped model ${ref}; have ${DEFAULT_MODEL_NAMES.map((n) => `default:${n}`).join(', ')}`);
  }
  return name as DefaultModelName;
}
