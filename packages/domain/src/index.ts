// @yuqing/domain: the contracts and rules every stage shares (crawlers, pipeline, dashboard, digest, browser).
// No I/O: schemas, pure rules and labels only.
export { rawMentionSchema, type RawMention } from './raw-mention.ts';
export {
  sourceDefinitionSchema, sourceCommonFields, sourceConfigSchemas, sourceConfigIssues, httpUrlSchema, cronScheduleSchema, limitsSchema, parseSourceDefinition, parseSourceDefinitions,
  definitionFromRow, defaultSourceName, describeIssues, DEFAULT_SCHEDULE, SOURCE_KINDS,
  type SourceKind, type SourceDefinition, type SourceDefinitionInput, type FetchLimitsConfig, type HtmlConfig, type JsonConfig, type RssConfig, type ArticleConfig,
} from './source-config.ts';
export { parseCron, cronMatches, previousFireTime, isDue, type CronSchedule } from './cron.ts';
export { schemeRuleSchema, evaluateScheme, applySchemes, parseSchemes, type SchemeRule, type SchemeRuleInput, type SchemeEvaluation, type SchemeDecision, type SchemeLike, type ParsedSchemes } from './monitoring-scheme.ts';
export { canonicalizeUrl, urlHash } from './canonical-url.ts';
export {
  fallbackTokens, fallbackSearchTokens, segmentedSearchTokens, searchQueryTokenSets, MAX_QUERY_CHARS, MAX_QUERY_TOKENS, MAX_STORED_SEARCH_TOKENS,
} from './search-tokens.ts';
export {
  LEVEL_LABELS, ISSUE_STATUS_LABELS, RESPONSE_STATUS_LABELS, RESPONSE_PROGRESS_LABELS, NO_RESPONSE_LABEL, SENTIMENT_LABELS, CLASSIFIER_TASK_LABELS,
  RUN_STATUS_LABELS, SOURCE_KIND_LABELS, ROLE_LABELS, DECISION_LABELS, MATERIAL_KIND_LABELS, SENT_DIGEST_STATUS_LABELS, DIGEST_CHANGE_LABELS, AUDIT_ACTION_LABELS,
  LABELS, labelsModuleSource,
} from './labels.ts';

// Issue levels, deadlines and triage rules.
export {
  ISSUE_LEVELS, ISSUE_STATUSES, RESPONSE_DEADLINE_HOURS, CLOSED_ISSUE_STATUSES, ISSUE_LEVEL_RANK, SPLIT_ISSUE_DEFAULTS, deadlineForLevel, isClosedIssueStatus,
  isLevelRaised, highestLevel, levelChange, assertCanConfirm, assertCanDismiss, issuesToMerge, assertCanMergeInto, assertCanMergeFrom, assertCanSplit,
  type IssueLevel, type IssueStatus, type TriagedIssue,
} from './issue-rules.ts';
// The response workflow.
export {
  RESPONSE_STATUSES, SUBMITTABLE_RESPONSE_STATUSES, responseStart, assertCanRevise, assertCanSubmit, assertCanDecide, assertCanPublish, assertCanAddMaterial,
  type ResponseStatus, type ResponseDecision, type WorkflowResponse,
} from './response-rules.ts';
