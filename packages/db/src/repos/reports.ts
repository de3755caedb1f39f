// Read queries for the periodic reports (周报/月报/季报/年报) and the one-issue 专报: counts grouped in SQL, rows
// for what the report lists. The statistics themselves (medians, shares, comparisons) are computed by
// packages/digest from these rows.
import { prismaOf, type DbTx } from '../handle.ts';
import type { IssueLevel } from '../generated/prisma/client.ts';
import type { TimeWindow } from './digests.ts';

/** Issue statuses left out of reports: judged not an issue, or folded into another. */
const CLOSED_OUT_STATUSES = ['dismissed', 'merged'] as const;
/** Mentions listed per "key voices" table. */
const KEY_VOICES_LIMIT = 10;
/** Category shown for mentions the classifier did not place. */
export const UNCATEGORISED = '未分类';

/** Mention counts of a window: all, relevant, negative (relevant and negative), by category and by local day. */
export interface PeriodMentionStats {
  mentions: number;
  relevant: number;
  negative: number;
  /** Relevant mentions per category (uncategorised as {@link UNCATEGORISED}), most first. */
  byCategory: Array<{ category: string; mentions: number; negative: number }>;
  /** Every mention per local calendar day that has any (YYYY-MM-DD in the time zone). */
  byDay: Array<{ day: string; mentions: number; negative: number }>;
  /** Relevant mentions per sentiment label (`unknown` when not analysed). */
  bySentiment: Record<string, number>;
}

/**
 * Mentions count in the window they were published in, those without a publication time in the one they were
 * collected in (the digest's rule, so a week's report adds up its days' digests).
 */
export async function periodMentionStats(
  handle: DbTx,
  window: TimeWindow,
  timeZone: string,
): Promise<PeriodMentionStats> {
  const db = prismaOf(handle);
  const inWindow = (alias: string) =>
    `COALESCE(${alias}."publishedAt", ${alias}."createdAt") >= $1 AND COALESCE(${alias}."publishedAt", ${alias}."createdAt") < $2`;
  const [totals, categories, days, sentiments] = await Promise.all([
    db.$queryRawUnsafe<Array<{ mentions: bigint; relevant: bigint; negative: bigint }>>(
      `SELECT count(*) AS mentions,
              count(*) FILTER (WHERE m.relevant) AS relevant,
              count(*) FILTER (WHERE m.relevant AND m.sentiment = 'negative') AS negative
         FROM "Mention" m WHERE ${inWindow('m')}`,
      window.start,
      window.end,
    ),
    db.$queryRawUnsafe<Array<{ category: string | null; mentions: bigint; negative: bigint }>>(
      `SELECT m.category, count(*) AS mentions, count(*) FILTER (WHERE m.sentiment = 'negative') AS negative
         FROM "Mention" m WHERE m.relevant AND ${inWindow('m')}
        GROUP BY 1 ORDER BY 2 DESC, 1`,
      window.start,
      window.end,
    ),
    db.$queryRawUnsafe<Array<{ day: string; mentions: bigint; negative: bigint }>>(
      `SELECT to_char((COALESCE(m."publishedAt", m."createdAt") AT TIME ZONE 'UTC') AT TIME ZONE $3, 'YYYY-MM-DD') AS day,
              count(*) AS mentions,
              count(*) FILTER (WHERE m.relevant AND m.sentiment = 'negative') AS negative
         FROM "Mention" m WHERE ${inWindow('m')}
        GROUP BY 1 ORDER BY 1`,
      window.start,
      window.end,
      timeZone,
    ),
    db.$queryRawUnsafe<Array<{ sentiment: string | null; n: bigint }>>(
      `SELECT m.sentiment, count(*) AS n FROM "Mention" m WHERE m.relevant AND ${inWindow('m')} GROUP BY 1`,
      window.start,
      window.end,
    ),
  ]);
  const t = totals[0];
  return {
    mentions: Number(t?.mentions ?? 0),
    relevant: Number(t?.relevant ?? 0),
    negative: Number(t?.negative ?? 0),
    byCategory: categories.map((r) => ({
      category: r.category ?? UNCATEGORISED,
      mentions: Number(r.mentions),
      negative: Number(r.negative),
    })),
    byDay: days.map((r) => ({ day: r.day, mentions: Number(r.mentions), negative: Number(r.negative) })),
    bySentiment: Object.fromEntries(sentiments.map((r) => [r.sentiment ?? 'unknown', Number(r.n)])),
  };
}

