import type { AnalysedMention } from '@yuqing/nlp';

/**
 * A clustering input with neutral features (no terms, places or engagement), for engine unit tests that set only
 * what they test.
 */
export function analysedMentionFixture(fields: Partial<AnalysedMention> & { time: number }): AnalysedMention {
  return {
    id: `m${fields.time}`,
    title: '',
    terms: {},
    places: [],
    simhash: '0',
    category: 'x',
    negativity: 0,
    likes: 0,
    comments: 0,
    reposts: 0,
    source: 'forum',
    ...fields,
  };
}
