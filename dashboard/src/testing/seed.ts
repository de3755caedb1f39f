// Test fixtures. Mentions, analyses and hotness rows are written here directly because their repository
// functions belong to the crawler and analysis parts, which are built concurrently; issues go through
// @yuqing/db's issue repository.
import { sha256Hex } from '@yuqing/core';
import { attachMentionsToIssue, createIssue, type Db, type IssueLevel, type IssueStatus } from '@yuqing/db';

let counter = 0;

/** Search tokens as the crawler stores them before analysis (CJK bigrams, see search-query.ts). */
export function fallbackSearchTokens(text: string): string {
  const tokens: string[] = [];
  for (const run of text.normalize('NFKC').toLowerCase().match(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g) ?? []) {
    const chars = [...run];
    if (!/[a-z0-9]/.test(run[0]!)) {
      if (chars.length === 1) tokens.push(run);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(`${chars[i]}${chars[i + 1]}`);
    } else tokens.push(run);
  }
  return tokens.join(' ');
}

export async function seedSource(db: Db, input: { name?: string; url?: string; kind?: 'rss' | 'html' | 'json' | 'article' } = {}) {
  counter += 1;
  return db.source.create({ data: { name: input.name ?? `测试信源${counter}`, kind: input.kind ?? 'rss', url: input.url ?? `http://127.0.0.1:9/feed-${counter}.xml` } });
}

export interface SeedMention {
  title: string;
  body: string;
  sourceId?: number | null;
  url?: string;
  publishedAt?: Date;
  category?: string | null;
  sentiment?: 'negative' | 'neutral' | 'positive' | null;
  relevant?: boolean | null;
  issueId?: number | null;
  repostOfId?: number | null;
  contentHash?: string;
  likes?: number;
  /** Stored search tokens; default: the crawler's bigram scheme. Analysed mentions hold jieba tokens instead. */
  searchTokens?: string;
}

export async function seedMention(db: Db, m: SeedMention) {
  counter += 1;
  const url = m.url ?? `http://127.0.0.1:9/news/${counter}-${Math.random().toString(36).slice(2)}.html`;
  return db.mention.create({
    data: {
      sourceId: m.sourceId ?? null, url, canonicalUrl: url, urlHash: sha256Hex(url), contentHash: m.contentHash ?? sha256Hex(`${m.title}\n${m.body}\n${counter}`),
      title: m.title, body: m.body, publishedAt: m.publishedAt ?? new Date(), category: m.category ?? null, sentiment: m.sentiment ?? null,
      relevant: m.relevant ?? true, issueId: m.issueId ?? null, repostOfId: m.repostOfId ?? null, likes: m.likes ?? 0,
      searchTokens: m.searchTokens ?? fallbackSearchTokens(`${m.title} ${m.body}`),
    },
  });
}

/** An issue with the given mentions filed under it, plus one analysis per mention. */
export async function seedIssue(db: Db, input: { title: string; level?: IssueLevel; status?: IssueStatus; category?: string; keywords?: string[]; hotness?: number; deadlineAt?: Date | null; mentions: SeedMention[] }) {
  const now = new Date();
  const issue = await createIssue(db, { title: input.title, level: input.level ?? 'none', status: input.status ?? 'new', category: input.category ?? null, keywords: input.keywords ?? [], hotness: input.hotness ?? 10, firstSeenAt: now, lastSeenAt: now, deadlineAt: input.deadlineAt ?? null });
  const mentions = [];
  for (const m of input.mentions) {
    const created = await seedMention(db, { category: input.category ?? null, ...m });
    mentions.push(created);
    await db.analysis.create({
      data: {
        mentionId: created.id, modelVersion: 'test-1', relevance: 0.9, relevant: true, category: created.category, sentiment: created.sentiment,
        explanation: { relevance: [['社保', 1.2]], category: [['养老金', 2.5], ['退休', 1.1]], sentiment: [['拖欠', -1.8]] },
      },
    });
  }
  await attachMentionsToIssue(db, issue.id, mentions.map((m) => m.id));
  for (let i = 0; i < 5; i++) {
    await db.issueHotness.create({ data: { issueId: issue.id, at: new Date(now.getTime() - (5 - i) * 3600_000), hotness: 2 + i * 3, volume: i + 1, velocity: i, engagement: i * 2, negativity: 0.2 + i * 0.1 } });
  }
  return { issue, mentions };
}
