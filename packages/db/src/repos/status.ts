import type { DbTx } from '../client.ts';

/** Row counts for `yq status` and the health endpoint. */
export async function countEntities(db: DbTx): Promise<{ sources: number; mentions: number; issues: number }> {
  const [sources, mentions, issues] = await Promise.all([db.source.count(), db.mention.count(), db.issue.count()]);
  return { sources, mentions, issues };
}
