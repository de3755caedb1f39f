import { NonRetryableError } from '@yuqing/core';
import { CLOSED_ISSUE_STATUSES } from '@yuqing/domain';
import { prismaOf, type DbTx } from '../handle.ts';
import { Prisma, type IssueLevel, type IssueStatus } from '../generated/prisma/client.ts';
import { refreshIssueAggregates } from './analysis.ts';
import { MENTION_SNIPPET_CHARS, searchCondition, type MentionListItem } from './mention-queries.ts';

/** Most issues one list page returns. */
const MAX_ISSUE_PAGE = 200;
/** Mentions one timeline page folds. */
const MAX_TIMELINE_MENTIONS = 500;
/** Analyses read to explain an issue's classification. */
const MAX_EXPLAINED_ANALYSES = 500;
/** Issues matched by a full-text search before other filters apply. */
const MAX_SEARCH_ISSUES = 2000;

/** Fields to create an issue (the analysis pipeline and tests; splitting uses it too). */
export interface NewIssue {
  title: string;
  keywords?: string[];
  places?: string[];
  category?: string | null;
  subcategory?: string | null;
  status?: IssueStatus;
  level?: IssueLevel;
  hotness?: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  flaggedAt?: Date | null;
  deadlineAt?: Date | null;
  sentimentMix?: Record<string, number>;
}

/** Creates an issue; mentions are attached with {@link attachMentionsToIssue}. */
export async function createIssue(handle: DbTx, input: NewIssue) {
  const db = prismaOf(handle);
  return db.issue.create({
    data: {
      title: input.title,
      keywords: input.keywords ?? [],
      places: input.places ?? [],
      category: input.category ?? null,
      subcategory: input.subcategory ?? null,
      status: input.status ?? 'new',
      level: input.level ?? 'none',
      hotness: input.hotness ?? 0,
      firstSeenAt: input.firstSeenAt,
      lastSeenAt: input.lastSeenAt,
      flaggedAt: input.flaggedAt ?? null,
      deadlineAt: input.deadlineAt ?? null,
      sentimentMix: input.sentimentMix ?? {},
    },
  });
}

/** Files mentions under an issue and refreshes the issue's counts. */
export async function attachMentionsToIssue(handle: DbTx, issueId: number, mentionIds: number[]): Promise<void> {
  const db = prismaOf(handle);
  await db.mention.updateMany({ where: { id: { in: mentionIds } }, data: { issueId } });
  await refreshIssueStats(db, issueId);
}

/** Recomputes mentionCount, first/last seen and the sentiment mix from the issue's mentions. */
export async function refreshIssueStats(handle: DbTx, issueId: number): Promise<void> {
  const db = prismaOf(handle);
  await refreshIssueAggregates(db, [issueId]);
}

/** Filters for {@link listIssues}. */
export interface IssueFilters {
  status?: IssueStatus[];
  level?: IssueLevel[];
  category?: string;
  /** Issues active (last seen) at or after this time. */
  since?: Date;
  /** Issues that started at or before this time. */
  until?: Date;
  /** Issues with at least one mention from this source. */
  sourceId?: number;
  assigneeId?: number;
  /** Only issues whose response deadline has passed while still open. */
  overdueAt?: Date;
  /** Full-text search over the issues' mentions: alternative token sets (see `searchCondition`). */
  searchTokenSets?: string[][];
  sort?: 'recent' | 'hot';
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
  limit?: number;
}

function encodeCursor(value: number, id: number): string {
  return `${value}_${id}`;
}

function decodeCursor(cursor: string | undefined): { value: number; id: number } | undefined {
  if (!cursor) return undefined;
  const m = /^(-?[0-9.e+-]+)_(\d+)$/.exec(cursor);
  if (!m) throw new NonRetryableError('INVALID_CURSOR', 'invalid cursor');
  return { value: Number(m[1]), id: Number(m[2]) };
}

