// The CPU part of analysis, shared by the classification threads and the main thread: no database, no threads.
import type { AnalysisResult, MentionForAnalysis } from '@yuqing/db';
import type { AnalysedMention } from '@yuqing/nlp';
import { clusteringFeatures } from './issue-clustering.ts';
import { classifyMentions } from './mention-classifier.ts';
import type { AnalysisTask, LoadedModel } from './model-cache.ts';

/** A mention's classification and, when relevant (or asked for every mention), its clustering features. */
export interface ClassifiedMention {
  result: AnalysisResult & { negativity: number };
  features: AnalysedMention | null;
}

/**
 * Classifies mentions and computes the relevant ones' clustering features (the CPU part of analysis), in order.
 * With `irrelevantCategory`, irrelevant mentions get features too, filed under that category (`yq detect` on an
 * export that is already about the bureau's matters).
 */
export function classifyAndFeature(
  mentions: readonly MentionForAnalysis[],
  models: Record<AnalysisTask, LoadedModel>,
  options: { irrelevantCategory?: string } = {},
): ClassifiedMention[] {
  const out: ClassifiedMention[] = [];
  classifyMentions(mentions, models, (result, prepared, i) => {
    // The classifier's cut serves clustering too: one jieba pass per mention (plus the HMM's recovery of names).
    const category = result.relevant ? (result.category ?? '其他') : options.irrelevantCategory;
    out.push({
      result,
      features: category === undefined ? null : clusteringFeatures(mentions[i]!, category, result.negativity, prepared),
    });
  });
  return out;
}
