// @yuqing/domain: the contracts and rules every stage shares (crawlers, pipeline, dashboard, digest, browser).
// No I/O: schemas, pure rules and labels only.
export {
  ISSUE_LEVELS, LEVEL_LABELS, ISSUE_STATUS_LABELS, RESPONSE_STATUS_LABELS, RESPONSE_PROGRESS_LABELS, NO_RESPONSE_LABEL, SENTIMENT_LABELS, CLASSIFIER_TASK_LABELS,
  RUN_STATUS_LABELS, SOURCE_KIND_LABELS, ROLE_LABELS, DECISION_LABELS, MATERIAL_KIND_LABELS, SENT_DIGEST_STATUS_LABELS, DIGEST_CHANGE_LABELS, AUDIT_ACTION_LABELS,
  LABELS, labelsModuleSource,
} from './labels.ts';
