// The response (口径) workflow: which state allows revising, submitting, deciding, publishing and adding
// material, and what starting a response does to its issue. Pure: packages/db applies these in its transactions.
import { NonRetryableError } from '@yuqing/core';
import { deadlineForLevel, type IssueLevel, type IssueStatus } from './issue-rules.ts';

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
 * Starting a response to an issue: merged and dismissed issues must be reopened first (`CONFLICT`). Returns the
 * response's deadline (the issue's, or from its level now) and whether the issue moves to `responding`
 * (a resolved issue stays resolved).
 */
export function responseStart(
  issue: { id: number; status: IssueStatus; level: IssueLevel; deadlineAt: Date | null },
  now: Date,
): { deadlineAt: Date | null; issueResponding: boolean } {
  if (issue.status === 'merged' || issue.status === 'dismissed')
    throw conflict(`issue ${issue.id} is ${issue.status}; reopen it before responding`);
  return {
    deadlineAt: issue.deadlineAt ?? deadlineForLevel(issue.level, now),
    issueResponding: issue.status !== 'resolved',
  };
}

/** Only drafts and returned responses can be revised (a returned one becomes a draft again). */
export function assertCanRevise(response: WorkflowResponse): void {
  if (response.status !== 'draft' && response.status !== 'returned')
    throw conflict(`response ${response.id} is ${response.status}; only drafts and returned responses can be revised`);
}

/** States a response can be submitted from. */
export const SUBMITTABLE_RESPONSE_STATUSES: readonly ResponseStatus[] = ['draft', 'returned'];

/** Only drafts and returned responses can be submitted for approval. */
export function assertCanSubmit(response: WorkflowResponse): void {
  if (!SUBMITTABLE_RESPONSE_STATUSES.includes(response.status))
    throw conflict(
      `response ${response.id} is ${response.status}; expected ${SUBMITTABLE_RESPONSE_STATUSES.join(' or ')}`,
    );
}

/** Only submitted responses can be approved or returned. */
export function assertCanDecide(response: WorkflowResponse, decision: ResponseDecision): void {
  if (response.status !== 'submitted')
    throw conflict(`response ${response.id} is ${response.status}; only submitted responses can be ${decision}`);
}

/** Only approved responses can be published. */
export function assertCanPublish(response: WorkflowResponse): void {
  if (response.status !== 'approved')
    throw conflict(`response ${response.id} is ${response.status}; only approved responses can be published`);
}

/** Published responses are frozen: no more material. */
export function assertCanAddMaterial(response: WorkflowResponse): void {
  if (response.status === 'published')
    throw conflict(`response ${response.id} is published; material can no longer change`);
}
