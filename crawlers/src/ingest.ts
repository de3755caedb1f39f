import { sha256Hex, type Clock, systemClock } from '@yuqing/core';
import { addCrawlRunMentions, findUnanalysedMentionIds, insertMentions, listEnabledMonitoringSchemes, type Db, type MentionInsert } from '@yuqing/db';
import type { JobQueues, RawMention } from '@yuqing/queue';
import { normaliseMention } from './mention-normalise.ts';
import { applySchemes } from './monitoring-scheme.ts';

/** Summary of one ingest batch. */
export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  /** Dropped because monitoring schemes exist and none matched. */
  filtered: number;
  invalid: number;
  /** Ids announced to 'analyse-mentions'. */
  mentionIds: number[];
}

/** Options for {@link ingestMentions}. */
export interface IngestOptions {
  sourceId?: number;
  runId?: number;
  region?: string | null;
  clock?: Clock;
  /** When given, new mention ids are enqueued for analysis. */
  queues?: JobQueues;
  /** A retried ingest job also re-announces stored-but-unanalysed mentions of its batch (the first try may have died between insert and enqueue). */
  retry?: boolean;
}

/**
 * Normalises, filters by monitoring schemes, tags, deduplicates (URL hash; source + content hash) and stores a batch
 * of raw mentions, then enqueues 'analyse-mentions' with the new ids. Idempotent: running a batch twice stores nothing
 * the second time.
 */
export async function ingestMentions(db: Db, items: readonly RawMention[], options: IngestOptions = {}): Promise<IngestResult> {
  const clock = options.clock ?? systemClock;
  const schemes = await listEnabledMonitoringSchemes(db);
  const rows: MentionInsert[] = [];
  let filtered = 0;
  let invalid = 0;
  const fetchedAt = clock.now();
  for (const item of items) {
    const m = normaliseMention(item, { region: options.region ?? null });
    if (!m) {
      invalid++;
      continue;
    }
    const decision = applySchemes(schemes, `${m.title}\n${m.body}`);
    if (!decision.keep) {
      filtered++;
      continue;
    }
    rows.push({ ...m, tags: [...new Set([...m.tags, ...decision.tags])], sourceId: options.sourceId ?? null, crawlRunId: options.runId ?? null, fetchedAt });
  }
  const created = await insertMentions(db, rows);
  if (options.runId) await addCrawlRunMentions(db, options.runId, created.length);
  let ids = created.map((c) => c.id);
  if (options.retry && rows.length > 0) {
    const unanalysed = await findUnanalysedMentionIds(db, rows.map((r) => r.urlHash));
    ids = [...new Set([...ids, ...unanalysed])].sort((a, b) => a - b);
  }
  if (options.queues && ids.length > 0) {
    await options.queues.add('analyse-mentions', { mentionIds: ids }, { jobId: `analyse-${sha256Hex(ids.join(',')).slice(0, 24)}` });
  }
  return { received: items.length, stored: created.length, duplicates: rows.length - created.length, filtered, invalid, mentionIds: ids };
}
