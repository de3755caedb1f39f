import { upsertSourceRows, type Db } from '@yuqing/db';

// Named like @yuqing/db's envelope-only upsertSources on purpose: this one validates kind-specific config first.
import { defaultSourceName, parseSourceDefinitions, type SourceDefinitionInput } from './source-config.ts';

/**
 * Validates source definitions (file form) and inserts or updates them by (kind, url). Used by `yq seed`, the
 * demo sources and `yq crawl --source file.json`. Throws `SOURCE_INVALID` naming each bad field.
 */
export async function upsertSources(db: Db, definitions: readonly SourceDefinitionInput[] | readonly unknown[]): Promise<Array<{ id: number; created: boolean; kind: string; url: string }>> {
  const defs = parseSourceDefinitions([...definitions]);
  return upsertSourceRows(db, defs.map((d) => ({
    name: d.name ?? defaultSourceName(d),
    kind: d.kind,
    url: d.url,
    config: d.config as Record<string, unknown>,
    schedule: d.schedule,
    enabled: d.enabled,
    respectRobots: d.respectRobots,
    weight: d.weight,
    region: d.region ?? null,
  })));
}
