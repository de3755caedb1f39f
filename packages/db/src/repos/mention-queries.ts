// Read-only queries over mentions for the dashboard. Writes to mentions and monitoring schemes belong to
// repos/mentions.ts, sources and their health to repos/sources.ts.
import { prismaOf, type DbTx } from '../handle.ts';
import { Prisma } from '../generated/prisma/client.ts';

/** Most mentions one list page returns. */
const MAX_MENTION_PAGE = 200;
/** Length of a mention's body preview in lists and issue timelines, in characters. */
export const MENTION_SNIPPET_CHARS = 240;

/** Filters for {@link listMentions}; every one is served by an index. */
export interface MentionFilters {
  /**
   * Full-text search: alternative token sets (e.g. jieba tokens and CJK bigrams of one query); a mention matches
   * when all tokens of any one set occur (GIN index on `searchVector`).
   */
  searchTokenSets?: string[][];
  sourceId?: number;
  category?: string;
  sentiment?: string;
  relevant?: boolean;
  issueId?: number;
  /** Published at or after. */
  since?: Date;
  /** Published before. */
  until?: Date;
  /** Keyset cursor: only mentions with a smaller id (newest first). */
  beforeId?: number;
  limit?: number;
  /** Recent ids walked before a search switches to the GIN index. @defaultValue 20000 (tests use tiny values) */
  searchWindowIds?: number;
}

/** `vector @@ set1 OR vector @@ set2 …` (each arm can use the GIN index), or undefined for no search. */
export function searchCondition(sets: string[][] | undefined, vector: Prisma.Sql): Prisma.Sql | undefined {
  const usable = (sets ?? []).filter((s) => s.length > 0);
  if (usable.length === 0) return undefined;
  return Prisma.sql`(${Prisma.join(
    usable.map((s) => Prisma.sql`${vector} @@ plainto_tsquery('simple', ${s.join(' ')})`),
    ' OR ',
  )})`;
}

/** A mention row as lists show it. */
export interface MentionListItem {
  id: number;
  title: string;
  snippet: string;
  url: string;
  siteName: string | null;
  sourceId: number | null;
  sourceName: string | null;
  author: string | null;
  publishedAt: Date | null;
  fetchedAt: Date;
  likes: number;
  comments: number;
  reposts: number;
  relevant: boolean | null;
  category: string | null;
  sentiment: string | null;
  issueId: number | null;
  tags: string[];
}

/**
 * One page of mentions, newest stored first, keyset-paginated on the primary key (constant cost at any depth,
 * no COUNT(*)). `nextBeforeId` is null on the last page.
 */
export async function listMentions(
  handle: DbTx,
  filters: MentionFilters = {},
): Promise<{ items: MentionListItem[]; nextBeforeId: number | null }> {
  const db = prismaOf(handle);
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), MAX_MENTION_PAGE);
  const where: Prisma.Sql[] = [Prisma.sql`TRUE`];
  const search = searchCondition(filters.searchTokenSets, Prisma.sql`m."searchVector"`);
  if (search) where.push(search);
  if (filters.sourceId !== undefined) where.push(Prisma.sql`m."sourceId" = ${filters.sourceId}`);
  if (filters.category) where.push(Prisma.sql`m.category = ${filters.category}`);
  if (filters.sentiment) where.push(Prisma.sql`m.sentiment = ${filters.sentiment}`);
  if (filters.relevant !== undefined) where.push(Prisma.sql`m.relevant = ${filters.relevant}`);
  if (filters.issueId !== undefined) where.push(Prisma.sql`m."issueId" = ${filters.issueId}`);
  if (filters.since) where.push(Prisma.sql`m."publishedAt" >= ${filters.since}`);
  if (filters.until) where.push(Prisma.sql`m."publishedAt" < ${filters.until}`);
  if (filters.beforeId !== undefined) where.push(Prisma.sql`m.id < ${filters.beforeId}`);
  let rows: MentionListItem[];
  if (!search) {
    rows = await selectMentions(db, where, Prisma.sql`m.id`, limit + 1);
  } else {
    // A common word is found fastest by walking the newest ids backwards; a rare word by the GIN index (the walk
    // would read the whole table before LIMIT is met). So: walk a bounded window of recent ids first, and only
    // if that does not fill the page, ask the GIN index for older matches (`id + 0` keeps the planner off the walk).
    const upper =
      filters.beforeId ??
      ((await db.$queryRaw<{ max: number | null }[]>`SELECT max(id) AS max FROM "Mention"`)[0]?.max ?? 0) + 1;
    const windowStart = upper - (filters.searchWindowIds ?? SEARCH_RECENT_WINDOW_IDS);
    rows = await selectMentions(db, [...where, Prisma.sql`m.id >= ${windowStart}`], Prisma.sql`m.id`, limit + 1);
    if (rows.length <= limit)
      rows = rows.concat(
        await selectMentions(
          db,
          [...where, Prisma.sql`m.id < ${windowStart}`],
          Prisma.sql`m.id + 0`,
          limit + 1 - rows.length,
        ),
      );
  }
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextBeforeId: rows.length > limit && last ? last.id : null };
}

