import { prismaOf, transaction, type Db, type DbTx } from '../handle.ts';
import { Prisma, type IssueLevel } from '../generated/prisma/client.ts';
import { isEscalationReason } from '@yuqing/domain';

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
  /** Best rank of a hot-list entry (1 = top), which raises its hotness; null for anything else. */
  hotListRank?: number | null;
}

/**
 * Mentions among `ids` that no analysis has touched yet, in id order, with their source's name, kind and weight:
 * one statement (the analysis worker's read, whatever the batch size).
 */
export async function loadUnanalysedMentions(handle: DbTx, ids: readonly number[]): Promise<MentionForAnalysis[]> {
  const db = prismaOf(handle);
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<Array<Omit<MentionForAnalysis, 'sourceWeight'> & { sourceWeight: number | null }>>`
    SELECT m.id, m.title, m.body, m."publishedAt", m."fetchedAt", m.likes, m.comments, m.reposts, m."hotListRank",
           s.name AS "sourceName", s.kind::text AS "sourceKind", s.weight AS "sourceWeight"
      FROM "Mention" AS m LEFT JOIN "Source" AS s ON s.id = m."sourceId"
     WHERE m.id = ANY(${[...ids]}::int[])
       AND NOT EXISTS (SELECT 1 FROM "Analysis" AS a WHERE a."mentionId" = m.id)
     ORDER BY m.id`;
  return rows.map((r) => ({ ...r, sourceWeight: r.sourceWeight ?? 1 }));
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

/** Where a mention was filed by clustering (null issue: not relevant, left unfiled). */
export interface MentionFiling {
  mentionId: number;
  issueId: number;
  repostOfId?: number | null;
}

/**
 * Stores analyses and copies the decision onto the mentions (relevant, category, sentiment, search tokens and,
 * when given, the issue each was filed under) in two statements, whatever the batch size: every mention row is
 * rewritten once, so its indexes and full-text trigger run once.
 */
export async function saveAnalyses(
  handle: DbTx,
  results: readonly AnalysisResult[],
  filings: readonly MentionFiling[] = [],
): Promise<void> {
  const db = prismaOf(handle);
  if (results.length === 0) return;
  await db.$executeRaw`
    INSERT INTO "Analysis" ("mentionId", "modelVersion", "relevance", "relevant", "category", "categoryScore", "subcategory", "sentiment", "sentimentScore", "explanation")
    SELECT v.mention_id, v.model_version, v.relevance, v.relevant, v.category, v.category_score, v.subcategory, v.sentiment, v.sentiment_score, v.explanation::jsonb
      FROM unnest(${results.map((r) => r.mentionId)}::int[], ${results.map((r) => r.modelVersion)}::text[], ${results.map((r) => r.relevance)}::float8[],
                  ${results.map((r) => r.relevant)}::boolean[], ${results.map((r) => r.category)}::text[], ${results.map((r) => r.categoryScore)}::float8[],
                  ${results.map((r) => r.subcategory)}::text[], ${results.map((r) => r.sentiment)}::text[], ${results.map((r) => r.sentimentScore)}::float8[],
                  ${results.map((r) => JSON.stringify(r.explanation))}::text[])
           AS v(mention_id, model_version, relevance, relevant, category, category_score, subcategory, sentiment, sentiment_score, explanation)`;
  const filed = new Map(filings.map((f) => [f.mentionId, f]));
  await db.$executeRaw`
    UPDATE "Mention" AS m
       SET "relevant" = v.relevant, "category" = v.category, "sentiment" = v.sentiment, "searchTokens" = v.tokens,
           "issueId" = COALESCE(v.issue_id, m."issueId"), "repostOfId" = COALESCE(v.repost_of, m."repostOfId")
      FROM unnest(${results.map((r) => r.mentionId)}::int[], ${results.map((r) => r.relevant)}::boolean[],
                  ${results.map((r) => r.category)}::text[], ${results.map((r) => r.sentiment)}::text[],
                  ${results.map((r) => r.searchTokens)}::text[], ${results.map((r) => filed.get(r.mentionId)?.issueId ?? null)}::int[],
                  ${results.map((r) => filed.get(r.mentionId)?.repostOfId ?? null)}::int[])
           AS v(id, relevant, category, sentiment, tokens, issue_id, repost_of)
     WHERE m.id = v.id`;
}

/** A cached engine state: the row version (xmin) it was read or written at, and the state itself. */
interface CachedEngineState {
  rev: string;
  state: unknown;
}

/**
 * Engine states this process last committed or read, by key. While the row's version is unchanged no other
 * worker has written it, so the (possibly large) JSON need not travel again.
 */
const engineStateCache = new Map<string, CachedEngineState>();

/**
 * Runs `fn` on the named engine state inside one transaction holding an advisory lock, so analysis workers
 * on any number of machines update the shared clustering state one at a time. `fn` returns the new state.
 * The state is read only when another process changed it since this one last saw it (row version check).
 * `fn` must not keep or mutate the state it is given after returning; it returns `state: undefined` to leave the
 * stored state as it is (the engine tick before any mention was analysed has nothing to save).
 */
export async function withEngineState<T>(
  handle: Db,
  key: string,
  fn: (state: unknown | undefined, tx: DbTx) => Promise<{ state: unknown; result: T }>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const db = prismaOf(handle);
  let committed: CachedEngineState | undefined;
  const result = await transaction(
    db,
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`yq-engine:${key}`}))`;
      const cached = engineStateCache.get(key);
      // Until this transaction commits, the cached state may be half-updated by `fn`: forget it.
      engineStateCache.delete(key);
      const head = await tx.$queryRaw<
        Array<{ rev: string }>
      >`SELECT xmin::text AS rev FROM "EngineState" WHERE "key" = ${key}`;
      let current: unknown;
      if (head[0] && cached?.rev === head[0].rev) current = cached.state;
      else if (head[0])
        current = (await tx.engineState.findUnique({ where: { key }, select: { state: true } }))?.state ?? undefined;
      const { state, result } = await fn(current, tx);
      if (state === undefined) return result;
      const written = await tx.$queryRaw<Array<{ rev: string }>>`
      INSERT INTO "EngineState" ("key", "state", "updatedAt") VALUES (${key}, ${JSON.stringify(state)}::jsonb, now())
      ON CONFLICT ("key") DO UPDATE SET "state" = EXCLUDED."state", "updatedAt" = EXCLUDED."updatedAt"
      RETURNING xmin::text AS rev`;
      committed = { rev: written[0]!.rev, state };
      return result;
    },
    { timeout: options.timeoutMs ?? 60_000, maxWait: options.timeoutMs ?? 60_000 },
  );
  if (committed) engineStateCache.set(key, committed);
  return result;
}

/** An issue as the clustering engine sees it, to mirror into the Issue table. */
export interface ClusteredIssue {
  clusterKey: string;
  title: string;
  keywords: string[];
  places: string[];
  category: string | null;
  hotness: number;
  /** Own times of the posts filed (a new issue starts with them; an existing one keeps its mentions' times). */
  firstSeenAt: Date;
  lastSeenAt: Date;
  level: IssueLevel;
  flaggedAt: Date | null;
}

/**
 * Creates or updates issues by cluster key in one statement; returns cluster key → issue id. A new issue takes
 * the given times, level and flag time; an existing one keeps its own times (its mentions' times, kept by
 * {@link addToIssueAggregates}) and level (flags change it through
 * {@link recordIssueFlag}, analysts by hand), and a title or category an analyst set (`lockedFields`) is kept
 * even if a correction commits while clustering runs. A merged issue is left as it is and its key is missing
 * from the result (the caller files its mentions where it was merged).
 */
export async function upsertClusteredIssues(
  handle: DbTx,
  issues: readonly ClusteredIssue[],
): Promise<Map<string, number>> {
  const db = prismaOf(handle);
  if (issues.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ id: number; clusterKey: string }>>`
    INSERT INTO "Issue" ("clusterKey", "title", "keywords", "places", "category", "hotness", "firstSeenAt", "lastSeenAt", "level", "flaggedAt", "updatedAt")
    SELECT v.key, v.title, ARRAY(SELECT jsonb_array_elements_text(v.keywords::jsonb)), ARRAY(SELECT jsonb_array_elements_text(v.places::jsonb)),
           v.category, v.hotness, v.first_seen, v.last_seen, v.level::"IssueLevel", v.flagged_at, now()
      FROM unnest(${issues.map((i) => i.clusterKey)}::text[], ${issues.map((i) => i.title)}::text[], ${issues.map((i) => JSON.stringify(i.keywords))}::text[],
                  ${issues.map((i) => JSON.stringify(i.places))}::text[], ${issues.map((i) => i.category)}::text[], ${issues.map((i) => i.hotness)}::float8[],
                  ${issues.map((i) => i.firstSeenAt)}::timestamp[], ${issues.map((i) => i.lastSeenAt)}::timestamp[], ${issues.map((i) => i.level)}::text[],
                  ${issues.map((i) => i.flaggedAt)}::timestamp[])
           AS v(key, title, keywords, places, category, hotness, first_seen, last_seen, level, flagged_at)
    ON CONFLICT ("clusterKey") DO UPDATE
       SET "title" = CASE WHEN 'title' = ANY("Issue"."lockedFields") THEN "Issue"."title" ELSE EXCLUDED."title" END,
           "keywords" = EXCLUDED."keywords", "places" = EXCLUDED."places",
           "category" = CASE WHEN 'category' = ANY("Issue"."lockedFields") THEN "Issue"."category" ELSE EXCLUDED."category" END,
           "hotness" = EXCLUDED."hotness", "updatedAt" = now()
     WHERE "Issue"."status" <> 'merged'
    RETURNING id, "clusterKey"`;
  return new Map(rows.map((r) => [r.clusterKey, r.id]));
}

/** Files mentions under issues (and marks reposts) in one statement. */
export async function assignMentionsToIssues(
  handle: DbTx,
  rows: readonly { mentionId: number; issueId: number; repostOfId?: number | null }[],
): Promise<void> {
  const db = prismaOf(handle);
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
export async function refreshIssueAggregates(handle: DbTx, issueIds: readonly number[]): Promise<void> {
  const db = prismaOf(handle);
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

/**
 * Adds newly filed mentions to their issues' aggregates (count, sentiment mix, first/last seen) in one statement,
 * without rescanning the issues' earlier mentions: a hot issue's ten-thousandth mention costs what its first did.
 * Only for mentions filed for the first time (the analysis worker's case); re-filing (merge, split) uses
 * {@link refreshIssueAggregates}.
 */
export async function addToIssueAggregates(
  handle: DbTx,
  filed: readonly { issueId: number; sentiment: string | null; at: Date }[],
): Promise<void> {
  const db = prismaOf(handle);
  if (filed.length === 0) return;
  await db.$executeRaw`
    UPDATE "Issue" AS i
       SET "mentionCount" = i."mentionCount" + d.n,
           "sentimentMix" = jsonb_build_object(
             'negative', COALESCE((i."sentimentMix"->>'negative')::int, 0) + d.neg,
             'neutral', COALESCE((i."sentimentMix"->>'neutral')::int, 0) + d.n - d.neg - d.pos,
             'positive', COALESCE((i."sentimentMix"->>'positive')::int, 0) + d.pos),
           "firstSeenAt" = LEAST(i."firstSeenAt", d.first),
           "lastSeenAt" = GREATEST(i."lastSeenAt", d.last)
      FROM (SELECT v.issue_id, count(*)::int AS n,
                   (count(*) FILTER (WHERE v.sentiment = 'negative'))::int AS neg,
                   (count(*) FILTER (WHERE v.sentiment = 'positive'))::int AS pos,
                   min(v.at) AS first, max(v.at) AS last
              FROM unnest(${filed.map((f) => f.issueId)}::int[], ${filed.map((f) => f.sentiment)}::text[], ${filed.map((f) => f.at)}::timestamp[])
                   AS v(issue_id, sentiment, at)
             GROUP BY v.issue_id) AS d
     WHERE i.id = d.issue_id`;
}

/** Mention ids among `ids` that already have an analysis (a retried job skips them). */
export async function analysedMentionIds(handle: DbTx, ids: readonly number[]): Promise<Set<number>> {
  const db = prismaOf(handle);
  const rows = await db.analysis.findMany({
    where: { mentionId: { in: [...ids] } },
    select: { mentionId: true },
    distinct: ['mentionId'],
  });
  return new Set(rows.map((r) => r.mentionId));
}

/**
 * Appends hotness history points; volume and negativity are taken from the issue's current aggregates
 * (call {@link refreshIssueAggregates} first).
 */
export async function appendIssueHotness(
  handle: DbTx,
  rows: readonly { issueId: number; at: Date; hotness: number; velocity: number; engagement: number }[],
): Promise<void> {
  const db = prismaOf(handle);
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
export async function recordIssueFlag(
  handle: DbTx,
  input: { issueId: number; level: Exclude<IssueLevel, 'none'>; reason: string; at: Date; deadlineAt: Date },
) {
  const db = prismaOf(handle);
  const flag = await db.issueFlag.create({
    data: { issueId: input.issueId, level: input.level, reason: input.reason, createdAt: input.at },
  });
  await db.issue.update({
    where: { id: input.issueId },
    data: {
      level: input.level,
      flaggedAt: input.at,
      deadlineAt: input.deadlineAt,
      ...(isEscalationReason(input.reason) ? { escalatedAt: input.at } : {}),
    },
  });
  return flag;
}

// ───────────── models and analysts' labels ─────────────

/** The promoted model of a task, if any. */
export async function getPromotedModel(handle: DbTx, task: string) {
  const db = prismaOf(handle);
  return db.modelVersion.findFirst({ where: { task, promoted: true }, orderBy: { id: 'desc' } });
}

/** Stores a trained model; with `promote`, it becomes the only promoted version of its task. */
export async function saveModelVersion(
  handle: Db,
  input: {
    task: string;
    version: string;
    data: Buffer;
    metrics: Record<string, unknown>;
    trainedOn: number;
    promote: boolean;
  },
) {
  return transaction(handle, async (tx) => {
    if (input.promote)
      await tx.modelVersion.updateMany({ where: { task: input.task, promoted: true }, data: { promoted: false } });
    return tx.modelVersion.create({
      data: {
        task: input.task,
        version: input.version,
        data: new Uint8Array(input.data),
        metrics: input.metrics as Prisma.InputJsonValue,
        trainedOn: input.trainedOn,
        promoted: input.promote,
      },
    });
  });
}

/** Retrain history: every stored model version (without its weights), newest first. */
export async function listModelVersions(handle: DbTx, options: { limit?: number } = {}) {
  const db = prismaOf(handle);
  return db.modelVersion.findMany({
    orderBy: { id: 'desc' },
    take: options.limit ?? 200,
    select: { id: true, task: true, version: true, metrics: true, trainedOn: true, promoted: true, createdAt: true },
  });
}

/**
 * Makes a stored version the one in use for its task (promote, or roll back to an older one); undefined when no
 * such version exists.
 */
export async function promoteModelVersion(handle: Db, id: number) {
  return transaction(handle, async (tx) => {
    const target = await tx.modelVersion.findUnique({ where: { id }, select: { id: true, task: true } });
    if (!target) return undefined;
    await tx.modelVersion.updateMany({ where: { task: target.task, promoted: true }, data: { promoted: false } });
    return tx.modelVersion.update({
      where: { id },
      data: { promoted: true },
      select: { id: true, task: true, version: true, promoted: true },
    });
  });
}

/** Rolls a task back to the shipped default model: no stored version stays promoted. Returns how many were. */
export async function rollBackToDefaultModel(handle: DbTx, task: string): Promise<number> {
  const db = prismaOf(handle);
  const { count } = await db.modelVersion.updateMany({ where: { task, promoted: true }, data: { promoted: false } });
  return count;
}

/** Analysts' corrections as training data: how many per task and label, and when the last came. */
export async function analystLabelCounts(handle: DbTx) {
  const db = prismaOf(handle);
  const rows = await db.analystLabel.groupBy({
    by: ['task', 'label'],
    _count: { _all: true },
    _max: { createdAt: true },
    orderBy: [{ task: 'asc' }, { label: 'asc' }],
  });
  return rows.map((r) => ({ task: r.task, label: r.label, count: r._count._all, lastAt: r._max.createdAt }));
}

/** Version numbers used so far for a task (to pick the next). */
export async function countModelVersions(handle: DbTx, task: string): Promise<number> {
  const db = prismaOf(handle);
  return db.modelVersion.count({ where: { task } });
}

/** Analysts' labels of a task, oldest first (the text is the mention's title and body at labelling time). */
export async function listAnalystLabels(handle: DbTx, task: string, options: { limit?: number } = {}) {
  const db = prismaOf(handle);
  return db.analystLabel.findMany({
    where: { task },
    orderBy: { id: 'asc' },
    take: options.limit ?? 100_000,
    select: { id: true, text: true, label: true, createdAt: true },
  });
}
