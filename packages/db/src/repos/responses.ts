import { NonRetryableError } from '@yuqing/core';
import type { Db, DbTx } from '../client.ts';
import type { ResponseStatus } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import { deadlineForLevel } from './issues.ts';
import type { AuditActor } from './users.ts';

const AUTHOR_SELECT = { select: { id: true, username: true, displayName: true } } as const;

function notFound(id: number): NonRetryableError {
  return new NonRetryableError('NOT_FOUND', `response ${id} not found`);
}

function conflict(message: string): NonRetryableError {
  return new NonRetryableError('CONFLICT', message);
}

async function requireResponse(tx: DbTx, id: number) {
  const response = await tx.response.findUnique({ where: { id } });
  if (!response) throw notFound(id);
  return response;
}

/**
 * Starts a response (口径) to an issue with its first version. The issue moves to `responding`; the deadline is
 * the issue's (set from its level) or, when the issue has none, derived from its level now.
 */
export async function createResponse(db: Db, input: { issueId: number; authorId: number; body: string; now: Date }, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const issue = await tx.issue.findUnique({ where: { id: input.issueId }, select: { id: true, status: true, level: true, deadlineAt: true } });
    if (!issue) throw new NonRetryableError('NOT_FOUND', `issue ${input.issueId} not found`);
    if (issue.status === 'merged' || issue.status === 'dismissed') throw conflict(`issue ${issue.id} is ${issue.status}; reopen it before responding`);
    const deadlineAt = issue.deadlineAt ?? deadlineForLevel(issue.level, input.now);
    const response = await tx.response.create({
      data: { issueId: issue.id, authorId: input.authorId, status: 'draft', currentVersion: 1, deadlineAt, versions: { create: { version: 1, body: input.body, authorId: input.authorId } } },
    });
    if (issue.status !== 'resolved') await tx.issue.update({ where: { id: issue.id }, data: { status: 'responding', ...(issue.deadlineAt ? {} : { deadlineAt }) } });
    await appendAudit(tx, { ...actor, action: 'response.create', entityType: 'response', entityId: response.id, details: { issueId: issue.id, version: 1 } });
    return response;
  });
}

/** Saves a new version of the text. Allowed while a draft or after a leader returned it (it becomes a draft again). */
export async function reviseResponse(db: Db, id: number, input: { authorId: number; body: string }, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const response = await requireResponse(tx, id);
    if (response.status !== 'draft' && response.status !== 'returned') throw conflict(`response ${id} is ${response.status}; only drafts and returned responses can be revised`);
    const version = response.currentVersion + 1;
    await tx.responseVersion.create({ data: { responseId: id, version, body: input.body, authorId: input.authorId } });
    const updated = await tx.response.update({ where: { id }, data: { currentVersion: version, status: 'draft' } });
    await appendAudit(tx, { ...actor, action: 'response.revise', entityType: 'response', entityId: id, details: { version } });
    return updated;
  });
}

/** Sends the current version to a leader for approval. */
export async function submitResponse(db: Db, id: number, now: Date, actor: AuditActor) {
  return transition(db, id, ['draft', 'returned'], 'submitted', { submittedAt: now }, 'response.submit', actor);
}

/** A leader approves the current version. */
export async function approveResponse(db: Db, id: number, input: { deciderId: number; comment?: string | null; now: Date }, actor: AuditActor) {
  return decide(db, id, 'approved', input, actor);
}

/** A leader returns the response to its author with a comment. */
export async function returnResponse(db: Db, id: number, input: { deciderId: number; comment: string; now: Date }, actor: AuditActor) {
  return decide(db, id, 'returned', input, actor);
}

async function decide(db: Db, id: number, decision: 'approved' | 'returned', input: { deciderId: number; comment?: string | null; now: Date }, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const response = await requireResponse(tx, id);
    if (response.status !== 'submitted') throw conflict(`response ${id} is ${response.status}; only submitted responses can be ${decision}`);
    await tx.approval.create({ data: { responseId: id, version: response.currentVersion, decision, comment: input.comment ?? null, deciderId: input.deciderId } });
    const updated = await tx.response.update({ where: { id }, data: { status: decision, ...(decision === 'approved' ? { approvedAt: input.now } : {}) } });
    await appendAudit(tx, { ...actor, action: decision === 'approved' ? 'response.approve' : 'response.return', entityType: 'response', entityId: id, details: { version: response.currentVersion, comment: input.comment ?? null } });
    return updated;
  });
}

