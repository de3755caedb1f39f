import { NonRetryableError } from '@yuqing/core';
import {
  assertCanRebut,
  assertRebuttalComplete,
  type ResponseKind,
  assertCanChangeMaterial,
  type ResponseDecision,
  assertCanDecide,
  assertCanPublish,
  assertCanRevise,
  assertCanSubmit,
  resolvesIssueOnPublish,
  responseStart,
} from '@yuqing/domain';
import { prismaOf, type Db, type DbTx } from '../handle.ts';
import type { ResponseStatus } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import { lockedTransition } from './row-locks.ts';
import { addPublishedResponseReply } from './replies.ts';
import type { AuditActor } from './users.ts';

const AUTHOR_SELECT = { select: { id: true, username: true, displayName: true } } as const;

function notFound(id: number): NonRetryableError {
  return new NonRetryableError('NOT_FOUND', `response ${id} not found`);
}

async function requireResponse(handle: DbTx, id: number) {
  const tx = prismaOf(handle);
  const response = await tx.response.findUnique({ where: { id } });
  if (!response) throw notFound(id);
  return response;
}

/**
 * Starts a response (口径) to an issue with its first version. The issue moves to `responding`; the deadline is
 * the issue's (set from its level) or, when the issue has none, derived from its level now.
 */
export async function createResponse(
  handle: Db,
  input: { issueId: number; authorId: number; body: string; now: Date; kind?: ResponseKind },
  actor: AuditActor,
) {
  const kind = input.kind ?? 'statement';
  // The issue is locked: a merge or dismissal running at the same time must not slip in between.
  return lockedTransition(handle, { issueIds: [input.issueId] }, async (tx) => {
    const issue = await tx.issue.findUnique({
      where: { id: input.issueId },
      select: { id: true, status: true, level: true, deadlineAt: true, rumourMarkedAt: true },
    });
    if (!issue) throw new NonRetryableError('NOT_FOUND', `issue ${input.issueId} not found`);
    assertCanRebut(issue, kind);
    const { deadlineAt, issueResponding } = responseStart(issue, input.now);
    const response = await tx.response.create({
      data: {
        issueId: issue.id,
        authorId: input.authorId,
        status: 'draft',
        kind,
        currentVersion: 1,
        deadlineAt,
        versions: { create: { version: 1, body: input.body, authorId: input.authorId } },
      },
    });
    if (issueResponding)
      await tx.issue.update({
        where: { id: issue.id },
        data: { status: 'responding', ...(issue.deadlineAt ? {} : { deadlineAt }) },
      });
    await appendAudit(tx, {
      ...actor,
      action: 'response.create',
      entityType: 'response',
      entityId: response.id,
      details: { issueId: issue.id, version: 1, ...(kind === 'statement' ? {} : { kind }) },
    });
    return response;
  });
}

/** Saves a new version of the text. Allowed while a draft or after a leader returned it (it becomes a draft again). */
export async function reviseResponse(
  handle: Db,
  id: number,
  input: { authorId: number; body: string },
  actor: AuditActor,
) {
  return lockedTransition(handle, { responseIds: [id] }, async (tx) => {
    const response = await requireResponse(tx, id);
    assertCanRevise(response);
    const version = response.currentVersion + 1;
    await tx.responseVersion.create({ data: { responseId: id, version, body: input.body, authorId: input.authorId } });
    const updated = await tx.response.update({ where: { id }, data: { currentVersion: version, status: 'draft' } });
    await appendAudit(tx, {
      ...actor,
      action: 'response.revise',
      entityType: 'response',
      entityId: id,
      details: { version },
    });
    return updated;
  });
}

/** Sends the current version to a leader for approval. */
export async function submitResponse(handle: Db, id: number, now: Date, actor: AuditActor) {
  return lockedTransition(handle, { responseIds: [id] }, async (tx) => {
    const response = await requireResponse(tx, id);
    assertCanSubmit(response);
    if (response.kind === 'rumour_rebuttal') {
      const current = await tx.responseVersion.findUniqueOrThrow({
        where: { responseId_version: { responseId: id, version: response.currentVersion } },
        select: { body: true },
      });
      assertRebuttalComplete('rumour_rebuttal', current.body);
    }
    const updated = await tx.response.update({ where: { id }, data: { status: 'submitted', submittedAt: now } });
    await appendAudit(tx, {
      ...actor,
      action: 'response.submit',
      entityType: 'response',
      entityId: id,
      details: { from: response.status, to: 'submitted', version: response.currentVersion },
    });
    return updated;
  });
}

