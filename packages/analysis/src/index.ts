export { createAnalysisHandlers, analyseMentions, CLUSTERING_STATE_KEY, type AnalysisDeps, type AnalyseBatchResult } from './analysis-handlers.ts';
export { ModelSet, ModelCache, loadModelFromSpec, ANALYSIS_TASKS, type AnalysisTask, type LoadedModel, type ModelSpec } from './model-set.ts';
export { classifyMention, classifyMentions, mentionText } from './mention-classifier.ts';
export { clusterBatch, LEVEL_OF, type StoredClusteringState, type ClusteringOutcome } from './issue-clustering.ts';
export { retrainModels, MIN_LABELS_TO_RETRAIN, type RetrainOutcome } from './retrain.ts';
export { ClassificationPool, type ClassificationPoolOptions } from './classification-pool.ts';
export { classifyAndFeature, type ClassifiedMention } from './classify-and-feature.ts';