async function transition(db: Db, id: number, from: ResponseStatus[], to: ResponseStatus, data: Record<string, unknown>, action: string, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const response = await requireResponse(tx, id);
    if (!from.includes(response.status)) throw conflict(`response ${id} is ${response.status}; expected ${from.join(' or ')}`);
    const updated = await tx.response.update({ where: { id }, data: { status: to, ...data } });
    await appendAudit(tx, { ...actor, action, entityType: 'response', entityId: id, details: { from: response.status, to, version: response.currentVersion } });
    return updated;
  });
}

/** Records publication of an approved response (channel, URL, time) and resolves its issue. */
export async function publishResponse(db: Db, id: number, input: { channel: string; url?: string | null; publishedAt: Date; publishedById: number }, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const response = await requireResponse(tx, id);
    if (response.status !== 'approved') throw conflict(`response ${id} is ${response.status}; only approved responses can be published`);
    const record = await tx.publishRecord.create({ data: { responseId: id, channel: input.channel, url: input.url ?? null, publishedAt: input.publishedAt, publishedById: input.publishedById } });
    await tx.response.update({ where: { id }, data: { status: 'published', publishedAt: input.publishedAt } });
    await tx.issue.update({ where: { id: response.issueId }, data: { status: 'resolved' } });
    await appendAudit(tx, { ...actor, action: 'response.publish', entityType: 'response', entityId: id, details: { channel: input.channel, url: input.url ?? null, issueId: response.issueId, version: response.currentVersion } });
    return record;
  });
}

/** Responses, newest first, optionally for one issue or in given states. */
export async function listResponses(db: DbTx, filters: { issueId?: number; status?: ResponseStatus[]; limit?: number } = {}) {
  return db.response.findMany({
    where: { ...(filters.issueId ? { issueId: filters.issueId } : {}), ...(filters.status?.length ? { status: { in: filters.status } } : {}) },
    orderBy: { id: 'desc' },
    take: Math.min(filters.limit ?? 100, 500),
    include: { author: AUTHOR_SELECT, issue: { select: { id: true, title: true, level: true, status: true } } },
  });
}

/** A response with every version, decision, publish record and material (files without their bytes). */
export async function getResponse(db: DbTx, id: number) {
  return db.response.findUnique({
    where: { id },
    include: {
      author: AUTHOR_SELECT,
      issue: { select: { id: true, title: true, level: true, status: true, deadlineAt: true } },
      versions: { orderBy: { version: 'asc' }, include: { author: AUTHOR_SELECT } },
      approvals: { orderBy: { id: 'asc' }, include: { decider: AUTHOR_SELECT } },
      publishes: { orderBy: { id: 'asc' }, include: { publishedBy: AUTHOR_SELECT } },
      materials: { orderBy: { id: 'asc' }, omit: { storagePath: true }, include: { createdBy: AUTHOR_SELECT } },
    },
  });
}

/** One version's text. */
export async function getResponseVersion(db: DbTx, responseId: number, version: number) {
  return db.responseVersion.findUnique({ where: { responseId_version: { responseId, version } } });
}

/** Interpretation material (政策解读) to attach: a stored file, a Q&A pair or a plain-language explainer. */
export type NewMaterial =
  | { kind: 'file'; title: string; fileName: string; mimeType: string; sizeBytes: number; sha256: string; storagePath: string }
  | { kind: 'qa'; title: string; question: string; answer: string }
  | { kind: 'explainer'; title: string; text: string };

/** Attaches material to a response (and its issue). Published responses are frozen. */
export async function addMaterial(db: Db, responseId: number, material: NewMaterial, createdById: number, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const response = await requireResponse(tx, responseId);
    if (response.status === 'published') throw conflict(`response ${responseId} is published; material can no longer change`);
    const created = await tx.interpretationMaterial.create({
      data: { ...material, responseId, issueId: response.issueId, createdById },
      omit: { storagePath: true },
    });
    await appendAudit(tx, {
      ...actor, action: 'material.add', entityType: 'response', entityId: responseId,
      details: { materialId: created.id, kind: material.kind, title: material.title, ...(material.kind === 'file' ? { fileName: material.fileName, mimeType: material.mimeType, sizeBytes: material.sizeBytes, sha256: material.sha256 } : {}) },
    });
    return created;
  });
}

/** One material including where its file is stored (for serving). */
export async function getMaterial(db: DbTx, id: number) {
  return db.interpretationMaterial.findUnique({ where: { id } });
}

/** Open responses whose deadline has passed (for overdue marking). */
export async function listOverdueResponses(db: DbTx, now: Date) {
  return db.response.findMany({
    where: { status: { not: 'published' }, deadlineAt: { lt: now } },
    orderBy: { deadlineAt: 'asc' },
    take: 200,
    include: { issue: { select: { id: true, title: true, level: true } } },
  });
}
