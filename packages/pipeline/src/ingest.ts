import { createLogger, sha256Hex, type Clock, systemClock } from '@yuqing/core';
import {
  addCrawlRunMentions,
  findUnanalysedMentions,
  insertMentions,
  listEnabledMonitoringSchemes,
  recordHotListObservations,
  sourceRegions,
  updateHotListMentions,
  type Db,
  type HotListMentionUpdate,
  type HotListObservationInsert,
  type MentionInsert,
} from '@yuqing/db';
import { applySchemes, parseSchemes, type RawMention } from '@yuqing/domain';
import { JobCoalescer, type JobQueues } from '@yuqing/queue';
import { defaultHotListRelevance, type HotListRelevance } from './hot-list-relevance.ts';
import { normaliseMention, type NormalisedMention } from './mention-normalise.ts';

const log = createLogger('ingest');

/** Summary of one ingest batch. */
export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  /**
   * Dropped because monitoring schemes exist and none matched, or (a hot-list entry) neither a scheme nor the
   * relevance model found it relevant.
   */
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
  /** Judges hot-list entries no scheme matched (default: the database's relevance model). */
  hotListRelevance?: HotListRelevance;
  /** A retried ingest job also re-announces stored-but-unanalysed mentions of its batch (the first try may have died between insert and enqueue). */
  retry?: boolean;
}

/** Most raw mentions stored in one group (ingest jobs the worker holds at once are stored together). */
export const INGEST_GROUP_MAX_ITEMS = 1000;

/** One ingest job's share of a group. */
export interface IngestSubmission {
  items: readonly RawMention[];
  sourceId?: number;
  runId?: number;
  region?: string | null;
  /** The job is a retry: also re-announce its stored-but-unanalysed mentions. */
  retry?: boolean;
}

/**
 * Normalises, filters by monitoring schemes, tags, deduplicates (URL hash; source + content hash) and stores a batch
 * of raw mentions, then enqueues 'analyse-mentions' with the new ids. Idempotent: running a batch twice stores nothing
 * the second time.
 */
