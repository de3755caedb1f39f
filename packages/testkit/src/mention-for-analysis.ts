import type { MentionForAnalysis } from '@yuqing/db';

/**
 * A stored mention as the analysis worker reads it: an RSS item with no engagement, published and fetched at one
 * fixed time, for classification and feature tests that set only the text (and what else `fields` names).
 */
export function mentionForAnalysisFixture(
  id: number,
  title: string,
  body: string,
  fields: Partial<MentionForAnalysis> = {},
): MentionForAnalysis {
  const at = new Date('2026-11-27T09:00:00+08:00');
  return {
    id,
    title,
    body,
    publishedAt: at,
    fetchedAt: at,
    likes: 0,
    comments: 0,
    reposts: 0,
    sourceName: null,
    sourceKind: 'rss',
    sourceWeight: 1,
    ...fields,
  };
}
