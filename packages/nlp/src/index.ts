export { normaliseText } from './text-normalise.ts';
export {
  tokenise,
  segment,
  segmentBatch,
  extractKeywords,
  extractPlaceNames,
  isPunctuation,
  type TokeniseOptions,
  type Keyword,
} from './tokeniser.ts';
export {
  getJieba,
  configureJieba,
  jiebaDictionary,
  COMPACT_DICT_MIN_FREQ,
  HR_USER_DICT_PATH,
  type JiebaOptions,
} from './jieba.ts';
export { getStopwords, parseStopwords, STOPWORDS_PATH } from './stopwords.ts';
export { parseCsv, parseCsvRecords, csvField } from './csv.ts';
export { parseRecords, toLabelledTexts, readLabelledFile, stratifiedSplit, type ColumnSpec } from './labelled-data.ts';
export {
  DEFAULT_FEATURE_CONFIG,
  FeatureHasher,
  prepareText,
  prepareTexts,
  type FeatureConfig,
  type PreparedText,
  type SparseVector,
} from './feature-hashing.ts';
export { TextClassifier, DEFAULT_EXPLAIN_FEATURES, type Prediction } from './text-classifier.ts';
export {
  seededRandom,
  SHORT_TEXT_CHARS,
  type LabelledText,
  type TrainOptions,
  type TrainingInfo,
} from './classifier-training.ts';
export { DEFAULT_NEIGHBOURS, NEIGHBOUR_EXPLANATION, type ExampleMemory } from './neighbour-index.ts';
export { evaluatePredictions, binaryF1, formatReport, type ClassMetrics, type EvaluationReport } from './metrics.ts';
export {
  serialiseModel,
  deserialiseModel,
  readModelFile,
  readModelVersion,
  writeModelFile,
  shouldPromote,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFile,
  type VersionedModel,
} from './model-file.ts';
export {
  getDefaultModel,
  defaultTrainingExamples,
  taxonomyTrainingExamples,
  parseDefaultModelRef,
  readShippedModel,
  readShippedModelCard,
  SHIPPED_MODELS_DIR,
  DEFAULT_MODEL_NAMES,
  RELEVANT,
  IRRELEVANT,
  NEGATIVE,
  NON_NEGATIVE,
  type DefaultModelName,
} from './default-models.ts';
export {
  crossValidateSubcategory,
  subcategoryRule,
  forcedSubcategory,
  trustedRuleClasses,
  SUBCATEGORY_CV_FOLDS,
  type SubcategoryCrossValidation,
} from './subcategory-training.ts';
export { loadModel } from './model-registry.ts';
export { readableKeyphrase, issueKeyphrases } from './issue-keyphrases.ts';
export {
  leakFreeSplit,
  NEAR_DUPLICATE_CONTAINMENT,
  type LeakFreeSplit,
  type LeakFreeSplitOptions,
} from './leak-free-split.ts';
export {
  readSharedTrainingData,
  weakSentiment,
  dedupeKey,
  HR_TOPIC,
  NEGATIVE_EMOTIONS,
  NEWS_TITLES_HELD_BACK,
  type SharedTrainingData,
  type TaxonomyRow,
  type TeddyMessage,
} from './default-model-data.ts';
export {
  buildDefaultModel,
  buildDefaultModels,
  formatModelCard,
  type ModelCard,
  type BuiltDefaultModel,
} from './default-model-build.ts';
export {
  simHash,
  textSimHash,
  hammingDistance,
  simHashToHex,
  simHashFromHex,
  charShingles,
  type SimHash,
} from './simhash.ts';
export {
  ALERT_LEVELS,
  DEFAULT_HOT_ISSUE_OPTIONS,
  resolveHotIssueOptions,
  type AlertLevel,
  type LevelThreshold,
  type HotIssueOptions,
} from './hot-issue-config.ts';
export { HotIssueEngine, type IngestResult, type IssueFold } from './hot-issue-engine.ts';
export {
  isFoldable,
  foldDirection,
  foldIssueInto,
  siblingSimilarity,
  centroidCosine,
  sharedPlace,
} from './issue-merging.ts';
export {
  HOT_ISSUE_STATE_VERSION,
  MemoryHotIssueStore,
  type AnalysedMention,
  type AnalystDecision,
  type IssueState,
  type HotIssueState,
  type HotIssueStore,
  type HotnessPoint,
} from './hot-issue-state.ts';
export { type HotIssueEvent } from './burst-detector.ts';
export {
  analyseMention,
  canonicalPlace,
  type MentionInput,
  type MentionLabels,
  type PreCutText,
} from './mention-analysis.ts';
export { parseSourceTime } from './stream-time.ts';
export {
  ReplyIndex,
  PlainBm25,
  rankOf,
  topIndexes,
  type ReplyField,
  type ReplyIndexDoc,
  type ReplyIndexOptions,
  type ReplyMatch,
  type ReplyQuery,
} from './reply-similarity.ts';
