// @yuqing/pipeline: what happens to a mention after a crawler finds it — store (normalise, monitoring schemes,
// dedupe), classify, file under an issue, raise hot-issue flags — plus the job handlers and schedules that run
// those stages, and `replayStream` (`yq detect`), which runs the same stages on a simulated clock.
export { createStageHandlers, installSchedules, ENGINE_TICK_MS, type StageDeps } from './stage-wiring.ts';
export {
  createCrawlHandlers,
  crawlStoredSource,
  enqueueCrawls,
  CRAWL_LEASE_MS,
  type CrawlHandlersOptions,
  type CrawlJobOutcome,
  type CrawlStoredSourceOptions,
} from './crawl-stage.ts';
export type { RunLease } from './run-lease.ts';
export { createQueueSink, createDirectSink } from './crawl-sinks.ts';
export { ingestMentions, type IngestResult, type IngestOptions } from './ingest.ts';
export { modelHotListRelevance, defaultHotListRelevance, type HotListRelevance } from './hot-list-relevance.ts';
export { normaliseMention, contentHash, hrKeywordMark, type NormalisedMention } from './mention-normalise.ts';
export { upsertSources, loadSourceFile } from './source-seed.ts';
export {
  createAnalysisHandlers,
  analyseMentions,
  advanceEngine,
  CLUSTERING_STATE_KEY,
  type AdvanceEngineResult,
  type AnalysisDeps,
  type AnalyseBatchResult,
} from './analysis-handlers.ts';
export {
  ModelSet,
  ModelCache,
  loadModelFromSpec,
  shippedModelSpec,
  shippedModelSpecs,
  ANALYSIS_TASKS,
  type AnalysisTask,
  type LoadedModel,
  type ModelSpec,
} from './model-set.ts';
export { classifyMention, classifyMentions, mentionText } from './mention-classifier.ts';
export { clusterBatch, LEVEL_OF, type StoredClusteringState, type ClusteringOutcome } from './issue-clustering.ts';
export { retrainModels, MIN_LABELS_TO_RETRAIN, type RetrainOutcome } from './retrain.ts';
export { ClassificationPool, type ClassificationPoolOptions } from './classification-pool.ts';
export { classifyAndFeature, type ClassifiedMention } from './classify-and-feature.ts';
export {
  replayStream,
  type ReplayMention,
  type ReplayOptions,
  type ReplayIssue,
  type ReplayOutcome,
} from './stream-replay.ts';
export {
  importReplyArchive,
  parseReplyColumns,
  ReplyLibrary,
  REPLY_IMPORT_FIELDS,
  MAX_REPLY_CHARS,
  type ReplyColumnMap,
  type ReplyImportField,
  type ReplyImportSummary,
  type SimilarReply,
} from './reply-library.ts';
export {
  readPolicyDocument,
  detectPolicyDocumentType,
  policyTitle,
  MAX_POLICY_DOCUMENT_BYTES,
  POLICY_DOCUMENT_TYPES_TEXT,
  type PolicyDocumentType,
} from './policy-document.ts';
export {
  assessPolicyDocument,
  clauseKeyTerms,
  keyTermTokenSets,
  MAX_POLICY_CLAUSES,
  POLICY_EVIDENCE_DAYS,
  type AssessPolicyOptions,
  type PolicyAssessmentResult,
} from './policy-assessment.ts';
export {
  importMediaCrawler,
  importColumns,
  IMPORT_BATCH_ROWS,
  type ImportSummary,
  type ImportOptions,
  type FileRejection,
} from './import-file.ts';
export {
  COLUMN_FIELDS,
  MEDIACRAWLER_PLATFORMS,
  parseCount,
  type ColumnField,
  type ColumnMapping,
} from './import-mapping.ts';
export { evaluateAlertTriggers, type AlertTriggerDeps, type AlertTriggerEvaluation } from './alert-trigger-stage.ts';
