// @yuqing/domain: the contracts and rules every stage shares (crawlers, pipeline, dashboard, digest, browser).
// No I/O: schemas, pure rules and labels only.

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
