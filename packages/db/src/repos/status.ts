import { prismaOf, type DbTx } from '../handle.ts';

/** Row counts for `yq status` and the health endpoint. */
export async function countEntities(handle: DbTx): Promise<{ sources: number; mentions: number; issues: number }> {
  const db = prismaOf(handle);
  const [sources, mentions, issues] = await Promise.all([db.source.count(), db.mention.count(), db.issue.count()]);
  return { sources, mentions, issues };
}
