// Platform hot lists (热榜): every entry's rank per poll, and the hot-list fields of the entries that are mentions.
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
