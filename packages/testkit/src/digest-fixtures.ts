// Direct inserts for tests of the digest: rows as the analysis and response stages would write them, without
// those stages' rules, in plain SQL.
import { randomUUID } from 'node:crypto';
import type { IssueLevel, IssueStatus, ResponseStatus } from '@yuqing/db';
import { urlOf, withClient, type SqlTarget } from './test-database.ts';

type Row = Record<string, unknown> & { id: number };

/** INSERTs one row (columns named as in the schema) and returns it. */
async function insertRow(target: SqlTarget, table: string, values: Record<string, unknown>): Promise<Row> {
  const columns = Object.keys(values);
  const params = columns.map((c) => {
    const v = values[c];
    // Prisma keeps UTC in `timestamp` columns; an ISO string with Z stores the same wall time.
    if (v instanceof Date) return v.toISOString();
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return JSON.stringify(v);
    return v;
  });
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`;
  return withClient(urlOf(target), async (client) => (await client.query<Row>(sql, params)).rows[0]!);
}

/** Direct inserts for digest tests; each returns the stored row. */
export const digestFixtures = {
  /** One mention; hashes are random so calls never collide. */
  async mention(
    target: SqlTarget,
    input: {
      title: string;
      body?: string;
      publishedAt?: Date | null;
      createdAt?: Date;
      relevant?: boolean | null;
      category?: string | null;
      sentiment?: string | null;
      issueId?: number | null;
      author?: string | null;
      likes?: number;
      reposts?: number;
    },
  ) {
    const key = randomUUID();
    const url = `https://fixture.invalid/m/${key}`;
    return insertRow(target, 'Mention', {
      url,
      canonicalUrl: url,
      urlHash: key,
      contentHash: key,
      title: input.title,
      body: input.body ?? input.title,
      publishedAt: input.publishedAt ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt, fetchedAt: input.createdAt } : {}),
      relevant: input.relevant ?? null,
      category: input.category ?? null,
      sentiment: input.sentiment ?? null,
      issueId: input.issueId ?? null,
      author: input.author ?? null,
      likes: input.likes ?? 0,
      reposts: input.reposts ?? 0,
    });
  },
  /** One issue. */
  async issue(
    target: SqlTarget,
    input: {
      title: string;
      category?: string | null;
      level?: IssueLevel;
      status?: IssueStatus;
      hotness?: number;
      mentionCount?: number;
      firstSeenAt: Date;
      lastSeenAt?: Date;
      flaggedAt?: Date | null;
      deadlineAt?: Date | null;
      keywords?: string[];
      places?: string[];
      sentimentMix?: Record<string, number>;
    },
  ) {
    return insertRow(target, 'Issue', {
      title: input.title,
      category: input.category ?? null,
      level: input.level ?? 'none',
      status: input.status ?? 'new',
      hotness: input.hotness ?? 0,
      mentionCount: input.mentionCount ?? 0,
      firstSeenAt: input.firstSeenAt,
      lastSeenAt: input.lastSeenAt ?? input.firstSeenAt,
      flaggedAt: input.flaggedAt ?? null,
      deadlineAt: input.deadlineAt ?? null,
      keywords: input.keywords ?? [],
      places: input.places ?? [],
      sentimentMix: input.sentimentMix ?? {},
      updatedAt: new Date(),
    });
  },
  /** A hot-issue flag raised at `createdAt`. */
  async flag(target: SqlTarget, input: { issueId: number; level: IssueLevel; reason: string; createdAt: Date }) {
    return insertRow(target, 'IssueFlag', input);
  },
  /** A hotness snapshot. */
  async hotness(
    target: SqlTarget,
    input: {
      issueId: number;
      at: Date;
      hotness: number;
      volume?: number;
      velocity?: number;
      engagement?: number;
      negativity?: number;
    },
  ) {
    return insertRow(target, 'IssueHotness', { volume: 0, velocity: 0, engagement: 0, negativity: 0, ...input });
  },
  /** A response (with its first version) by `authorId`. */
  async response(
    target: SqlTarget,
    input: {
      issueId: number;
      authorId: number;
      status?: ResponseStatus;
      body?: string;
      deadlineAt?: Date | null;
      createdAt?: Date;
      publishedAt?: Date | null;
    },
  ) {
    const response = await insertRow(target, 'Response', {
      issueId: input.issueId,
      authorId: input.authorId,
      status: input.status ?? 'draft',
      deadlineAt: input.deadlineAt ?? null,
      publishedAt: input.publishedAt ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
      updatedAt: new Date(),
    });
    await insertRow(target, 'ResponseVersion', {
      responseId: response.id,
      version: 1,
      body: input.body ?? '（回应口径）',
      authorId: input.authorId,
    });
    return response;
  },
  /** A publication of a response on one channel. */
  async publish(
    target: SqlTarget,
    input: { responseId: number; channel: string; url?: string | null; publishedAt: Date; publishedById: number },
  ) {
    return insertRow(target, 'PublishRecord', { ...input, url: input.url ?? null });
  },
  /** A leader's decision on a response version. */
  async approval(
    target: SqlTarget,
    input: {
      responseId: number;
      version: number;
      decision: 'approved' | 'returned';
      deciderId: number;
      createdAt: Date;
      comment?: string;
    },
  ) {
    return insertRow(target, 'Approval', { ...input, comment: input.comment ?? null });
  },
  /** A Q&A or explainer attached to a response. */
  async material(
    target: SqlTarget,
    input: { responseId: number; issueId: number; kind: 'qa' | 'explainer'; title: string; createdById: number },
  ) {
    return insertRow(target, 'InterpretationMaterial', {
      ...input,
      ...(input.kind === 'qa' ? { question: input.title, answer: '（答）' } : { text: '（解读）' }),
    });
  },
};
