// Platform hot lists (热榜): every entry's rank per poll, and the hot-list fields of the entries that are mentions.
import type { HotListEntryFacts } from '@yuqing/domain';
import { prismaOf, type DbTx } from '../handle.ts';

/** One entry as one poll saw it. */
export interface HotListObservationInsert {
  sourceId: number;
  platform: string;
  entryKey: string;
  title: string;
  rank: number;
  heat: number | null;
  observedAt: Date;
}

/**
 * Records observations; one already recorded (same source, entry and poll time: a retried ingest job) is skipped.
 * Returns how many were new.
 */
export async function recordHotListObservations(
  handle: DbTx,
  rows: readonly HotListObservationInsert[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await prismaOf(handle).hotListObservation.createMany({ data: [...rows], skipDuplicates: true });
  return result.count;
}

/** A hot-list entry that is (or just became) a mention, by the mention's URL hash. */
export interface HotListMentionUpdate {
  urlHash: string;
  platform: string;
  entryKey: string;
  rank: number;
  heat: number | null;
}

/**
 * Sets the hot-list fields of mentions: platform and entry key, the best (lowest) rank and the highest heat seen so
 * far. A mention's rank only improves here, so a re-analysis or a later poll never makes it look colder than it was.
 */
export async function updateHotListMentions(handle: DbTx, updates: readonly HotListMentionUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const db = prismaOf(handle);
  const col = <T>(pick: (u: HotListMentionUpdate) => T): T[] => updates.map(pick);
  await db.$executeRaw`
    UPDATE "Mention" AS m
       SET "hotListPlatform" = v.platform,
           "hotListKey" = v.entry_key,
           "hotListRank" = LEAST(COALESCE(m."hotListRank", v.rank), v.rank),
           "hotListHeat" = GREATEST(m."hotListHeat", v.heat)
      FROM unnest(${col((u) => u.urlHash)}::text[], ${col((u) => u.platform)}::text[],
                  ${col((u) => u.entryKey)}::text[], ${col((u) => u.rank)}::int[], ${col((u) => u.heat)}::int[])
           AS v(url_hash, platform, entry_key, rank, heat)
     WHERE m."urlHash" = v.url_hash`;
}

/** One point of an entry's rank history. */
export interface HotListHistoryPoint {
  observedAt: Date;
  rank: number;
  heat: number | null;
}

/** An entry's rank history on one source's list, oldest first. */
export async function hotListHistory(
  handle: DbTx,
  entry: { sourceId: number; entryKey: string },
): Promise<HotListHistoryPoint[]> {
  return prismaOf(handle).hotListObservation.findMany({
    where: { sourceId: entry.sourceId, entryKey: entry.entryKey },
    orderBy: { observedAt: 'asc' },
    select: { observedAt: true, rank: true, heat: true },
  });
}

/**
 * A relevant hot-list entry filed under an open issue, with its best rank since a time: the facts the domain's
 * hot-list trigger judges.
 */
export type HotListTriggerRow = HotListEntryFacts;

/**
 * Hot-list entries that are mentions of an open issue (not dismissed, resolved or merged: an analyst's decision
 * stands) and were on their list since `since`, each with its best rank in that time and when it was first seen
 * there. Starts from the window's observations of the hot-list sources (their (sourceId, observedAt) index; a few
 * hundred rows per hour and source), so the mentions are reached through their (sourceId, hotListKey) index.
 */
export async function hotListTriggerRows(handle: DbTx, since: Date): Promise<HotListTriggerRow[]> {
  return prismaOf(handle).$queryRaw<HotListTriggerRow[]>`
    WITH best AS (
      SELECT DISTINCT ON (o."sourceId", o."entryKey") o."sourceId", o."entryKey", o.rank, o.heat, o."observedAt"
        FROM "HotListObservation" o
       WHERE o."sourceId" IN (SELECT id FROM "Source" WHERE kind = 'hotlist') AND o."observedAt" >= ${since}
       ORDER BY o."sourceId", o."entryKey", o.rank ASC, o."observedAt" ASC)
    SELECT m.id AS "mentionId", i.id AS "issueId", i.level::text AS level, m."hotListPlatform" AS platform,
           m.title, b.rank, b.heat, b."observedAt"
      FROM best b
      JOIN "Mention" m ON m."sourceId" = b."sourceId" AND m."hotListKey" = b."entryKey"
      JOIN "Issue" i ON i.id = m."issueId"
     WHERE i.status IN ('new', 'confirmed', 'responding')
     ORDER BY m.id`;
}

/**
 * The `hotlist.entry` deliveries of these mentions, to any channel and under any issue (a mention can move to
 * another issue when issues are folded): `issueId|level|trigger` keys, as deliveredTriggerKeys gives them.
 */
export async function deliveredHotListTriggerKeys(handle: DbTx, mentionIds: readonly number[]): Promise<Set<string>> {
  if (mentionIds.length === 0) return new Set();
  const rows = await prismaOf(handle).$queryRaw<Array<{ issueId: number | null; level: string; trigger: string }>>`
    SELECT DISTINCT "issueId", level::text AS level, trigger
      FROM "AlertDelivery"
     WHERE trigger LIKE 'hotlist.entry:%'
       AND split_part(trigger, ':', 2) = ANY(${mentionIds.map(String)}::text[])`;
  return new Set(rows.map((r) => `${r.issueId}|${r.level}|${r.trigger}`));
}