/** Issue ids whose mentions match the search (GIN index on the mention search vector). */
export async function issueIdsMatching(handle: DbTx, tokenSets: string[][]): Promise<number[]> {
  const db = prismaOf(handle);
  const search = searchCondition(tokenSets, Prisma.sql`"searchVector"`);
  if (!search) return [];
  const rows = await db.$queryRaw<{ issueId: number }[]>`
    SELECT DISTINCT "issueId" FROM (
      SELECT "issueId" FROM "Mention"
       WHERE ${search} AND "issueId" IS NOT NULL
       LIMIT ${MAX_SEARCH_ISSUES * 10}
    ) m LIMIT ${MAX_SEARCH_ISSUES}`;
  return rows.map((r) => r.issueId);
}

/**
 * One page of issues, newest activity (or hottest) first, keyset-paginated so page 1000 costs what page 1 does.
 * Returns `nextCursor` instead of a total count (no COUNT(*) over everything).
 */
export async function listIssues(handle: DbTx, filters: IssueFilters = {}) {
  const db = prismaOf(handle);
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), MAX_ISSUE_PAGE);
  const and: Prisma.IssueWhereInput[] = [];
  if (filters.status?.length) and.push({ status: { in: filters.status } });
  if (filters.level?.length) and.push({ level: { in: filters.level } });
  if (filters.category) and.push({ category: filters.category });
  if (filters.since) and.push({ lastSeenAt: { gte: filters.since } });
  if (filters.until) and.push({ firstSeenAt: { lte: filters.until } });
  if (filters.sourceId) and.push({ mentions: { some: { sourceId: filters.sourceId } } });
  if (filters.assigneeId) and.push({ assigneeId: filters.assigneeId });
  if (filters.overdueAt) and.push({ deadlineAt: { lt: filters.overdueAt }, status: { notIn: CLOSED_ISSUE_STATUSES } });
  if (filters.searchTokenSets?.some((s) => s.length > 0))
    and.push({ id: { in: await issueIdsMatching(db, filters.searchTokenSets) } });
  const sort = filters.sort ?? 'recent';
  const cursor = decodeCursor(filters.cursor);
  if (cursor) {
    if (sort === 'hot')
      and.push({ OR: [{ hotness: { lt: cursor.value } }, { hotness: cursor.value, id: { lt: cursor.id } }] });
    else {
      const at = new Date(cursor.value);
      and.push({ OR: [{ lastSeenAt: { lt: at } }, { lastSeenAt: at, id: { lt: cursor.id } }] });
    }
  }
  const rows = await db.issue.findMany({
    where: { AND: and },
    orderBy: sort === 'hot' ? [{ hotness: 'desc' }, { id: 'desc' }] : [{ lastSeenAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    include: { assignee: { select: { id: true, username: true, displayName: true } } },
    omit: { clusterState: true },
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(sort === 'hot' ? last.hotness : last.lastSeenAt.getTime(), last.id)
      : null;
  return { items, nextCursor };
}

/** One issue with assignee, flags, responses (no bodies) and materials attached to the issue. */
export async function getIssue(handle: DbTx, id: number) {
  const db = prismaOf(handle);
  return db.issue.findUnique({
    where: { id },
    omit: { clusterState: true },
    include: {
      assignee: { select: { id: true, username: true, displayName: true } },
      flags: { orderBy: { createdAt: 'desc' }, take: 50 },
      responses: {
        orderBy: { id: 'desc' },
        select: {
          id: true,
          status: true,
          currentVersion: true,
          deadlineAt: true,
          submittedAt: true,
          approvedAt: true,
          publishedAt: true,
          createdAt: true,
          kind: true,
          author: { select: { id: true, displayName: true } },
        },
      },
    },
  });
}

/** A mention in an issue's timeline (the list fields without the filter columns), with the reposts folded under it. */
export interface TimelineEntry extends Omit<MentionListItem, 'sourceId' | 'relevant' | 'issueId' | 'tags'> {
  /** Reposts (same text or marked repostOf) folded under this mention. */
  folded: { id: number; url: string; siteName: string | null; publishedAt: Date | null }[];
}

/**
 * The issue's mentions in time order (publication time, else the time it was fetched) with reposts folded: a
 * mention marked `repostOfId`, or carrying the same content hash as an earlier one, is listed under the first.
 * `total`: every mention filed under the issue, reposts included (the issue's mention count).
 */
export async function issueTimeline(
  handle: DbTx,
  issueId: number,
  options: { afterId?: number } = {},
): Promise<{ entries: TimelineEntry[]; total: number; truncated: boolean }> {
  const db = prismaOf(handle);
  const afterId = options.afterId ?? 0;
  // Prisma cannot order by COALESCE: the order (and the page) comes from SQL, the fields from the client.
  const ordered = await db.$queryRaw<Array<{ id: number }>>`
    SELECT id FROM "Mention" WHERE "issueId" = ${issueId} AND id > ${afterId}
     ORDER BY COALESCE("publishedAt", "fetchedAt"), id LIMIT ${MAX_TIMELINE_MENTIONS + 1}`;
  const total = await db.mention.count({ where: { issueId } });
  const position = new Map(ordered.map((r, i) => [r.id, i]));
  const found = await db.mention.findMany({
    where: { id: { in: ordered.map((r) => r.id) } },
    select: {
      id: true,
      title: true,
      body: true,
      url: true,
      siteName: true,
      author: true,
      publishedAt: true,
      fetchedAt: true,
      likes: true,
      comments: true,
      reposts: true,
      sentiment: true,
      category: true,
      contentHash: true,
      repostOfId: true,
      source: { select: { name: true } },
    },
  });
  const rows = found.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  const truncated = rows.length > MAX_TIMELINE_MENTIONS;
  const byId = new Map<number, TimelineEntry>();
  const byHash = new Map<string, TimelineEntry>();
  const entries: TimelineEntry[] = [];
  for (const m of rows.slice(0, MAX_TIMELINE_MENTIONS)) {
    const parent = (m.repostOfId !== null ? byId.get(m.repostOfId) : undefined) ?? byHash.get(m.contentHash);
    if (parent) {
      parent.folded.push({ id: m.id, url: m.url, siteName: m.siteName, publishedAt: m.publishedAt });
      byId.set(m.id, parent);
      continue;
    }
    const entry: TimelineEntry = {
      id: m.id,
      title: m.title,
      snippet: m.body.slice(0, MENTION_SNIPPET_CHARS),
      url: m.url,
      siteName: m.siteName,
      sourceName: m.source?.name ?? null,
      author: m.author,
      publishedAt: m.publishedAt,
      fetchedAt: m.fetchedAt,
      likes: m.likes,
      comments: m.comments,
      reposts: m.reposts,
      sentiment: m.sentiment,
      category: m.category,
      folded: [],
    };
    entries.push(entry);
    byId.set(m.id, entry);
    byHash.set(m.contentHash, entry);
  }
  return { entries, total, truncated };
}

/** Hotness samples, oldest first (the newest 500). */
export async function issueHotnessHistory(handle: DbTx, issueId: number) {
  const db = prismaOf(handle);
  const rows = await db.issueHotness.findMany({ where: { issueId }, orderBy: { at: 'desc' }, take: 500 });
  return rows.reverse();
}

/** Token weights that drove one decision, summed over an issue's mentions. */
export interface ExplainedTokens {
  token: string;
  weight: number;
}

function addWeights(into: Map<string, number>, value: unknown): void {
  if (!Array.isArray(value)) return;
  for (const pair of value) {
    if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'number')
      into.set(pair[0], (into.get(pair[0]) ?? 0) + pair[1]);
    else if (
      pair &&
      typeof pair === 'object' &&
      typeof (pair as { token?: unknown }).token === 'string' &&
      typeof (pair as { weight?: unknown }).weight === 'number'
    ) {
      const p = pair as { token: string; weight: number };
      into.set(p.token, (into.get(p.token) ?? 0) + p.weight);
    }
  }
}

function topTokens(weights: Map<string, number>, n: number): ExplainedTokens[] {
  return [...weights.entries()]
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, n)
    .map(([token, weight]) => ({ token, weight: Math.round(weight * 1000) / 1000 }));
}

/**
 * How the issue's mentions were classified: category and sentiment distribution and the tokens that drove each
 * decision (from `Analysis.explanation`, latest analysis per mention).
 */
export async function issueClassification(handle: DbTx, issueId: number) {
  const db = prismaOf(handle);
  const analyses = await db.analysis.findMany({
    where: { mention: { issueId } },
    orderBy: { id: 'desc' },
    take: MAX_EXPLAINED_ANALYSES,
    select: {
      mentionId: true,
      modelVersion: true,
      category: true,
      sentiment: true,
      relevance: true,
      explanation: true,
    },
  });
  const seen = new Set<number>();
  const weights = {
    relevance: new Map<string, number>(),
    category: new Map<string, number>(),
    sentiment: new Map<string, number>(),
  };
  const categories = new Map<string, number>();
  const sentiments = new Map<string, number>();
  const models = new Set<string>();
  for (const a of analyses) {
    if (seen.has(a.mentionId)) continue;
    seen.add(a.mentionId);
    models.add(a.modelVersion);
    if (a.category) categories.set(a.category, (categories.get(a.category) ?? 0) + 1);
    if (a.sentiment) sentiments.set(a.sentiment, (sentiments.get(a.sentiment) ?? 0) + 1);
    const e = (a.explanation ?? {}) as Record<string, unknown>;
    addWeights(weights.relevance, e.relevance);
    addWeights(weights.category, e.category);
    addWeights(weights.sentiment, e.sentiment);
  }
  const toList = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([label, count]) => ({ label, count }));
  return {
    analysedMentions: seen.size,
    modelVersions: [...models],
    categories: toList(categories),
    sentiments: toList(sentiments),
    tokens: {
      relevance: topTokens(weights.relevance, 15),
      category: topTokens(weights.category, 15),
      sentiment: topTokens(weights.sentiment, 15),
    },
  };
}