export async function ingestMentions(
  db: Db,
  items: readonly RawMention[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const { queues, clock, hotListRelevance, ...submission } = options;
  const [result] = await ingestGroup(db, [{ items, ...submission }], {
    ...(queues ? { queues } : {}),
    ...(clock ? { clock } : {}),
    ...(hotListRelevance ? { hotListRelevance } : {}),
  });
  return result!;
}

/**
 * {@link ingestMentions} for several jobs at once: one scheme lookup, one insert, one analysis job for the whole
 * group; each submission gets its own counts and ids. A mention offered twice in a group is stored once and
 * counted for the first submission that offered it.
 *
 * Hot-list entries (`item.hotList`) are different: every one is recorded as an observation of its rank (the rank
 * history), and only those a monitoring scheme matches or the relevance model finds relevant are stored as
 * mentions, with their platform, best rank and highest heat.
 */
export async function ingestGroup(
  db: Db,
  submissions: readonly IngestSubmission[],
  options: { queues?: JobQueues; clock?: Clock; hotListRelevance?: HotListRelevance } = {},
): Promise<IngestResult[]> {
  const clock = options.clock ?? systemClock;
  const schemes = parseSchemes(await listEnabledMonitoringSchemes(db));
  // The API refuses unreadable rules; one stored before that (or edited in the database) is skipped, not silently.
  if (schemes.unreadable.length > 0)
    log.warn({ schemeIds: schemes.unreadable }, 'monitoring schemes with unreadable rules are skipped');
  // Region and existence of the sources named by jobs (a source deleted meanwhile: keep the mentions, unattached).
  const wanted = [...new Set(submissions.flatMap((s) => (s.sourceId && s.region === undefined ? [s.sourceId] : [])))];
  const sources = await sourceRegions(db, wanted);
  const fetchedAt = clock.now();
  const rows: MentionInsert[] = [];
  const ownerOf = new Map<string, number>();
  const results: IngestResult[] = submissions.map((s) => ({
    received: s.items.length,
    stored: 0,
    duplicates: 0,
    filtered: 0,
    invalid: 0,
    mentionIds: [],
  }));
  const offered = submissions.map(() => 0);
  /** URL hashes each retried submission offered (its own, whoever stores them). */
  const retried = new Map<number, string[]>();
  const sourceIdOf = (submission: IngestSubmission) =>
    submission.sourceId && (submission.region !== undefined || sources.has(submission.sourceId))
      ? submission.sourceId
      : null;
  const keep = (index: number, submission: IngestSubmission, m: NormalisedMention, tags: readonly string[]) => {
    offered[index]!++;
    if (submission.retry) {
      const hashes = retried.get(index) ?? [];
      hashes.push(m.urlHash);
      retried.set(index, hashes);
    }
    if (!ownerOf.has(m.urlHash)) ownerOf.set(m.urlHash, index);
    rows.push({
      ...m,
      tags: [...new Set([...m.tags, ...tags])],
      sourceId: sourceIdOf(submission),
      crawlRunId: submission.runId ?? null,
      fetchedAt,
    });
  };
  const observations: HotListObservationInsert[] = [];
  const hotCandidates: Array<{
    index: number;
    submission: IngestSubmission;
    m: NormalisedMention;
    tags: string[];
    matched: boolean;
    update: HotListMentionUpdate;
  }> = [];
  for (const [index, submission] of submissions.entries()) {
    const result = results[index]!;
    for (const item of submission.items) {
      const m = normaliseMention(item, {
        region:
          (submission.region === undefined && submission.sourceId
            ? sources.get(submission.sourceId)
            : submission.region) ?? null,
      });
      if (!m) {
        result.invalid++;
        continue;
      }
      const decision = applySchemes(schemes, `${m.title}\n${m.body}`);
      const hot = item.hotList;
      if (hot) {
        const sourceId = sourceIdOf(submission);
        if (sourceId !== null)
          observations.push({
            sourceId,
            platform: hot.platform,
            entryKey: hot.entryKey,
            title: m.title,
            rank: hot.rank,
            heat: hot.heat ?? null,
            observedAt: new Date(hot.observedAt),
          });
        hotCandidates.push({
          index,
          submission,
          m,
          tags: decision.tags,
          // applySchemes keeps everything when there are no schemes; an entry needs a scheme that matched it.
          matched: schemes.schemes.length > 0 && decision.keep,
          update: {
            urlHash: m.urlHash,
            platform: hot.platform,
            entryKey: hot.entryKey,
            rank: hot.rank,
            heat: hot.heat ?? null,
          },
        });
        continue;
      }
      if (!decision.keep) {
        result.filtered++;
        continue;
      }
      keep(index, submission, m, decision.tags);
    }
  }
  const hotUpdates: HotListMentionUpdate[] = [];
  if (hotCandidates.length > 0) {
    const unmatched = hotCandidates.filter((c) => !c.matched);
    const judge = options.hotListRelevance ?? defaultHotListRelevance(db);
    const verdicts = await judge(unmatched.map((c) => `${c.m.title}\n${c.m.body}`.trim()));
    const relevant = new Set(unmatched.filter((_, i) => verdicts[i] === true));
    for (const c of hotCandidates) {
      if (!c.matched && !relevant.has(c)) {
        results[c.index]!.filtered++;
        continue;
      }
      keep(c.index, c.submission, c.m, c.tags);
      hotUpdates.push(c.update);
    }
  }
  const created = await insertMentions(db, rows);
  for (const c of created) results[ownerOf.get(c.urlHash)!]!.mentionIds.push(c.id);
  const perRun = new Map<number, number>();
  for (const [index, submission] of submissions.entries()) {
    const result = results[index]!;
    result.stored = result.mentionIds.length;
    result.duplicates = offered[index]! - result.stored;
    if (submission.runId) perRun.set(submission.runId, (perRun.get(submission.runId) ?? 0) + result.stored);
  }
  for (const [runId, count] of perRun) await addCrawlRunMentions(db, runId, count);
  // Before analysis is announced: the analysis reads the rank for hotness.
  await recordHotListObservations(db, observations);
  await updateHotListMentions(db, hotUpdates);
  if (retried.size > 0) {
    const unanalysed = new Map(
      (await findUnanalysedMentions(db, [...new Set([...retried.values()].flat())])).map((m) => [m.urlHash, m.id]),
    );
    for (const [index, hashes] of retried) {
      const result = results[index]!;
      const again = hashes.flatMap((h) => (unanalysed.has(h) ? [unanalysed.get(h)!] : []));
      result.mentionIds = [...new Set([...result.mentionIds, ...again])].sort((a, b) => a - b);
    }
  }
  const ids = [...new Set(results.flatMap((r) => r.mentionIds))].sort((a, b) => a - b);
  if (options.queues && ids.length > 0) {
    await options.queues.add(
      'analyse-mentions',
      { mentionIds: ids },
      { jobId: `analyse-${sha256Hex(ids.join(',')).slice(0, 24)}` },
    );
  }
  return results;
}

/** Ingest jobs the worker holds at once, stored as one group (see {@link JobCoalescer}). */
export function createIngestCoalescer(
  db: Db,
  options: { queues: JobQueues; clock?: Clock },
): JobCoalescer<IngestSubmission, IngestResult> {
  return new JobCoalescer<IngestSubmission, IngestResult>({
    name: 'ingest-mentions',
    maxItems: INGEST_GROUP_MAX_ITEMS,
    maxConcurrentGroups: 2,
    sizeOf: (s) => s.items.length,
    run: (submissions) => ingestGroup(db, submissions, options),
  });
}
