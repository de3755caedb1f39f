// @yuqing/db: storage only. The one importer of the generated Prisma client; other packages get an opaque `Db`
// handle and one repository function per use case. Only names some other package uses are exported.
export {
  openDatabase,
  createDbClient,
  closeDbClient,
  probeDatabase,
  secretBoxOf,
  type Db,
  type DbTx,
  type Database,
} from './client.ts';
export { openEmbeddedServer } from './embedded-server.ts';
export { applyMigrations, createMigration, readMigrationList } from './migrations.ts';
export { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';
// Row and enum types other packages read (enum values are plain strings, the same sets as in @yuqing/domain).
export type { Issue, DigestSubscription } from './generated/prisma/client.ts';
export type { Role, IssueStatus, IssueLevel, ResponseStatus } from './generated/prisma/enums.ts';

// Repository functions, by area.
export { appendAudit, auditEntityNames, listAudit } from './repos/audit.ts';
export {
  countUsers,
  createSession,
  createUser,
  createUserAudited,
  deleteExpiredSessions,
  deleteSession,
  findActiveSession,
  findUserById,
  findUserByUsername,
  listUsers,
  setUserPasswordAudited,
  touchSession,
  updateUserAudited,
  type AuditActor,
  type PublicUser,
} from './repos/users.ts';
export { countEntities } from './repos/status.ts';
export {
  auditSourceTestRun,
  createSource,
  createSourceAudited,
  deleteSourceAudited,
  getSourceById,
  listEnabledSources,
  listSourcesWithHealth,
  markSourceRunFinished,
  markSourceRunStarted,
  sourceRegions,
  updateSourceAudited,
  upsertSourceRows,
  ensureImportSource,
} from './repos/sources.ts';
export {
  createMonitoringScheme,
  createSchemeAudited,
  deleteSchemeAudited,
  findUnanalysedMentions,
  insertMentions,
  listEnabledMonitoringSchemes,
  listMonitoringSchemes,
  updateSchemeAudited,
  type MentionInsert,
} from './repos/mentions.ts';
export {
  hotListHistory,
  recordHotListObservations,
  updateHotListMentions,
  type HotListHistoryPoint,
  type HotListMentionUpdate,
  type HotListObservationInsert,
  hotListTriggerRows,
  deliveredHotListTriggerKeys,
  type HotListTriggerRow,
} from './repos/hot-lists.ts';
export {
  addCrawlRunMentions,
  claimCrawlRun,
  createCrawlRun,
  findSeenUrlHashes,
  findLastFinishedCrawlRun,
  findUnfinishedCrawlRun,
  finishCrawlRun,
  getCrawlRun,
  getSeenUrl,
  listCrawlRuns,
  markUrlsSeen,
  releaseCrawlRunLease,
  renewCrawlRunLease,
  saveCrawlCheckpoint,
  type CrawlRunLease,
} from './repos/crawl-runs.ts';
export {
  addToIssueAggregates,
  analysedMentionIds,
  appendIssueHotness,
  assignMentionsToIssues,
  countModelVersions,
  listModelVersions,
  promoteModelVersion,
  rollBackToDefaultModel,
  analystLabelCounts,
  getPromotedModel,
  listAnalystLabels,
  loadUnanalysedMentions,
  recordIssueFlag,
  saveAnalyses,
  saveModelVersion,
  upsertClusteredIssues,
  withEngineState,
  type AnalysisResult,
  type ClusteredIssue,
  type MentionForAnalysis,
} from './repos/analysis.ts';
export {
  attachMentionsToIssue,
  createIssue,
  getIssue,
  hotIssueKeywords,
  hotIssues,
  issueClassification,
  issueHotnessHistory,
  issueLevelCounts,
  issueTimeline,
  listIssues,
} from './repos/issues.ts';
export {
  createAlertChannel,
  getAlertChannel,
  issueAlertFacts,
  listAlertChannels,
  listAlertDeliveries,
  openAlertDelivery,
  recordAlertAttempt,
  noteAlertWaiting,
  removeAlertChannel,
  type AlertAttempt,
  type AlertChannelInput,
  type AlertDeliveryKey,
} from './repos/alerts.ts';
export {
  assignIssue,
  confirmIssue,
  dismissIssue,
  labelMention,
  mergeIssues,
  setIssueCategory,
  setIssueLevel,
  splitIssue,
} from './repos/issue-triage.ts';
export {
  loadAnalystDecisions,
  issuesForFlagging,
  reopenIssue,
  setIssueTitle,
  foldClusteredIssue,
  ISSUE_FOLD_ACTION,
  type FoldOutcome,
  type StoredAnalystDecision,
} from './repos/issue-decisions.ts';
export {
  addMaterial,
  approveResponse,
  createResponse,
  getMaterial,
  getResponse,
  getResponseVersion,
  listOverdueResponses,
  listResponses,
  publishResponse,
  removeMaterial,
  returnResponse,
  reviseResponse,
  submitResponse,
} from './repos/responses.ts';
export {
  claimSentDigest,
  countMentionFigures,
  findDigestRecipient,
  findSentDigest,
  findSentDigestById,
  findSentDigestsForDate,
  hotnessBefore,
  listDigestRecipients,
  listIssueFlagsInWindow,
  listIssuesAwaitingResponse,
  listOpenResponses,
  listPublishRecordsInWindow,
  listSentDigests,
  markSentDigestFailed,
  markSentDigestSent,
  saveDigestSubscriptionAudited,
  upsertDigestSubscription,
  type DigestFlagRow,
  type DigestIssueRow,
  type MentionFigures,
  type SentDigestStatus,
} from './repos/digests.ts';
export {
  databaseHealth,
  frequentMentionTokens,
  getMention,
  listCategories,
  listMentions,
  mentionVolumeByDay,
} from './repos/mention-queries.ts';
export {
  createApiTokenAudited,
  findActiveApiToken,
  findUserByEmailOrUsername,
  listApiTokens,
  revokeApiTokenAudited,
  touchApiToken,
  type ApiTokenInsert,
  type ApiTokenSummary,
} from './repos/api-tokens.ts';
export {
  issueReportData,
  listPeriodIssues,
  periodMentionStats,
  periodResponseActivity,
  UNCATEGORISED,
  type IssueReportData,
  type KeyVoiceMention,
  type PeriodIssueRow,
  type PeriodMentionStats,
  type PeriodResponseActivity,
} from './repos/reports.ts';
export {
  insertReplyRecords,
  issueQuestionTexts,
  listReplyRecords,
  replyLibraryVersion,
  saveReplyTokens,
  type ReplyRecordInsert,
  type StoredReplyRecord,
} from './repos/replies.ts';
export { setIssueRumour, issueRumourSpread } from './repos/rumours.ts';
export {
  policyClauseEvidence,
  savePolicyAssessment,
  listPolicyAssessments,
  getPolicyAssessment,
  getPolicyAssessmentReport,
} from './repos/policy-assessments.ts';
export {
  previousFlagLevel,
  issueTriggerRows,
  deliveredTriggerKeys,
  alertDeliveriesById,
  type IssueTriggerRow,
} from './repos/alert-triggers.ts';
export {
  acknowledgeAlertDelivery,
  alertAckState,
  alertAcknowledged,
  setEscalationRule,
  listEscalationRules,
  removeEscalationRule,
  escalationCandidates,
  claimEscalation,
  settleEscalations,
  type AckVia,
  type AckState,
  type StoredEscalationCandidate,
  type EscalationClaim,
} from './repos/alert-escalation.ts';
