import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { NonRetryableError } from '@yuqing/core';
import { decodeBucketGaps, decodeFloat16, encodeBucketGaps, encodeFloat16, roundToFloat16 } from './compact-arrays.ts';
import type { ExampleMemory } from './neighbour-index.ts';
import { TextClassifier } from './text-classifier.ts';
import type { EvaluationReport } from './metrics.ts';

/** Marks a file as a Yuqing classifier. */
export const MODEL_FORMAT = 'yuqing-text-classifier';
/**
 * Bumped when the file layout changes; older readers refuse newer files instead of misreading them. 2: features may
 * include title words (`titleFeatures`), which a format-1 reader would silently drop. 3: the model may keep its
 * labelled examples for nearest-neighbour voting (`memory`). 4: those examples are stored compactly (bucket gaps as
 * varints, values as half floats; `memory.encoding`), which halves their share of the file.
 */
export const MODEL_FORMAT_VERSION = 4;

/** `memory.encoding` of format-4 files: see `compact-arrays.ts`. */
const COMPACT_MEMORY_ENCODING = 'bucket-gaps-varint+float16';

const featureSchema = z.object({
  dimensions: z.number().int().positive(),
  words: z.boolean(),
  wordBigrams: z.boolean(),
  charNgrams: z.array(z.number().int().min(1).max(8)),
  useHmm: z.boolean(),
  sublinearTf: z.boolean(),
  // Format 2: absent in format-1 files, whose models had no title features.
  titleFeatures: z.boolean().optional(),
});

const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.number().int(),
  task: z.string().min(1),
  /** Model version within its task: 1 for the first training, +1 each retraining written over the previous one. */
  version: z.number().int().positive(),
  previousVersion: z.number().int().positive().nullable(),
  createdAt: z.string(),
  labels: z.array(z.string()).min(2),
  features: featureSchema,
  training: z.object({
    examples: z.number(),
    classCounts: z.record(z.string(), z.number()),
    epochs: z.number(),
    l2: z.number(),
    learningRate: z.number(),
    balanceClasses: z.boolean(),
    seconds: z.number(),
  }),
  /** Held-out evaluation recorded at training time (macro-F1 etc.), used when deciding on promotion. */
  evaluation: z.object({ macroF1: z.number(), accuracy: z.number(), examples: z.number() }).nullable(),
  bias: z.array(z.number()),
  idfDefault: z.number(),
  /** base64 little-endian Int32 bucket numbers that carry weights. */
  rows: z.string(),
  /** base64 Float32 idf of each row. */
  idf: z.string(),
  /** base64 Float32 `rows × labels` weights. */
  weights: z.string(),
  /** Format 3: labelled examples that vote on predictions (see `ExampleMemory`); arrays as base64. */
  memory: z
    .object({
      k: z.number().int().positive(),
      weight: z.number().min(0).max(1),
      power: z.number().positive(),
      /** Uint16 label index per example. */
      labels: z.string(),
      /** Int32, examples + 1. */
      offsets: z.string(),
      /** Absent (format 3): `buckets` Int32 and `values` Float32. Format 4: the compact encoding named here. */
      encoding: z.literal(COMPACT_MEMORY_ENCODING).optional(),
      /** The bucket of each stored feature: Int32, or (compact) varint gaps within each example. */
      buckets: z.string(),
      /** The value of each stored feature: Float32, or (compact) IEEE half floats. */
      values: z.string(),
    })
    .optional(),
});

/** The JSON document a model is saved as. */
export type ModelFile = z.infer<typeof modelFileSchema>;

/** A classifier together with its file metadata. */
export interface VersionedModel {
  classifier: TextClassifier;
  version: number;
  previousVersion: number | null;
  createdAt: string;
  evaluation: ModelFile['evaluation'];
}

type StoredArray = Int32Array | Float32Array | Uint16Array | Uint8Array;

