// The response (口径) workflow: which state allows revising, submitting, deciding, publishing and adding
// material, and what starting a response does to its issue. Pure: packages/db applies these in its transactions.
import { NonRetryableError } from '@yuqing/core';
import { deadlineForLevel, ISSUE_ACTIONS_BY_STATUS, type IssueLevel, type IssueStatus } from './issue-rules.ts';

/** Response states. Match the database enum. */
export const RESPONSE_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'published'] as const;
/** A response's state: draft → submitted → approved → published, or submitted → returned → draft. */
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** A leader's decision on a submitted response. */
export type ResponseDecision = 'approved' | 'returned';

/** A response as the workflow rules see it. */
export interface WorkflowResponse {
  id: number;
  status: ResponseStatus;
}

function conflict(message: string): NonRetryableError {
  return new NonRetryableError('CONFLICT', message);
}

/**
 * What can be done with a response (buttons: 保存新版本, 提交审批, 批准, 退回, 记录发布, 添加材料, 删除材料).
 * `revise` from `approved` takes the response back to a draft: a new version that needs a new approval.
 */
export const RESPONSE_ACTIONS = [
  'revise',
  'submit',
  'approve',
  'return',
  'publish',
  'addMaterial',
  'removeMaterial',
] as const;
/** One action on a response. */
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

/**
 * The one table of which action each state allows. Material changes only while the response is with its author
 * (draft, or returned to them): once submitted it belongs to the version under review, once approved to the
 * approved version; changing it then means revising back to a draft, which needs a new approval.
 */
export const RESPONSE_ACTIONS_BY_STATUS: Readonly<Record<ResponseStatus, readonly ResponseAction[]>> = {
  draft: ['revise', 'submit', 'addMaterial', 'removeMaterial'],
  returned: ['revise', 'submit', 'addMaterial', 'removeMaterial'],
  submitted: ['approve', 'return'],
  approved: ['revise', 'publish'],
  published: [],
};

/** The actions the response's state allows, in {@link RESPONSE_ACTIONS} order (the dashboard shows only these). */
export function allowedResponseActions(response: { status: ResponseStatus }): ResponseAction[] {
  return [...RESPONSE_ACTIONS_BY_STATUS[response.status]];
}

function statesAllowing(action: ResponseAction): ResponseStatus[] {
  return RESPONSE_STATUSES.filter((status) => RESPONSE_ACTIONS_BY_STATUS[status].includes(action));
}

function allows(response: WorkflowResponse, action: ResponseAction): boolean {
  return RESPONSE_ACTIONS_BY_STATUS[response.status].includes(action);
}

/**
 * Starting a response to an issue: only open issues (new, confirmed, responding) take one; merged and dismissed
 * issues must be reopened first, resolved ones are closed (`CONFLICT`). Returns the response's deadline (the
 * issue's, or from its level now) and whether the issue moves to `responding`.
 */
export function responseStart(
  issue: { id: number; status: IssueStatus; level: IssueLevel; deadlineAt: Date | null },
  now: Date,
): { deadlineAt: Date | null; issueResponding: boolean } {
  if (issue.status === 'merged' || issue.status === 'dismissed')
    throw conflict(`issue ${issue.id} is ${issue.status}; reopen it before responding`);
  if (!ISSUE_ACTIONS_BY_STATUS[issue.status].includes('respond'))
    throw conflict(`issue ${issue.id} is ${issue.status}; it takes no new response`);
  return {
    deadlineAt: issue.deadlineAt ?? deadlineForLevel(issue.level, now),
    issueResponding: issue.status !== 'resolved',
  };
}

/** Drafts, returned and approved responses can be revised (the new version is a draft again). */
export function assertCanRevise(response: WorkflowResponse): void {
  if (!allows(response, 'revise'))
    throw conflict(
      `response ${response.id} is ${response.status}; only ${statesAllowing('revise').join(', ')} responses can be revised`,
    );
}

/** States a response can be submitted from. */
export const SUBMITTABLE_RESPONSE_STATUSES: readonly ResponseStatus[] = statesAllowing('submit');

/** Only drafts and returned responses can be submitted for approval. */
export function assertCanSubmit(response: WorkflowResponse): void {
  if (!allows(response, 'submit'))
    throw conflict(
      `response ${response.id} is ${response.status}; expected ${SUBMITTABLE_RESPONSE_STATUSES.join(' or ')}`,
    );
}

/** Only submitted responses can be approved or returned. */
export function assertCanDecide(response: WorkflowResponse, decision: ResponseDecision): void {
  if (!allows(response, decision === 'approved' ? 'approve' : 'return'))
    throw conflict(`response ${response.id} is ${response.status}; only submitted responses can be ${decision}`);
}

/** Only approved responses can be published. */
export function assertCanPublish(response: WorkflowResponse): void {
  if (!allows(response, 'publish'))
    throw conflict(`response ${response.id} is ${response.status}; only approved responses can be published`);
}

/**
 * Material is added or removed only while the response is with its author (draft or returned); after submission
 * it belongs to the version under review, after approval to the approved version (`CONFLICT`).
 */
export function assertCanChangeMaterial(response: WorkflowResponse): void {
  if (!allows(response, 'addMaterial'))
    throw conflict(
      response.status === 'approved'
        ? `response ${response.id} is approved; save a new version (it needs a new approval) to change its material`
        : `response ${response.id} is ${response.status}; material can change only while it is a draft or returned`,
    );
}

/** Publishing resolves the response's issue, unless it is already resolved or merged into another meanwhile. */
export function resolvesIssueOnPublish(issue: { status: IssueStatus }): boolean {
  return issue.status !== 'resolved' && issue.status !== 'merged';
}
