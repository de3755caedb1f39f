import { randomUUID } from 'node:crypto';
import { sha256Hex } from '@yuqing/core';
import type { MentionInsert } from '@yuqing/db';

/**
 * A mention row as ingest would store it, with a unique URL (and hash) and neutral defaults: no source, no
 * engagement, no reply, fetched now, not relevant. Tests set what they test.
 */
export function mentionInsertFixture(
  fields: Partial<MentionInsert> & Pick<MentionInsert, 'title' | 'body'>,
): MentionInsert {
  const url = fields.url ?? `https://bbs.example.cn/thread/${randomUUID()}`;
  return {
    sourceId: null,
    crawlRunId: null,
    url,
    canonicalUrl: url,
    urlHash: sha256Hex(url),
    contentHash: sha256Hex(`${url}\n${fields.title}\n${fields.body}`),
    author: null,
    siteName: null,
    publishedAt: null,
    fetchedAt: new Date(),
    likes: 0,
    comments: 0,
    reposts: 0,
    views: 0,
    region: null,
    rawEncoding: null,
    replyText: null,
    replyDepartment: null,
    replyAt: null,
    tags: [],
    searchTokens: '',
    relevant: false,
    ...fields,
  };
}