function toBase64(array: StoredArray): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends StoredArray>(
  text: string,
  Ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0)
    throw new NonRetryableError('MODEL_INVALID', 'model array has a broken length');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}

/**
 * Serialises a classifier. Only buckets seen in training are stored (a hashed model is mostly empty), so a
 * 2^18-bucket model of a few thousand documents is a few megabytes of JSON.
 */
export function serialiseModel(
  classifier: TextClassifier,
  meta: {
    version?: number;
    previousVersion?: number | null;
    createdAt?: Date;
    evaluation?: EvaluationReport | null;
  } = {},
): ModelFile {
  const p = classifier.params();
  const k = p.labels.length;
  const dims = p.features.dimensions;
  const idfDefault = Math.log(1 + p.training.examples) + 1;
  const rows: number[] = [];
  for (let b = 0; b < dims; b++) {
    let used = p.idf[b] !== Math.fround(idfDefault);
    for (let c = 0; c < k && !used; c++) used = p.weights[b * k + c] !== 0;
    if (used) rows.push(b);
  }
  const rowArray = Int32Array.from(rows);
  const idf = new Float32Array(rows.length);
  const weights = new Float32Array(rows.length * k);
  rows.forEach((b, r) => {
    idf[r] = p.idf[b]!;
    for (let c = 0; c < k; c++) weights[r * k + c] = p.weights[b * k + c]!;
  });
  const evaluation = meta.evaluation
    ? { macroF1: meta.evaluation.macroF1, accuracy: meta.evaluation.accuracy, examples: meta.evaluation.examples }
    : null;
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    task: p.task,
    version: meta.version ?? 1,
    previousVersion: meta.previousVersion ?? null,
    createdAt: (meta.createdAt ?? new Date()).toISOString(),
    labels: p.labels,
    features: p.features,
    training: p.training,
    evaluation,
    bias: Array.from(p.bias),
    idfDefault,
    rows: toBase64(rowArray),
    idf: toBase64(idf),
    weights: toBase64(weights),
    ...(p.memory
      ? {
          memory: {
            k: p.memory.k,
            weight: p.memory.weight,
            power: p.memory.power,
            labels: toBase64(p.memory.labels),
            offsets: toBase64(p.memory.offsets),
            ...(isCompactable(p.memory)
              ? {
                  encoding: COMPACT_MEMORY_ENCODING,
                  buckets: toBase64(encodeBucketGaps(p.memory.buckets, p.memory.offsets)),
                  values: toBase64(encodeFloat16(p.memory.values)),
                }
              : { buckets: toBase64(p.memory.buckets), values: toBase64(p.memory.values) }),
          },
        }
      : {}),
  };
}

