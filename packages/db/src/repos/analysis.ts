import type { DbTx, Db } from '../client.ts';
import { Prisma, type IssueLevel } from '../generated/prisma/client.ts';

/** What the analysis worker reads of a mention. */
export interface MentionForAnalysis {
  id: number;
  title: string;
  body: string;
  publishedAt: Date | null;
  fetchedAt: Date;
  likes: number;
  comments: number;
  reposts: number;
  sourceName: string | null;
  sourceKind: string | null;
  sourceWeight: number;
}

/** Mentions by id, in id order, with their source's kind and weight. */
export async function loadMentionsForAnalysis(db: DbTx, ids: readonly number[]): Promise<MentionForAnalysis[]> {
  const rows = await db.mention.findMany({
    where: { id: { in: [...ids] } },
    orderBy: { id: 'asc' },
    select: {
      id: true, title: true, body: true, publishedAt: true, fetchedAt: true, likes: true, comments: true, reposts: true,
      source: { select: { name: true, kind: true, weight: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id, title: r.title, body: r.body, publishedAt: r.publishedAt, fetchedAt: r.fetchedAt, likes: r.likes, comments: r.comments, reposts: r.reposts,
    sourceName: r.source?.name ?? null, sourceKind: r.source?.kind ?? null, sourceWeight: r.source?.weight ?? 1,
  }));
}

/** One mention's classification. */
export interface AnalysisResult {
  mentionId: number;
  modelVersion: string;
  relevance: number;
  relevant: boolean;
  category: string | null;
  categoryScore: number | null;
  subcategory: string | null;
  sentiment: string | null;
  sentimentScore: number | null;
  explanation: Record<string, [string, number][]>;
  /** Space-separated jieba tokens for full-text search. */
  searchTokens: string;
}

/**
 * Stores analyses and copies the decision onto the mentions (relevant, category, sentiment, search tokens)
 * in two statements, whatever the batch size.
 */
export async function saveAnalyses(db: DbTx, results: readonly AnalysisResult[]): Promise<void> {
  if (results.length === 0) return;
  await db.analysis.createMany({
    data: results.map((r) => ({
      mentionId: r.mentionId, modelVersion: r.modelVersion, relevance: r.relevance, relevant: r.relevant, category: r.category,
      categoryScore: r.categoryScore, subcategory: r.subcategory, sentiment: r.sentiment, sentimentScore: r.sentimentScore,
      explanation: r.explanation as unknown as Prisma.InputJsonValue,
    })),
  });
  await db.$executeRaw`
    UPDATE "Mention" AS m
       SET "relevant" = v.relevant, "category" = v.category, "sentiment" = v.sentiment, "searchTokens" = v.tokens
      FROM unnest(${results.map((r) => r.mentionId)}::int[], ${results.map((r) => r.relevant)}::boolean[],
                  ${results.map((r) => r.category)}::text[], ${results.map((r) => r.sentiment)}::text[],
                  ${results.map((r) => r.searchTokens)}::text[]) AS v(id, relevant, category, sentiment, tokens)
     WHERE m.id = v.id`;
}

/**
 * Runs `fn` on the named engine state inside one transaction holding an advisory lock, so analysis workers
 * on any number of machines update the shared clustering state one at a time. `fn` returns the new state.
 */
export async function withEngineState<T>(db: Db, key: string, fn: (state: unknown | undefined, tx: DbTx) => Promise<{ state: unknown; result: T }>, options: { timeoutMs?: number } = {}): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`yq-engine:${key}`}))`;
    const row = await tx.engineState.findUnique({ where: { key } });
    const { state, result } = await fn(row?.state ?? undefined, tx);
    const json = state as Prisma.InputJsonValue;
    await tx.engineState.upsert({ where: { key }, create: { key, state: json }, update: { state: json } });
    return result;
  }, { timeout: options.timeoutMs ?? 60_000, maxWait: options.timeoutMs ?? 60_000 });
}

/** An issue as the clustering engine sees it, to mirror into the Issue table. */
export interface ClusteredIssue {
  clusterKey: string;
  title: string;
  keywords: string[];
  places: string[];
  category: string | null;
  hotness: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  level: IssueLevel;
  flaggedAt: Date | null;
}

/**
 * Creates or updates issues by cluster key; returns cluster key → issue id. A level only rises here:
 * analysts may set it by hand in triage, and the engine never lowers it.
 */
export async function upsertClusteredIssues(db: DbTx, issues: readonly ClusteredIssue[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const order: IssueLevel[] = ['none', 'general', 'major', 'severe'];
  for (const issue of issues) {
    const existing = await db.issue.findUnique({ where: { clusterKey: issue.clusterKey }, select: { id: true, level: true, flaggedAt: true, status: true } });
    if (existing) {
      const level = order.indexOf(issue.level) > order.indexOf(existing.level) ? issue.level : existing.level;
      await db.issue.update({
        where: { id: existing.id },
        data: {
          title: issue.title, keywords: issue.keywords, places: issue.places, category: issue.category, hotness: issue.hotness,
          lastSeenAt: issue.lastSeenAt, level,
          flaggedAt: existing.flaggedAt ?? issue.flaggedAt,
        },
      });
      ids.set(issue.clusterKey, existing.id);
    } else {
      const created = await db.issue.create({
        data: {
          clusterKey: issue.clusterKey, title: issue.title, keywords: issue.keywords, places: issue.places, category: issue.category,
          hotness: issue.hotness, firstSeenAt: issue.firstSeenAt,
          lastSeenAt: issue.lastSeenAt, level: issue.level, flaggedAt: issue.flaggedAt,
        },
        select: { id: true },
      });
      ids.set(issue.clusterKey, created.id);
    }
  }
  return ids;
}

/** Files mentions under issues (and marks reposts) in one statement. */
export async function assignMentionsToIssues(db: DbTx, rows: readonly { mentionId: number; issueId: number; repostOfId?: number | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRaw`
    UPDATE "Mention" AS m SET "issueId" = v.issue_id, "repostOfId" = COALESCE(v.repost_of, m."repostOfId")
      FROM unnest(${rows.map((r) => r.mentionId)}::int[], ${rows.map((r) => r.issueId)}::int[], ${rows.map((r) => r.repostOfId ?? null)}::int[])
           AS v(id, issue_id, repost_of)
     WHERE m.id = v.id`;
}

/**
 * Recomputes each issue's mention count, sentiment mix (mentions not yet analysed count as neutral) and
 * first/last-seen times from its mentions. Idempotent; one statement for any number of issues.
 */
export async function refreshIssueAggregates(db: DbTx, issueIds: readonly number[]): Promise<void> {
  if (issueIds.length === 0) return;
  await db.$executeRaw`
    UPDATE "Issue" AS i
       SET "mentionCount" = c.n,
           "sentimentMix" = jsonb_build_object('negative', c.neg, 'neutral', c.n - c.neg - c.pos, 'positive', c.pos),
           "firstSeenAt" = c.first,
           "lastSeenAt" = c.last
      FROM (SELECT "issueId", count(*)::int AS n,
                   (count(*) FILTER (WHERE "sentiment" = 'negative'))::int AS neg,
                   (count(*) FILTER (WHERE "sentiment" = 'positive'))::int AS pos,
                   min(coalesce("publishedAt", "fetchedAt")) AS first,
                   max(coalesce("publishedAt", "fetchedAt")) AS last
              FROM "Mention" WHERE "issueId" = ANY(${[...issueIds]}::int[]) GROUP BY "issueId") AS c
     WHERE i.id = c."issueId"`;
}

/** Mention ids among `ids` that already have an analysis (a retried job skips them). */
export async function analysedMentionIds(db: DbTx, ids: readonly number[]): Promise<Set<number>> {
  const rows = await db.analysis.findMany({ where: { mentionId: { in: [...ids] } }, select: { mentionId: true }, distinct: ['mentionId'] });
  return new Set(rows.map((r) => r.mentionId));
}

/**
 * Appends hotness history points; volume and negativity are taken from the issue's current aggregates
 * (call {@link refreshIssueAggregates} first).
 */
export async function appendIssueHotness(db: DbTx, rows: readonly { issueId: number; at: Date; hotness: number; velocity: number; engagement: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRaw`
    INSERT INTO "IssueHotness" ("issueId", "at", "hotness", "volume", "velocity", "engagement", "negativity")
    SELECT v.issue_id, v.at, v.hotness, i."mentionCount", v.velocity, v.engagement,
           CASE WHEN i."mentionCount" > 0 THEN COALESCE((i."sentimentMix"->>'negative')::float, 0) / i."mentionCount" ELSE 0 END
      FROM unnest(${rows.map((r) => r.issueId)}::int[], ${rows.map((r) => r.at)}::timestamp[], ${rows.map((r) => r.hotness)}::float8[],
                  ${rows.map((r) => r.velocity)}::float8[], ${rows.map((r) => r.engagement)}::float8[]) AS v(issue_id, at, hotness, velocity, engagement)
      JOIN "Issue" AS i ON i.id = v.issue_id`;
}

/** Records a hot-issue flag (raised or escalated) and sets the issue's level and response deadline. */
export async function recordIssueFlag(db: DbTx, input: { issueId: number; level: Exclude<IssueLevel, 'none'>; reason: string; at: Date; deadlineAt: Date }) {
  const flag = await db.issueFlag.create({ data: { issueId: input.issueId, level: input.level, reason: input.reason, createdAt: input.at } });
  await db.issue.update({
    where: { id: input.issueId },
    data: { level: input.level, flaggedAt: input.at, deadlineAt: input.deadlineAt, ...(input.reason.startsWith('escalat') ? { escalatedAt: input.at } : {}) },
  });
  return flag;
}

// ───────────── models and analysts' labels ─────────────

/** The promoted model of a task, if any. */
export async function getPromotedModel(db: DbTx, task: string) {
  return db.modelVersion.findFirst({ where: { task, promoted: true }, orderBy: { id: 'desc' } });
}

/** Stores a trained model; with `promote`, it becomes the only promoted version of its task. */
export async function saveModelVersion(db: Db, input: { task: string; version: string; data: Buffer; metrics: Record<string, unknown>; trainedOn: number; promote: boolean }) {
  return db.$transaction(async (tx) => {
    if (input.promote) await tx.modelVersion.updateMany({ where: { task: input.task, promoted: true }, data: { promoted: false } });
    return tx.modelVersion.create({
      data: { task: input.task, version: input.version, data: new Uint8Array(input.data), metrics: input.metrics as Prisma.InputJsonValue, trainedOn: input.trainedOn, promoted: input.promote },
    });
  });
}

/** Version numbers used so far for a task (to pick the next). */
export async function countModelVersions(db: DbTx, task: string): Promise<number> {
  return db.modelVersion.count({ where: { task } });
}

/** Analysts' labels of a task, oldest first (the text is the mention's title and body at labelling time). */
export async function listAnalystLabels(db: DbTx, task: string, options: { limit?: number } = {}) {
  return db.analystLabel.findMany({ where: { task }, orderBy: { id: 'asc' }, take: options.limit ?? 100_000, select: { id: true, text: true, label: true, createdAt: true } });
}
