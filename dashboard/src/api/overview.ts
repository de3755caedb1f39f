import { z } from 'zod';
import {
  frequentMentionTokens,
  hotIssueKeywords,
  hotIssues,
  issueLevelCounts,
  listOverdueResponses,
  listSourcesWithHealth,
  mentionVolumeByDay,
} from '@yuqing/db';
import { readableKeyphrase } from '@yuqing/nlp';
import { route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';
import type { DashboardContext } from '../context.ts';

/** Overview figures are cached this long: aggregates over a month of mentions should not run per page view. */
const OVERVIEW_CACHE_MS = 30_000;

async function computeOverview(ctx: DashboardContext, days: number) {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - days * 24 * 3600_000);
  const [volume, levels, hot, issueWords, sources, overdue] = await Promise.all([
    mentionVolumeByDay(ctx.db, { since, timeZone: ctx.config.timeZone }),
    issueLevelCounts(ctx.db),
    hotIssues(ctx.db, 10),
    hotIssueKeywords(ctx.db, 60),
    listSourcesWithHealth(ctx.db, now),
    listOverdueResponses(ctx.db, now),
  ]);
  // Issues carry keywords once clustering runs; before that, the cloud comes from recent mentions' tokens.
  const raw = issueWords.length >= 10 ? issueWords : await frequentMentionTokens(ctx.db, { limit: 60 });
  const words = cloudWords(raw);
  return {
    generatedAt: now.toISOString(),
    days,
    volume,
    levels,
    hotIssues: hot.map((i) => ({ ...i, overdue: i.deadlineAt !== null && i.deadlineAt < now })),
    words,
    sources: sources.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      enabled: s.enabled,
      lastRunAt: s.lastRunAt,
      lastStatus: s.lastStatus,
      lastError: s.lastError,
      blockedReason: s.blockedReason,
      failuresLast24h: s.failuresLast24h,
    })),
    overdueResponses: overdue.map((r) => ({ id: r.id, status: r.status, deadlineAt: r.deadlineAt, issue: r.issue })),
  };
}

/**
 * The word cloud without numbers, question words or fragments (1975, 何时, 哪年, 先交): each word as a readable
 * keyphrase, weights of words that read the same added up. Issues stored before keyphrases still carry raw words.
 */
function cloudWords(raw: readonly { word: string; weight: number }[]): { word: string; weight: number }[] {
  const merged = new Map<string, number>();
  for (const { word, weight } of raw) {
    const phrase = readableKeyphrase(word);
    if (phrase) merged.set(phrase, (merged.get(phrase) ?? 0) + weight);
  }
  return [...merged].map(([word, weight]) => ({ word, weight })).sort((a, b) => b.weight - a.weight);
}

/** 总览: volume and negativity by category over time, issues by level, word cloud, source health. */
export function overviewRoutes(): RouteSpec[] {
  const cache = new Map<number, { at: number; value: Promise<Awaited<ReturnType<typeof computeOverview>>> }>();
  return [
    route({
      method: 'get',
      path: '/overview',
      tag: 'overview',
      roles: ROLES.read,
      query: z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }),
      summary: 'Overview figures (cached 30 s).',
      handler: async ({ ctx, query }) => {
        const now = Date.now();
        const hit = cache.get(query.days);
        if (hit && now - hit.at < OVERVIEW_CACHE_MS) return hit.value;
        const value = computeOverview(ctx, query.days);
        cache.set(query.days, { at: now, value });
        value.catch(() => cache.delete(query.days));
        return value;
      },
    }),
  ];
}