/** Rebuilds a classifier from its JSON document, validating it first. */
export function deserialiseModel(json: unknown, source = 'model'): VersionedModel {
  const header = z.object({ format: z.string(), formatVersion: z.number() }).safeParse(json);
  if (!header.success || header.data.format !== MODEL_FORMAT) {
    throw new NonRetryableError('MODEL_INVALID', `${source} is not a Yuqing classifier model`);
  }
  if (header.data.formatVersion > MODEL_FORMAT_VERSION) {
    throw new NonRetryableError(
      'MODEL_TOO_NEW',
      `${source} has model format ${header.data.formatVersion}; this Yuqing reads up to ${MODEL_FORMAT_VERSION}`,
    );
  }
  const parsed = modelFileSchema.safeParse(json);
  if (!parsed.success)
    throw new NonRetryableError(
      'MODEL_INVALID',
      `${source} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  const file = parsed.data;
  const k = file.labels.length;
  const dims = file.features.dimensions;
  const rows = fromBase64(file.rows, Int32Array);
  const rowIdf = fromBase64(file.idf, Float32Array);
  const rowWeights = fromBase64(file.weights, Float32Array);
  if (rowIdf.length !== rows.length || rowWeights.length !== rows.length * k || file.bias.length !== k) {
    throw new NonRetryableError('MODEL_INVALID', `${source}: array sizes do not match the labels`);
  }
  const idf = new Float32Array(dims).fill(file.idfDefault);
  const weights = new Float32Array(dims * k);
  for (let r = 0; r < rows.length; r++) {
    const b = rows[r]!;
    if (b < 0 || b >= dims) throw new NonRetryableError('MODEL_INVALID', `${source}: bucket ${b} out of range`);
    idf[b] = rowIdf[r]!;
    for (let c = 0; c < k; c++) weights[b * k + c] = rowWeights[r * k + c]!;
  }
  const memory = file.memory ? readMemory(file.memory) : undefined;
  const classifier = new TextClassifier({
    task: file.task,
    labels: file.labels,
    features: file.features,
    idf,
    weights,
    bias: Float32Array.from(file.bias),
    training: file.training,
    ...(memory ? { memory } : {}),
  });
  return {
    classifier,
    version: file.version,
    previousVersion: file.previousVersion,
    createdAt: file.createdAt,
    evaluation: file.evaluation,
  };
}

/**
 * Whether the compact encoding keeps `memory` exactly: models trained since format 4 are, but one read from a
 * format-3 file (buckets in any order, full-precision values) is written back as it was, so it keeps voting alike.
 */
function isCompactable(memory: ExampleMemory): boolean {
  const { offsets, buckets, values } = memory;
  for (let e = 0; e + 1 < offsets.length; e++) {
    for (let j = offsets[e]! + 1; j < offsets[e + 1]!; j++) if (buckets[j]! <= buckets[j - 1]!) return false;
  }
  for (const value of values) if (roundToFloat16(value) !== value) return false;
  return true;
}

function readMemory(stored: NonNullable<ModelFile['memory']>): ExampleMemory {
  const offsets = fromBase64(stored.offsets, Int32Array);
  const compact = stored.encoding === COMPACT_MEMORY_ENCODING;
  return {
    k: stored.k,
    weight: stored.weight,
    power: stored.power,
    labels: fromBase64(stored.labels, Uint16Array),
    offsets,
    buckets: compact
      ? decodeBucketGaps(fromBase64(stored.buckets, Uint8Array), offsets)
      : fromBase64(stored.buckets, Int32Array),
    values: compact ? decodeFloat16(fromBase64(stored.values, Uint16Array)) : fromBase64(stored.values, Float32Array),
  };
}

/** Reads a model file. */
export async function readModelFile(path: string): Promise<VersionedModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new NonRetryableError('MODEL_NOT_FOUND', `cannot read model ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NonRetryableError('MODEL_INVALID', `${path} is not JSON`);
  }
  return deserialiseModel(json, path);
}

/** Reads only the version header of an existing model (undefined when there is none or it is unreadable). */
export async function readModelVersion(path: string): Promise<{ task: string; version: number } | undefined> {
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown; task?: unknown; version?: unknown };
    if (json.format === MODEL_FORMAT && typeof json.task === 'string' && typeof json.version === 'number')
      return { task: json.task, version: json.version };
  } catch {
    // No previous model: this is version 1.
  }
  return undefined;
}

/** Writes a model atomically (temp file + rename) so a crash or full disk never leaves half a model in place. */
export async function writeModelFile(path: string, file: ModelFile): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(file));
    await rename(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NonRetryableError(
      code === 'ENOSPC' ? 'DISK_FULL' : 'MODEL_WRITE_FAILED',
      `cannot write model ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Minimum macro-F1 difference treated as a real change rather than noise. */
export const PROMOTION_TOLERANCE = 0;

/**
 * Promotion rule for retraining: the candidate replaces the current model only when it scores no worse on the
 * same held-out labels.
 */
export function shouldPromote(candidate: EvaluationReport, current: EvaluationReport | undefined): boolean {
  if (!current) return true;
  return candidate.macroF1 + PROMOTION_TOLERANCE >= current.macroF1;
}