/** Counts of open issues by level and status, for the overview. */
export async function issueLevelCounts(handle: DbTx) {
  const db = prismaOf(handle);
  const rows = await db.issue.groupBy({
    by: ['level', 'status'],
    _count: { _all: true },
    where: { status: { notIn: ['merged'] } },
  });
  return rows.map((r) => ({ level: r.level, status: r.status, count: r._count._all }));
}

/** The hottest open issues, for the overview. */
export async function hotIssues(handle: DbTx, limit = 10) {
  const db = prismaOf(handle);
  return db.issue.findMany({
    where: { status: { notIn: CLOSED_ISSUE_STATUSES } },
    orderBy: [{ hotness: 'desc' }, { id: 'desc' }],
    take: limit,
    select: {
      id: true,
      title: true,
      level: true,
      status: true,
      hotness: true,
      mentionCount: true,
      category: true,
      lastSeenAt: true,
      deadlineAt: true,
    },
  });
}

/** Keywords of the hottest open issues, weighted by hotness (the overview's word cloud). */
export async function hotIssueKeywords(handle: DbTx, limit = 60): Promise<{ word: string; weight: number }[]> {
  const db = prismaOf(handle);
  const issues = await db.issue.findMany({
    where: { status: { notIn: CLOSED_ISSUE_STATUSES } },
    orderBy: { hotness: 'desc' },
    take: 100,
    select: { keywords: true, hotness: true, mentionCount: true },
  });
  const weights = new Map<string, number>();
  for (const issue of issues) {
    const w = Math.max(issue.hotness, 1) * Math.log2(2 + issue.mentionCount);
    for (const k of issue.keywords) weights.set(k, (weights.get(k) ?? 0) + w);
  }
  return [...weights.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([word, weight]) => ({ word, weight }));
}
