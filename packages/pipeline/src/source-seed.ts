import { readFile } from 'node:fs/promises';
import { NonRetryableError } from '@yuqing/core';
import { upsertSourceRows, type Db } from '@yuqing/db';
import {
  defaultSourceName,
  parseSourceDefinitions,
  type SourceDefinition,
  type SourceDefinitionInput,
} from '@yuqing/domain';

/**
 * Validates source definitions (file form) and inserts or updates them by (kind, url). Used by `yq seed`, the
 * demo sources and `yq crawl --source file.json`. Throws `SOURCE_INVALID` naming each bad field.
 */
export async function upsertSources(
  db: Db,
  definitions: readonly SourceDefinitionInput[] | readonly unknown[],
): Promise<Array<{ id: number; created: boolean; kind: string; url: string }>> {
  const defs = parseSourceDefinitions([...definitions]);
  return upsertSourceRows(
    db,
    defs.map((d) => ({
      name: d.name ?? defaultSourceName(d),
      kind: d.kind,
      url: d.url,
      config: d.config as Record<string, unknown>,
      schedule: d.schedule,
      enabled: d.enabled,
      respectRobots: d.respectRobots,
      weight: d.weight,
      region: d.region ?? null,
    })),
  );
}

/** Reads and validates a JSON source file; errors name the file and each bad field. */
export async function loadSourceFile(path: string): Promise<SourceDefinition[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new NonRetryableError(
      'SOURCE_FILE_UNREADABLE',
      `cannot read source file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new NonRetryableError('SOURCE_FILE_INVALID_JSON', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseSourceDefinitions(json, path);
}