/** Ids (newest first) searched by walking the primary key before the GIN index takes over. */
const SEARCH_RECENT_WINDOW_IDS = 20_000;

async function selectMentions(
  handle: DbTx,
  where: Prisma.Sql[],
  orderBy: Prisma.Sql,
  take: number,
): Promise<MentionListItem[]> {
  const db = prismaOf(handle);
  return db.$queryRaw<MentionListItem[]>`
    SELECT m.id, m.title, left(m.body, ${MENTION_SNIPPET_CHARS}) AS snippet, m.url, m."siteName", m."sourceId", s.name AS "sourceName",
           m.author, m."publishedAt", m."fetchedAt", m.likes, m.comments, m.reposts, m.relevant, m.category, m.sentiment,
           m."issueId", m.tags
      FROM "Mention" m LEFT JOIN "Source" s ON s.id = m."sourceId"
     WHERE ${Prisma.join(where, ' AND ')}
     ORDER BY ${orderBy} DESC
     LIMIT ${take}`;
}

/** One mention with its source name and latest analysis. */
export async function getMention(handle: DbTx, id: number) {
  const db = prismaOf(handle);
  return db.mention.findUnique({
    where: { id },
    omit: { searchTokens: true },
    include: {
      source: { select: { id: true, name: true, kind: true } },
      analyses: { orderBy: { id: 'desc' }, take: 1 },
    },
  });
}

/** Distinct categories seen on mentions and issues (filter menus). */
export async function listCategories(handle: DbTx): Promise<string[]> {
  const db = prismaOf(handle);
  const rows = await db.$queryRaw<{ category: string }[]>`
    SELECT category FROM (SELECT DISTINCT category FROM "Issue" WHERE category IS NOT NULL
                          UNION SELECT DISTINCT category FROM "Mention" WHERE category IS NOT NULL AND id > (SELECT coalesce(max(id), 0) - 20000 FROM "Mention")) c
     ORDER BY category`;
  return rows.map((r) => r.category);
}

/** Mentions per day and category with the negative share, for the overview (published within the window). */
export async function mentionVolumeByDay(
  handle: DbTx,
  options: { since: Date; timeZone: string },
): Promise<{ day: string; category: string; total: number; negative: number }[]> {
  const db = prismaOf(handle);
  const rows = await db.$queryRaw<{ day: string; category: string | null; total: bigint; negative: bigint }[]>`
    SELECT to_char(date_trunc('day', "publishedAt" AT TIME ZONE ${options.timeZone}), 'YYYY-MM-DD') AS day,
           coalesce(category, '未分类') AS category,
           count(*) AS total,
           count(*) FILTER (WHERE sentiment = 'negative') AS negative
      FROM "Mention"
     WHERE "publishedAt" >= ${options.since} AND relevant IS NOT FALSE
     GROUP BY 1, 2 ORDER BY 1, 2`;
  return rows.map((r) => ({
    day: r.day,
    category: r.category ?? '未分类',
    total: Number(r.total),
    negative: Number(r.negative),
  }));
}

/** Most frequent search tokens among the latest mentions (the word cloud when issues carry no keywords yet). */
export async function frequentMentionTokens(
  handle: DbTx,
  options: { sample?: number; limit?: number; minLength?: number } = {},
): Promise<{ word: string; weight: number }[]> {
  const db = prismaOf(handle);
  const rows = await db.$queryRaw<{ word: string; n: bigint }[]>`
    SELECT word, count(*) AS n FROM (
      SELECT DISTINCT m.id, unnest(string_to_array(m."searchTokens", ' ')) AS word
        FROM (SELECT id, "searchTokens" FROM "Mention" WHERE relevant IS NOT FALSE ORDER BY id DESC LIMIT ${options.sample ?? 3000}) m
    ) t
    WHERE char_length(word) >= ${options.minLength ?? 2}
    GROUP BY word ORDER BY n DESC LIMIT ${options.limit ?? 80}`;
  return rows.map((r) => ({ word: r.word, weight: Number(r.n) }));
}

/**
 * Cheap health probe: one round trip plus the planner's row estimate for mentions (exact counts over millions of
 * rows are too slow for a health check).
 */
export async function databaseHealth(handle: DbTx): Promise<{ ok: true; latencyMs: number; mentionsEstimate: number }> {
  const db = prismaOf(handle);
  const started = performance.now();
  const rows = await db.$queryRaw<
    { estimate: number }[]
  >`SELECT reltuples::float8 AS estimate FROM pg_class WHERE relname = 'Mention'`;
  let estimate = rows[0]?.estimate ?? -1;
  // Never analysed yet (a young database): count, but only up to a cap.
  if (estimate < 1000)
    estimate = Number(
      (await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM "Mention" LIMIT 100000) m`)[0]?.n ??
        0,
    );
  return { ok: true, latencyMs: Math.round(performance.now() - started), mentionsEstimate: Math.round(estimate) };
}
