// `yq detect`'s engine: replays a time-ordered stream through the analysis worker's own classification and
// clustering functions on a simulated clock, without a database. A backtest therefore files mentions under the
// same issues, with the same levels, as the worker would (test/detect-parity.test.ts checks it against a worker).
import { ManualClock } from '@yuqing/core';
import type { MentionForAnalysis } from '@yuqing/db';
import { highestLevel, type IssueLevel } from '@yuqing/domain';
import type { HotIssueEvent, HotIssueOptions } from '@yuqing/nlp';
import { ANALYSE_GROUP_MAX_MENTIONS } from './analysis-handlers.ts';
import { classifyAndFeature } from './classify-and-feature.ts';
import { clusterBatch, type ClusteringInput, type StoredClusteringState } from './issue-clustering.ts';
import type { AnalysisTask, LoadedModel } from './model-cache.ts';

/** One post of a replayed stream. */
export interface ReplayMention {
  /** The stream's own id (kept in the output). */
  id: string;
  text: string;
  title?: string;
  /** Publication time, epoch ms. */
  at: number;
  likes?: number;
  comments?: number;
  reposts?: number;
  /** Source kind or platform name (clustering weighs sources). */
  source?: string;
}

/** Options for {@link replayStream}. */
export interface ReplayOptions {
  /** The classifiers (the worker's ModelSet gives the same ones: promoted or shipped defaults). */
  models: Record<AnalysisTask, LoadedModel>;
  hotIssueOptions?: Partial<HotIssueOptions>;
  /**
   * Also cluster posts the relevance model calls irrelevant (as category 其他), e.g. a message-board export that is
   * already about the bureau's matters. The worker files relevant mentions only. @defaultValue false
   */
  includeIrrelevant?: boolean;
  /** Mentions analysed together, as a worker's group. @defaultValue the worker's group size (1,000) */
  groupSize?: number;
}

/** An issue as the replay ends it. */
export interface ReplayIssue {
  clusterKey: string;
  title: string;
  keywords: string[];
  places: string[];
  /** Stream ids of every member, in filing order. */
  mentionIds: string[];
  firstSeen: Date;
  lastSeen: Date;
  /** Highest level reached (a level only rises, as on the stored issue); `none` when never flagged. */
  level: IssueLevel;
  flaggedAt: Date | null;
  peakHotness: number;
}

/** What a replay produced. */
export interface ReplayOutcome {
  issues: ReplayIssue[];
  events: HotIssueEvent[];
  /** Posts the relevance model called irrelevant and that were therefore not clustered. */
  skippedIrrelevant: number;
}

/**
 * Classifies and clusters `stream` (sorted by time here; ties keep their order) in worker-sized groups, each
 * group on a clock at its newest post. Pure CPU.
 */
export function replayStream(stream: readonly ReplayMention[], options: ReplayOptions): ReplayOutcome {
  const ordered = stream.map((m, index) => ({ m, index })).sort((a, b) => a.m.at - b.m.at || a.index - b.index);
  const streamIdOf = new Map<number, string>();
  const mentions: MentionForAnalysis[] = ordered.map(({ m }, i) => {
    streamIdOf.set(i + 1, m.id);
    const at = new Date(m.at);
    return {
      id: i + 1,
      title: m.title ?? '',
      body: m.text,
      publishedAt: at,
      fetchedAt: at,
      likes: m.likes ?? 0,
      comments: m.comments ?? 0,
      reposts: m.reposts ?? 0,
      sourceName: null,
      sourceKind: m.source ?? null,
      sourceWeight: 1,
    };
  });
  const groupSize = options.groupSize ?? ANALYSE_GROUP_MAX_MENTIONS;
  const issues = new Map<string, ReplayIssue>();
  const events: HotIssueEvent[] = [];
  let state: StoredClusteringState | undefined;
  let skippedIrrelevant = 0;
  for (let start = 0; start < mentions.length; start += groupSize) {
    const group = mentions.slice(start, start + groupSize);
    const inputs: ClusteringInput[] = [];
    const classified = classifyAndFeature(
      group,
      options.models,
      options.includeIrrelevant ? { irrelevantCategory: '其他' } : {},
    );
    classified.forEach((c, i) => {
      if (c.features) inputs.push({ mention: group[i]!, features: c.features });
      else skippedIrrelevant++;
    });
    // The worker's wall clock only caps future-dated posts; in a replay "now" is the group's newest post.
    const clock = new ManualClock(group[group.length - 1]!.publishedAt!.getTime());
    const outcome = clusterBatch(state, inputs, clock, options.hotIssueOptions);
    state = outcome.state;
    events.push(...outcome.events);
    // As the worker stores them: a level only rises (each flag raises it), the first flag time stays.
    for (const issue of outcome.issues) {
      const known = issues.get(issue.clusterKey);
      if (!known) {
        issues.set(issue.clusterKey, {
          clusterKey: issue.clusterKey,
          title: issue.title,
          keywords: issue.keywords,
          places: issue.places,
          mentionIds: [],
          firstSeen: issue.firstSeenAt,
          lastSeen: issue.lastSeenAt,
          level: issue.level,
          flaggedAt: issue.flaggedAt,
          peakHotness: issue.hotness,
        });
        continue;
      }
      Object.assign(known, {
        title: issue.title,
        keywords: issue.keywords,
        places: issue.places,
        lastSeen: issue.lastSeenAt,
      });
      known.level = highestLevel([known.level, issue.level]);
      known.flaggedAt ??= issue.flaggedAt;
      known.peakHotness = Math.max(known.peakHotness, issue.hotness);
    }
    for (const [key, peak] of Object.entries(outcome.peakHotness)) {
      const issue = issues.get(key);
      if (issue) issue.peakHotness = Math.max(issue.peakHotness, peak);
    }
    // As the worker folds stored issues: the folded one's mentions go to the issue that holds them now.
    for (const fold of outcome.folds) {
      const from = issues.get(fold.from);
      const into = issues.get(fold.finalKey);
      if (!from || !into) continue;
      into.mentionIds.push(...from.mentionIds);
      if (from.firstSeen < into.firstSeen) into.firstSeen = from.firstSeen;
      issues.delete(fold.from);
    }
    for (const a of outcome.assignments) issues.get(a.clusterKey)?.mentionIds.push(streamIdOf.get(a.mentionId)!);
  }
  return { issues: [...issues.values()], events, skippedIrrelevant };
}
