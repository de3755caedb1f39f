import type { AnalysisResult, MentionForAnalysis } from '@yuqing/db';
import {
  forcedSubcategory,
  NEGATIVE,
  prepareText,
  prepareTexts,
  RELEVANT,
  type PreparedText,
  type Prediction,
} from '@yuqing/nlp';
import { segmentedSearchTokens } from '@yuqing/domain';
import type { AnalysisTask, LoadedModel } from './model-cache.ts';

/** Long articles are classified on their opening: the topic is stated early and the cost stays bounded. */
const CLASSIFY_MAX_CHARS = 3000;
/** Tokens of the whole text kept for full-text search. */
const SEARCH_MAX_CHARS = 20_000;
/** Mentions cut by jieba in one call and then scored, before the next chunk (keeps dictionary and weights in cache). */
const CLASSIFY_CHUNK_MENTIONS = 64;
/** Relevance score from which a mention counts as relevant (hot-list entries are judged by the same line). */
export const RELEVANCE_THRESHOLD = 0.5;
const NEGATIVE_THRESHOLD = 0.5;

/** The text a mention is judged by: title, then body. */
export function mentionText(mention: Pick<MentionForAnalysis, 'title' | 'body'>): string {
  return mention.title && !mention.body.startsWith(mention.title)
    ? `${mention.title}\n${mention.body}`
    : mention.body || mention.title;
}

/**
 * Classifies one mention with the three task models: relevance to HR & social security, HR sub-category
 * (only for relevant mentions) and negativity. Each decision keeps the tokens that drove it.
 */
export function classifyMention(
  mention: MentionForAnalysis,
  models: Record<AnalysisTask, LoadedModel>,
): AnalysisResult & { negativity: number } {
  const full = mentionText(mention);
  return classifyPrepared(mention, full, prepareText(full.slice(0, CLASSIFY_MAX_CHARS)), models);
}

/**
 * {@link classifyMention} for many mentions: jieba cuts a chunk of them in one native call (cheaper for short
 * posts), then the chunk is scored. Same results as one at a time.
 */
export function classifyMentions(
  mentions: readonly MentionForAnalysis[],
  models: Record<AnalysisTask, LoadedModel>,
  /** Called with each mention's result and the jieba cut it was judged on (clustering reuses the cut). */
  each?: (result: AnalysisResult & { negativity: number }, prepared: PreparedText, index: number) => void,
): Array<AnalysisResult & { negativity: number }> {
  const out: Array<AnalysisResult & { negativity: number }> = [];
  for (let i = 0; i < mentions.length; i += CLASSIFY_CHUNK_MENTIONS) {
    const chunk = mentions.slice(i, i + CLASSIFY_CHUNK_MENTIONS);
    const fulls = chunk.map(mentionText);
    const prepared = prepareTexts(fulls.map((f) => f.slice(0, CLASSIFY_MAX_CHARS)));
    chunk.forEach((m, k) => {
      const result = classifyPrepared(m, fulls[k]!, prepared[k]!, models);
      out.push(result);
      each?.(result, prepared[k]!, i + k);
    });
  }
  return out;
}

/** A prediction's reasons as pushing towards `label` (+) or away from it (−), for a two-label model. */
function towards(prediction: Prediction, label: string): [string, number][] {
  if (prediction.label === label) return prediction.top;
  return prediction.top.map(([name, value]) => [name, -value]);
}

/** One jieba pass serves all three models. */
function classifyPrepared(
  mention: MentionForAnalysis,
  full: string,
  text: PreparedText,
  models: Record<AnalysisTask, LoadedModel>,
): AnalysisResult & { negativity: number } {
  const relevancePrediction = models.relevance.classifier.predict(text);
  const relevance = relevancePrediction.scores[RELEVANT] ?? 0;
  const relevant = relevance >= RELEVANCE_THRESHOLD;
  const sentimentPrediction = models.sentiment.classifier.predict(text);
  const negativity = sentimentPrediction.scores[NEGATIVE] ?? 0;
  const subPrediction = relevant ? models.subcategory.classifier.predict(text) : undefined;
  // A keyword rule for a class too rare to learn (社保基金管理, 4 of 400 dev letters) overrides the model when the
  // model knows that label; the model's own score and reasons are kept beside it.
  const forced = subPrediction ? forcedSubcategory(full) : undefined;
  const subLabel = forced && models.subcategory.classifier.labels.includes(forced) ? forced : subPrediction?.label;
  // Reasons are stored pointing one way per task (towards 相关, towards 负面): then an issue page can add them up
  // over its mentions and show each word's direction, whichever label each mention got.
  const explanation: Record<string, [string, number][]> = {
    relevance: towards(relevancePrediction, RELEVANT),
    sentiment: towards(sentimentPrediction, NEGATIVE),
    ...(subPrediction ? { category: subPrediction.top } : {}),
  };
  return {
    mentionId: mention.id,
    modelVersion: [models.relevance.version, models.subcategory.version, models.sentiment.version].join(' '),
    relevance,
    relevant,
    category: subLabel ?? null,
    categoryScore: subPrediction?.score ?? null,
    subcategory: subLabel ?? null,
    sentiment: negativity >= NEGATIVE_THRESHOLD ? 'negative' : 'neutral',
    sentimentScore: negativity,
    explanation,
    searchTokens: searchTokensOf(full, text.tokens),
    negativity,
  };
}

/** Search tokens of an analysed mention (rule in @yuqing/domain); the classifier's cut is reused when it covers the whole text. */
function searchTokensOf(full: string, classifiedTokens: readonly string[]): string {
  return segmentedSearchTokens(
    full.length <= CLASSIFY_MAX_CHARS ? classifiedTokens : prepareText(full.slice(0, SEARCH_MAX_CHARS)).tokens,
  );
}