/** A leader approves the current version. */
export async function approveResponse(
  handle: Db,
  id: number,
  input: { deciderId: number; comment?: string | null; now: Date },
  actor: AuditActor,
) {
  return decide(handle, id, 'approved', input, actor);
}

/** A leader returns the response to its author with a comment. */
export async function returnResponse(
  handle: Db,
  id: number,
  input: { deciderId: number; comment: string; now: Date },
  actor: AuditActor,
) {
  return decide(handle, id, 'returned', input, actor);
}

async function decide(
  handle: Db,
  id: number,
  decision: ResponseDecision,
  input: { deciderId: number; comment?: string | null; now: Date },
  actor: AuditActor,
) {
  return lockedTransition(handle, { responseIds: [id] }, async (tx) => {
    const response = await requireResponse(tx, id);
    assertCanDecide(response, decision);
    await tx.approval.create({
      data: {
        responseId: id,
        version: response.currentVersion,
        decision,
        comment: input.comment ?? null,
        deciderId: input.deciderId,
      },
    });
    const updated = await tx.response.update({
      where: { id },
      data: { status: decision, ...(decision === 'approved' ? { approvedAt: input.now } : {}) },
    });
    await appendAudit(tx, {
      ...actor,
      action: decision === 'approved' ? 'response.approve' : 'response.return',
      entityType: 'response',
      entityId: id,
      details: { version: response.currentVersion, comment: input.comment ?? null },
    });
    return updated;
  });
}

/**
 * Records publication of an approved response (channel, URL, time) and resolves its issue (audited as
 * `issue.resolve`). The issue and the response are locked (in that order, as every transition takes them), so of
 * publishes sent together exactly one records.
 */
export async function publishResponse(
  handle: Db,
  id: number,
  input: { channel: string; url?: string | null; publishedAt: Date; publishedById: number },
  actor: AuditActor,
) {
  // A response's issue never changes: read it unlocked to know which issue row to lock first.
  const issueId = (await requireResponse(handle, id)).issueId;
  return lockedTransition(handle, { issueIds: [issueId], responseIds: [id] }, async (tx) => {
    const response = await requireResponse(tx, id);
    assertCanPublish(response);
    const record = await tx.publishRecord.create({
      data: {
        responseId: id,
        channel: input.channel,
        url: input.url ?? null,
        publishedAt: input.publishedAt,
        publishedById: input.publishedById,
      },
    });
    await tx.response.update({ where: { id }, data: { status: 'published', publishedAt: input.publishedAt } });
    // Every published response joins the reply library in the same transaction: none is published and missed.
    const published = await tx.responseVersion.findUniqueOrThrow({
      where: { responseId_version: { responseId: id, version: response.currentVersion } },
      select: { body: true },
    });
    await addPublishedResponseReply(tx, {
      responseId: id,
      issueId,
      answer: published.body,
      repliedAt: input.publishedAt,
    });
    await appendAudit(tx, {
      ...actor,
      action: 'response.publish',
      entityType: 'response',
      entityId: id,
      details: {
        channel: input.channel,
        url: input.url ?? null,
        issueId: response.issueId,
        version: response.currentVersion,
      },
    });
    const issue = await tx.issue.findUniqueOrThrow({ where: { id: issueId }, select: { status: true } });
    if (resolvesIssueOnPublish(issue)) {
      await tx.issue.update({ where: { id: issueId }, data: { status: 'resolved', resolvedAt: input.publishedAt } });
      await appendAudit(tx, {
        ...actor,
        action: 'issue.resolve',
        entityType: 'issue',
        entityId: issueId,
        details: { from: issue.status, responseId: id, version: response.currentVersion },
      });
    }
    return record;
  });
}

/** Responses, newest first, optionally for one issue or in given states. */
export async function listResponses(
  handle: DbTx,
  filters: { issueId?: number; status?: ResponseStatus[]; limit?: number } = {},
) {
  const db = prismaOf(handle);
  return db.response.findMany({
    where: {
      ...(filters.issueId ? { issueId: filters.issueId } : {}),
      ...(filters.status?.length ? { status: { in: filters.status } } : {}),
    },
    orderBy: { id: 'desc' },
    take: Math.min(filters.limit ?? 100, 500),
    include: { author: AUTHOR_SELECT, issue: { select: { id: true, title: true, level: true, status: true } } },
  });
}

