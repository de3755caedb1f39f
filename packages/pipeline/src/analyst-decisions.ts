// Analysts' decisions in the clustering engine's terms, and where a merged issue's mentions go.
import type { IssueLevel, StoredAnalystDecision } from '@yuqing/db';
import { isFieldLocked } from '@yuqing/domain';
import type { AlertLevel, AnalystDecision } from '@yuqing/nlp';

/** Database levels → engine levels (none: not flagged). */
const ENGINE_LEVEL_OF: Record<IssueLevel, AlertLevel | null> = {
  none: null,
  general: '一般',
  major: '较大',
  severe: '重大',
};

/**
 * The stored decisions as the engine applies them ({@link HotIssueEngine.applyAnalystDecisions}): locked
 * fields with their values, the resolution time of a resolved issue, the cluster key a merged issue went into,
 * and whether people have acted on the issue (then clustering never folds it into a sibling).
 */
export function engineDecisions(stored: readonly StoredAnalystDecision[]): AnalystDecision[] {
  return stored.map((d) => ({
    issueId: d.clusterKey,
    ...(isFieldLocked(d.lockedFields, 'title') ? { title: d.title } : {}),
    ...(isFieldLocked(d.lockedFields, 'category') && d.category !== null ? { category: d.category } : {}),
    ...(isFieldLocked(d.lockedFields, 'level') ? { level: ENGINE_LEVEL_OF[d.level] } : {}),
    ...(d.status === 'resolved' && d.resolvedAt ? { resolvedAt: d.resolvedAt.getTime() } : {}),
    ...(d.status === 'merged' && d.mergedIntoKey !== null ? { mergedInto: d.mergedIntoKey } : {}),
    ...(d.held ? { held: true } : {}),
  }));
}

/** Cluster key of a merged issue → the issue that holds its mentions now: later mentions are filed there. */
export function mergeRedirects(stored: readonly StoredAnalystDecision[]): Map<string, number> {
  return new Map(
    stored.flatMap((d) => (d.status === 'merged' && d.mergedIntoId !== null ? [[d.clusterKey, d.mergedIntoId]] : [])),
  );
}
