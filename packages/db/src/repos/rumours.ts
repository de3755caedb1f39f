// 辟谣: the analyst's rumour mark on an issue and what the issue page's spread chart reads. The rules (who may
// rebut what, which posts cite a notice) live in @yuqing/domain rumour-rules.ts.
import { prismaOf, type Db, type DbTx } from '../handle.ts';
import { appendAudit } from './audit.ts';
import { lockedTransition } from './row-locks.ts';
import type { AuditActor } from './users.ts';

/** Most posts of one issue the spread chart reads (the newest are kept). */
const MAX_SPREAD_POSTS = 20_000;
/** Most posts filed elsewhere (another issue or none) read as candidates for repeating or citing (the newest). */
const MAX_OUTSIDE_POSTS = 5_000;
/** Characters of a post read for citation words (titles and openings carry them). */
const SPREAD_TEXT_CHARS = 500;

/**
 * Marks an issue as a rumour with a note, or clears the mark (audited as `issue.rumour` / `issue.rumour-clear`).
 * A person's decision: clustering writes none of these columns, so nothing automatic overwrites it.
 */
export async function setIssueRumour(
  handle: Db,
  id: number,
  input: { rumour: boolean; note: string | null; userId: number; now: Date },
  actor: AuditActor,
) {
  return lockedTransition(handle, { issueIds: [id] }, async (tx) => {
    const before = await tx.issue.findUniqueOrThrow({
      where: { id },
      select: { rumourMarkedAt: true, rumourNote: true },
    });
    const updated = await tx.issue.update({
      where: { id },
      data: input.rumour
        ? { rumourMarkedAt: before.rumourMarkedAt ?? input.now, rumourNote: input.note, rumourMarkedById: input.userId }
        : { rumourMarkedAt: null, rumourNote: null, rumourMarkedById: null },
      select: { id: true, title: true, rumourMarkedAt: true, rumourNote: true, rumourMarkedById: true },
    });
    await appendAudit(tx, {
      ...actor,
      action: input.rumour ? 'issue.rumour' : 'issue.rumour-clear',
      entityType: 'issue',
      entityId: id,
      details: input.rumour ? { note: input.note } : { from: before.rumourNote },
    });
    return updated;
  });
}

/**
 * What the spread chart of a rumour issue needs: its posts (time, opening text), its published rebuttals, and the
 * posts filed elsewhere since its first post (candidates the domain rules match against the rumour).
 */
export async function issueRumourSpread(handle: DbTx, issueId: number) {
  const db = prismaOf(handle);
  const issue = await db.issue.findUnique({
    where: { id: issueId },
    select: { id: true, title: true, rumourMarkedAt: true, rumourNote: true },
  });
  if (!issue) return null;
  const rows = await db.$queryRaw<Array<{ at: Date; text: string }>>`
    SELECT COALESCE("publishedAt", "fetchedAt") AS at, left(title || ' ' || body, ${SPREAD_TEXT_CHARS}) AS text
      FROM "Mention" WHERE "issueId" = ${issueId}
     ORDER BY id DESC LIMIT ${MAX_SPREAD_POSTS}`;
  const outside = await db.$queryRaw<Array<{ at: Date; text: string }>>`
    SELECT COALESCE(m."publishedAt", m."fetchedAt") AS at, left(m.title || ' ' || m.body, ${SPREAD_TEXT_CHARS}) AS text
      FROM "Mention" m
     WHERE m."issueId" IS DISTINCT FROM ${issueId}
       AND COALESCE(m."publishedAt", m."fetchedAt") >= (
             SELECT min(COALESCE("publishedAt", "fetchedAt")) FROM "Mention" WHERE "issueId" = ${issueId})
     ORDER BY m.id DESC LIMIT ${MAX_OUTSIDE_POSTS}`;
  const responses = await db.response.findMany({
    where: { issueId, kind: 'rumour_rebuttal', status: 'published' },
    orderBy: { publishedAt: 'asc' },
    select: {
      id: true,
      currentVersion: true,
      publishedAt: true,
      versions: { orderBy: { version: 'desc' }, take: 1, select: { body: true } },
      publishes: { orderBy: { id: 'asc' }, take: 1, select: { channel: true, url: true, publishedAt: true } },
    },
  });
  const notices = responses.flatMap((r) => {
    const at = r.publishes[0]?.publishedAt ?? r.publishedAt;
    if (!at) return [];
    const title = (r.versions[0]?.body ?? '').split('\n')[0]!.trim();
    return [
      {
        responseId: r.id,
        title,
        publishedAt: at,
        channel: r.publishes[0]?.channel ?? null,
        url: r.publishes[0]?.url ?? null,
      },
    ];
  });
  return { issue, posts: rows, outside, notices };
}
