import { readFile } from 'node:fs/promises';
import { NonRetryableError } from '@yuqing/core';
import { parseCsvRecords } from './csv.ts';
import { seededRandom, type LabelledText } from './classifier-training.ts';

/** Which columns (CSV) or fields (JSONL) hold the text and the label. */
export interface ColumnSpec {
  /** Text columns, joined with a newline (e.g. title + detail). */
  text: string[];
  /** Label column; may be absent when only predicting. */
  label?: string;
}

/** Parses records (CSV with header, or JSON lines) from text; the format follows the file name or content. */
export function parseRecords(content: string, fileName: string): Record<string, unknown>[] {
  const jsonl =
    /\.(jsonl|ndjson)$/i.test(fileName) || (!/\.csv$/i.test(fileName) && content.trimStart().startsWith('{'));
  if (!jsonl) return parseCsvRecords(content);
  const records: Record<string, unknown>[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const value = JSON.parse(line) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      records.push(value as Record<string, unknown>);
    } catch (error) {
      throw new NonRetryableError(
        'INPUT_INVALID',
        `${fileName}:${i + 1}: not a JSON object (${(error as Error).message})`,
      );
    }
  });
  return records;
}

/** Picks the text and label out of records; rows with an empty text or label are skipped and counted. */
export function toLabelledTexts(
  records: Record<string, unknown>[],
  spec: Required<ColumnSpec>,
  source = 'input',
): { examples: LabelledText[]; skipped: number } {
  const first = records[0];
  if (first) {
    for (const column of [...spec.text, spec.label]) {
      if (!records.some((r) => column in r)) {
        throw new NonRetryableError(
          'INPUT_INVALID',
          `${source}: no column ${JSON.stringify(column)} (have: ${Object.keys(first).join(', ')})`,
        );
      }
    }
  }
  const examples: LabelledText[] = [];
  let skipped = 0;
  for (const r of records) {
    const text = spec.text
      .map((c) => stringValue(r[c]))
      .filter((s) => s.trim() !== '')
      .join('\n');
    const label = stringValue(r[spec.label]).trim();
    if (!text.trim() || !label) {
      skipped++;
      continue;
    }
    examples.push({ text, label });
  }
  return { examples, skipped };
}

function stringValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** Reads a labelled CSV or JSONL file. */
export async function readLabelledFile(
  path: string,
  spec: Required<ColumnSpec>,
): Promise<{ examples: LabelledText[]; skipped: number }> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new NonRetryableError('INPUT_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return toLabelledTexts(parseRecords(content, path), spec, path);
}

/**
 * Splits items into train and held-out parts with the same label proportions (a seeded shuffle per label),
 * so small classes appear in both.
 */
export function stratifiedSplit<T>(
  items: readonly T[],
  labelOf: (item: T) => string,
  heldOutFraction: number,
  seed = 1,
): { train: T[]; heldOut: T[] } {
  const byLabel = new Map<string, T[]>();
  for (const item of items) {
    const l = labelOf(item);
    const group = byLabel.get(l) ?? [];
    group.push(item);
    byLabel.set(l, group);
  }
  const random = seededRandom(seed);
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const group = byLabel.get(label)!.slice();
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    const cut = Math.round(group.length * heldOutFraction);
    heldOut.push(...group.slice(0, cut));
    train.push(...group.slice(cut));
  }
  return { train, heldOut };
}
