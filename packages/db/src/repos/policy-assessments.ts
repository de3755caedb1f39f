// Pre-release policy risk assessments: what the database knows about a clause's matters (mentions, negative
// share, related issues), and the stored assessments with their .docx reports.
import type { ClauseEvidence, PolicyAssessment } from '@yuqing/domain';
import { prismaOf, type DbTx } from '../handle.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { appendAudit } from './audit.ts';
import { searchCondition } from './mention-queries.ts';
import type { AuditActor } from './users.ts';

/** Related issues listed per clause. */
const RELATED_ISSUES = 5;

/**
 * Mentions and issues about a clause's key terms: `tokenSets` are alternatives (a mention matches when it holds
 * every token of one set, through the full-text index), counted with how many are negative, plus the hottest
 * issues those mentions belong to.
 */
export async function policyClauseEvidence(
  handle: DbTx,
  input: { terms: string[]; tokenSets: string[][]; since?: Date },
): Promise<ClauseEvidence> {
  const db = prismaOf(handle);
  const search = searchCondition(input.tokenSets, Prisma.sql`m."searchVector"`);
  if (!search) return { terms: input.terms, mentions: 0, negative: 0, issues: [] };
  const since = input.since ? Prisma.sql`AND m."createdAt" >= ${input.since}` : Prisma.empty;
  const [counts] = await db.$queryRaw<Array<{ mentions: bigint; negative: bigint }>>`
    SELECT count(*) AS mentions, count(*) FILTER (WHERE m.sentiment = 'negative') AS negative
      FROM "Mention" m WHERE ${search} ${since}`;
  const issues = await db.$queryRaw<
    Array<{ id: number; title: string; level: string; hotness: number; mentionCount: number }>
  >`
    SELECT i.id, i.title, i.level::text AS level, i.hotness, i."mentionCount"
      FROM "Issue" i
     WHERE i.status <> 'merged' AND i.id IN (SELECT DISTINCT m."issueId" FROM "Mention" m
                                              WHERE m."issueId" IS NOT NULL AND ${search} ${since})
     ORDER BY (i.level = 'severe') DESC, (i.level = 'major') DESC, i.hotness DESC
     LIMIT ${RELATED_ISSUES}`;
  return {
    terms: input.terms,
    mentions: Number(counts?.mentions ?? 0),
    negative: Number(counts?.negative ?? 0),
    issues,
  };
}

/** Stores an assessment with its report (audited as `policy.assess`). */
export async function savePolicyAssessment(
  handle: DbTx,
  input: { fileName: string; assessment: PolicyAssessment; report: Buffer; createdById: number | null },
  actor: AuditActor,
) {
  const db = prismaOf(handle);
  const row = await db.policyAssessment.create({
    data: {
      title: input.assessment.title,
      fileName: input.fileName,
      level: input.assessment.level,
      result: input.assessment as unknown as Prisma.InputJsonValue,
      report: new Uint8Array(input.report),
      createdById: input.createdById,
    },
    omit: { report: true, result: true },
  });
  await appendAudit(db, {
    ...actor,
    action: 'policy.assess',
    entityType: 'policy',
    entityId: row.id,
    details: { fileName: input.fileName, level: input.assessment.level, clauses: input.assessment.clauses.length },
  });
  return row;
}

/** Assessments newest first, without their results and reports. */
export async function listPolicyAssessments(handle: DbTx, limit = 50) {
  const db = prismaOf(handle);
  return db.policyAssessment.findMany({
    orderBy: { id: 'desc' },
    take: Math.min(limit, 200),
    omit: { report: true, result: true },
  });
}

/** One assessment with its result (the report separately, by {@link getPolicyAssessmentReport}). */
export async function getPolicyAssessment(handle: DbTx, id: number) {
  const db = prismaOf(handle);
  const row = await db.policyAssessment.findUnique({ where: { id }, omit: { report: true } });
  return row ? { ...row, result: row.result as unknown as PolicyAssessment } : null;
}

/** An assessment's .docx report. */
export async function getPolicyAssessmentReport(handle: DbTx, id: number) {
  const db = prismaOf(handle);
  const row = await db.policyAssessment.findUnique({ where: { id }, select: { title: true, report: true } });
  return row ? { title: row.title, report: Buffer.from(row.report) } : null;
}