/** A hot issue of a period: flagged in it, with what the response statistics need. */
export interface PeriodIssueRow {
  id: number;
  title: string;
  category: string | null;
  /** Highest level flagged in the window. */
  level: IssueLevel;
  /** The issue's first flag ever (the clock for the first response starts here). */
  firstFlaggedAt: Date;
  /** True when the first flag ever falls in the window (a new hot issue of the period). */
  newInPeriod: boolean;
  deadlineAt: Date | null;
  /** First publication of any response to the issue, at any time; null: not answered yet. */
  firstPublishedAt: Date | null;
  mentionCount: number;
}

const LEVEL_RANK: Record<IssueLevel, number> = { none: 0, general: 1, major: 2, severe: 3 };

/** Issues with a hot-issue flag raised in the window (dismissed and merged ones left out), hottest level first. */
export async function listPeriodIssues(handle: DbTx, window: TimeWindow): Promise<PeriodIssueRow[]> {
  const db = prismaOf(handle);
  const issues = await db.issue.findMany({
    where: {
      status: { notIn: [...CLOSED_OUT_STATUSES] },
      flags: { some: { createdAt: { gte: window.start, lt: window.end } } },
    },
    select: {
      id: true,
      title: true,
      category: true,
      deadlineAt: true,
      mentionCount: true,
      flags: { select: { level: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
      responses: { select: { publishes: { select: { publishedAt: true } } } },
    },
    orderBy: { id: 'asc' },
  });
  const rows = issues.map((issue) => {
    const inWindow = issue.flags.filter((f) => f.createdAt >= window.start && f.createdAt < window.end);
    const level = inWindow.reduce<IssueLevel>(
      (best, f) => (LEVEL_RANK[f.level] > LEVEL_RANK[best] ? f.level : best),
      'none',
    );
    const firstFlaggedAt = issue.flags[0]!.createdAt;
    const published = issue.responses.flatMap((r) => r.publishes.map((p) => p.publishedAt.getTime()));
    return {
      id: issue.id,
      title: issue.title,
      category: issue.category,
      level,
      firstFlaggedAt,
      newInPeriod: firstFlaggedAt >= window.start,
      deadlineAt: issue.deadlineAt,
      firstPublishedAt: published.length ? new Date(Math.min(...published)) : null,
      mentionCount: issue.mentionCount,
    };
  });
  return rows.sort(
    (a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || b.mentionCount - a.mentionCount || a.id - b.id,
  );
}

/** What the response workflow did in a window. */
export interface PeriodResponseActivity {
  /** Responses started (first draft saved). */
  drafted: number;
  /** Leader decisions: approved / returned. */
  approved: number;
  returned: number;
  /** Distinct responses with a publication in the window, and the publications (one per channel). */
  responsesPublished: number;
  publications: number;
  /** Interpretation material of the responses published in the window, by kind (file, qa, explainer). */
  materialsByKind: Record<string, number>;
}

/** Counts of the response workflow's steps in the window. */
export async function periodResponseActivity(handle: DbTx, window: TimeWindow): Promise<PeriodResponseActivity> {
  const db = prismaOf(handle);
  const between = { gte: window.start, lt: window.end };
  const [drafted, decisions, publishes] = await Promise.all([
    db.response.count({ where: { createdAt: between } }),
    db.approval.groupBy({ by: ['decision'], where: { createdAt: between }, _count: { _all: true } }),
    db.publishRecord.findMany({ where: { publishedAt: between }, select: { responseId: true } }),
  ]);
  const responseIds = [...new Set(publishes.map((p) => p.responseId))];
  const materials = responseIds.length
    ? await db.interpretationMaterial.groupBy({
        by: ['kind'],
        where: { responseId: { in: responseIds } },
        _count: { _all: true },
      })
    : [];
  const decided = (d: string) => decisions.find((x) => x.decision === d)?._count._all ?? 0;
  return {
    drafted,
    approved: decided('approved'),
    returned: decided('returned'),
    responsesPublished: responseIds.length,
    publications: publishes.length,
    materialsByKind: Object.fromEntries(materials.map((m) => [m.kind, m._count._all])),
  };
}

/** A mention quoted as a key voice. */
export interface KeyVoiceMention {
  id: number;
  title: string;
  url: string;
  author: string | null;
  siteName: string | null;
  publishedAt: Date | null;
  likes: number;
  reposts: number;
  comments: number;
  sentiment: string | null;
}

/** Everything the 专报 of one issue shows, read in one go. */
export async function issueReportData(handle: DbTx, issueId: number, timeZone: string) {
  const db = prismaOf(handle);
  const issue = await db.issue.findUnique({
    where: { id: issueId },
    select: {
      id: true,
      title: true,
      category: true,
      subcategory: true,
      status: true,
      level: true,
      hotness: true,
      mentionCount: true,
      keywords: true,
      places: true,
      firstSeenAt: true,
      lastSeenAt: true,
      flaggedAt: true,
      deadlineAt: true,
      flags: { orderBy: { createdAt: 'asc' }, select: { level: true, reason: true, createdAt: true } },
    },
  });
  if (!issue) return null;
  const voiceSelect = {
    id: true,
    title: true,
    url: true,
    author: true,
    siteName: true,
    publishedAt: true,
    likes: true,
    reposts: true,
    comments: true,
    sentiment: true,
  } as const;
  const [spread, sentiments, mostLiked, mostReposted, authors, responses] = await Promise.all([
    db.$queryRaw<Array<{ day: string; mentions: bigint; negative: bigint }>>`
      SELECT to_char((COALESCE("publishedAt", "createdAt") AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day,
             count(*) AS mentions, count(*) FILTER (WHERE sentiment = 'negative') AS negative
        FROM "Mention" WHERE "issueId" = ${issueId} GROUP BY 1 ORDER BY 1`,
    db.mention.groupBy({ by: ['sentiment'], where: { issueId }, _count: { _all: true } }),
    db.mention.findMany({
      where: { issueId, likes: { gt: 0 } },
      orderBy: [{ likes: 'desc' }, { id: 'asc' }],
      take: KEY_VOICES_LIMIT,
      select: voiceSelect,
    }),
    db.mention.findMany({
      where: { issueId, reposts: { gt: 0 } },
      orderBy: [{ reposts: 'desc' }, { id: 'asc' }],
      take: KEY_VOICES_LIMIT,
      select: voiceSelect,
    }),
    db.mention.groupBy({
      by: ['author'],
      where: { issueId, author: { not: null } },
      _count: { _all: true },
      _sum: { likes: true, reposts: true },
      orderBy: [{ _count: { id: 'desc' } }, { _sum: { likes: 'desc' } }, { author: 'asc' }],
      take: KEY_VOICES_LIMIT,
    }),
    db.response.findMany({
      where: { issueId },
      orderBy: { id: 'asc' },
      select: {
        id: true,
        status: true,
        createdAt: true,
        submittedAt: true,
        approvedAt: true,
        publishedAt: true,
        deadlineAt: true,
        currentVersion: true,
        author: { select: { displayName: true } },
        versions: { orderBy: { version: 'asc' }, select: { version: true, body: true, createdAt: true } },
        approvals: {
          orderBy: { id: 'asc' },
          select: {
            version: true,
            decision: true,
            comment: true,
            createdAt: true,
            decider: { select: { displayName: true } },
          },
        },
        publishes: { orderBy: { publishedAt: 'asc' }, select: { channel: true, url: true, publishedAt: true } },
        materials: { orderBy: { id: 'asc' }, select: { kind: true, title: true, createdAt: true } },
      },
    }),
  ]);
  return {
    issue,
    spread: spread.map((r) => ({ day: r.day, mentions: Number(r.mentions), negative: Number(r.negative) })),
    sentiment: Object.fromEntries(sentiments.map((s) => [s.sentiment ?? 'unknown', s._count._all])) as Record<
      string,
      number
    >,
    mostLiked: mostLiked as KeyVoiceMention[],
    mostReposted: mostReposted as KeyVoiceMention[],
    authors: authors.map((a) => ({
      author: a.author ?? '',
      mentions: a._count._all,
      likes: a._sum.likes ?? 0,
      reposts: a._sum.reposts ?? 0,
    })),
    responses,
  };
}

/** What {@link issueReportData} returns for an existing issue. */
export type IssueReportData = NonNullable<Awaited<ReturnType<typeof issueReportData>>>;
