// Test fixtures, written through @yuqing/db's repository functions the way the pipeline writes them: the
// crawler's insert, the analysis worker's saveAnalyses/assignment/hotness, the issue repository.
import { sha256Hex } from '@yuqing/core';
import { fallbackSearchTokens } from '@yuqing/domain';
import { mentionInsertFixture } from './mention-insert.ts';
import {
  appendIssueHotness,
  assignMentionsToIssues,
  attachMentionsToIssue,
  createIssue,
  createSource,
  insertMentions,
  saveAnalyses,
  type Db,
  type IssueLevel,
  type IssueStatus,
  type MentionInsert,
} from '@yuqing/db';

let counter = 0;

/** Model version recorded on seeded analyses. */
const SEED_MODEL_VERSION = 'test-1';
/** Classification evidence seeded analyses carry (the issue page shows the tokens that drove a decision). */
const SEED_EXPLANATION: Record<string, [string, number][]> = {
  relevance: [['社保', 1.2]],
  category: [
    ['养老金', 2.5],
    ['退休', 1.1],
  ],
  sentiment: [['拖欠', -1.8]],
};
/** Hotness samples seeded per issue, one an hour up to now. */
const SEED_HOTNESS_POINTS = 5;

/** A source with the schema's defaults (every 30 minutes, enabled, robots respected). */
export async function seedSource(
  db: Db,
  input: { name?: string; url?: string; kind?: 'rss' | 'html' | 'json' | 'article' } = {},
) {
  counter += 1;
  return createSource(db, {
    name: input.name ?? `测试信源${counter}`,
    kind: input.kind ?? 'rss',
    url: input.url ?? `http://127.0.0.1:9/feed-${counter}.xml`,
  });
}

export interface SeedMention {
  title: string;
  body: string;
  sourceId?: number | null;
  url?: string;
  publishedAt?: Date;
  /** With a category or sentiment the mention is analysed (an Analysis row, as the worker writes it). */
  category?: string | null;
  sentiment?: 'negative' | 'neutral' | 'positive' | null;
  relevant?: boolean;
  issueId?: number | null;
  repostOfId?: number | null;
  contentHash?: string;
  likes?: number;
  /** Stored search tokens; default: the crawler's bigram scheme. Analysed mentions hold jieba tokens instead. */
  searchTokens?: string;
}

/**
 * A mention as ingest stores it; analysed (`analysed`, or a category/sentiment given) and filed under an issue
 * when asked. Returns the stored row.
 */
export async function seedMention(
  db: Db,
  m: SeedMention,
  options: { analysed?: boolean } = {},
): Promise<SeededMention> {
  counter += 1;
  const url = m.url ?? `http://127.0.0.1:9/news/${counter}-${Math.random().toString(36).slice(2)}.html`;
  const relevant = m.relevant ?? true;
  const searchTokens = m.searchTokens ?? fallbackSearchTokens(`${m.title} ${m.body}`);
  const row = mentionInsertFixture({
    sourceId: m.sourceId ?? null,
    url,
    contentHash: m.contentHash ?? sha256Hex(`${m.title}\n${m.body}\n${counter}`),
    title: m.title,
    body: m.body,
    publishedAt: m.publishedAt ?? new Date(),
    likes: m.likes ?? 0,
    searchTokens,
    relevant,
  });
  const [created] = await insertMentions(db, [row]);
  if (!created)
    throw new Error(
      `seedMention: "${m.title}" collides with a stored mention (same URL, or same source and content hash)`,
    );
  const category = m.category ?? null;
  const sentiment = m.sentiment ?? null;
  if (options.analysed || category !== null || sentiment !== null) {
    await saveAnalyses(db, [
      {
        mentionId: created.id,
        modelVersion: SEED_MODEL_VERSION,
        relevance: relevant ? 0.9 : 0.1,
        relevant,
        category,
        categoryScore: category ? 0.8 : null,
        subcategory: null,
        sentiment,
        sentimentScore: sentiment ? 0.8 : null,
        explanation: SEED_EXPLANATION,
        searchTokens,
      },
    ]);
  }
  if (m.issueId)
    await assignMentionsToIssues(db, [{ mentionId: created.id, issueId: m.issueId, repostOfId: m.repostOfId ?? null }]);
  return {
    ...row,
    id: created.id,
    category,
    sentiment,
    issueId: m.issueId ?? null,
    repostOfId: m.issueId ? (m.repostOfId ?? null) : null,
  };
}

/** What {@link seedMention} stored. */
export type SeededMention = MentionInsert & {
  id: number;
  category: string | null;
  sentiment: string | null;
  issueId: number | null;
  repostOfId: number | null;
};

/**
 * An issue with the given mentions (each analysed) filed under it, and hourly hotness samples rising to
 * `hotness` (volume and negativity follow the issue's aggregates, as the analysis worker records them).
 */
export async function seedIssue(
  db: Db,
  input: {
    title: string;
    level?: IssueLevel;
    status?: IssueStatus;
    category?: string;
    keywords?: string[];
    hotness?: number;
    deadlineAt?: Date | null;
    mentions: SeedMention[];
  },
) {
  const now = new Date();
  const hotness = input.hotness ?? 10;
  const issue = await createIssue(db, {
    title: input.title,
    level: input.level ?? 'none',
    status: input.status ?? 'new',
    category: input.category ?? null,
    keywords: input.keywords ?? [],
    hotness,
    firstSeenAt: now,
    lastSeenAt: now,
    deadlineAt: input.deadlineAt ?? null,
  });
  const mentions: SeededMention[] = [];
  for (const m of input.mentions)
    mentions.push(await seedMention(db, { category: input.category ?? null, ...m }, { analysed: true }));
  await attachMentionsToIssue(
    db,
    issue.id,
    mentions.map((m) => m.id),
  );
  await appendIssueHotness(
    db,
    Array.from({ length: SEED_HOTNESS_POINTS }, (_, i) => ({
      issueId: issue.id,
      at: new Date(now.getTime() - (SEED_HOTNESS_POINTS - i) * 3600_000),
      hotness: (hotness * (i + 1)) / SEED_HOTNESS_POINTS,
      velocity: i,
      engagement: i * 2,
    })),
  );
  return { issue, mentions };
}