/** A response with every version, decision, publish record and material (files without their bytes). */
export async function getResponse(handle: DbTx, id: number) {
  const db = prismaOf(handle);
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
export async function getResponseVersion(handle: DbTx, responseId: number, version: number) {
  const db = prismaOf(handle);
  return db.responseVersion.findUnique({ where: { responseId_version: { responseId, version } } });
}

/** Interpretation material (政策解读) to attach: a stored file, a Q&A pair or a plain-language explainer. */
export type NewMaterial =
  | {
      kind: 'file';
      title: string;
      fileName: string;
      mimeType: string;
      sizeBytes: number;
      sha256: string;
      storagePath: string;
    }
  | { kind: 'qa'; title: string; question: string; answer: string }
  | { kind: 'explainer'; title: string; text: string };

/**
 * Attaches material to a response (and its issue): only while the response is a draft or returned to its author;
 * after submission the material belongs to the version under review.
 */
export async function addMaterial(
  handle: Db,
  responseId: number,
  material: NewMaterial,
  createdById: number,
  actor: AuditActor,
) {
  return lockedTransition(handle, { responseIds: [responseId] }, async (tx) => {
    const response = await requireResponse(tx, responseId);
    assertCanChangeMaterial(response);
    const created = await tx.interpretationMaterial.create({
      data: { ...material, responseId, issueId: response.issueId, createdById },
      omit: { storagePath: true },
    });
    await appendAudit(tx, {
      ...actor,
      action: 'material.add',
      entityType: 'response',
      entityId: responseId,
      details: {
        materialId: created.id,
        kind: material.kind,
        title: material.title,
        ...(material.kind === 'file'
          ? {
              fileName: material.fileName,
              mimeType: material.mimeType,
              sizeBytes: material.sizeBytes,
              sha256: material.sha256,
            }
          : {}),
      },
    });
    return created;
  });
}

/**
 * Removes material from its response, under the same rule as adding it (draft or returned only). Returns where
 * its file was stored (null for Q&A and explainers) so the caller can delete the file once this has committed.
 */
export async function removeMaterial(
  handle: Db,
  id: number,
  actor: AuditActor,
): Promise<{ storagePath: string | null }> {
  const db = prismaOf(handle);
  const found = await db.interpretationMaterial.findUnique({ where: { id }, select: { responseId: true } });
  if (!found) throw new NonRetryableError('NOT_FOUND', `material ${id} not found`);
  if (found.responseId === null)
    throw new NonRetryableError('CONFLICT', `material ${id} belongs to no response; it cannot be removed here`);
  const responseId = found.responseId;
  return lockedTransition(handle, { responseIds: [responseId] }, async (tx) => {
    const response = await requireResponse(tx, responseId);
    assertCanChangeMaterial(response);
    // Re-read under the lock: a concurrent removal may have taken it already.
    const material = await tx.interpretationMaterial.findUnique({ where: { id } });
    if (!material || material.responseId !== responseId)
      throw new NonRetryableError('NOT_FOUND', `material ${id} not found`);
    await tx.interpretationMaterial.delete({ where: { id } });
    await appendAudit(tx, {
      ...actor,
      action: 'material.remove',
      entityType: 'response',
      entityId: responseId,
      details: {
        materialId: id,
        kind: material.kind,
        title: material.title,
        ...(material.kind === 'file' ? { fileName: material.fileName, sha256: material.sha256 } : {}),
      },
    });
    return { storagePath: material.storagePath };
  });
}

/** One material including where its file is stored (for serving). */
export async function getMaterial(handle: DbTx, id: number) {
  const db = prismaOf(handle);
  return db.interpretationMaterial.findUnique({ where: { id } });
}

/** Open responses whose deadline has passed (for overdue marking). */
export async function listOverdueResponses(handle: DbTx, now: Date) {
  const db = prismaOf(handle);
  return db.response.findMany({
    where: { status: { not: 'published' }, deadlineAt: { lt: now } },
    orderBy: { deadlineAt: 'asc' },
    take: 200,
    include: { issue: { select: { id: true, title: true, level: true } } },
  });
}
