import { z } from 'zod';

/**
 * A mention as a crawler found it, before normalisation and deduplication: the contract between crawl
 * workers and ingest workers (they may run on different machines).
 */
export const rawMentionSchema = z.object({
  url: z.string().url(),
  canonicalUrl: z.string().url().optional(),
  title: z.string(),
  body: z.string(),
  author: z.string().optional(),
  siteName: z.string().optional(),
  /** ISO 8601 with offset. */
  publishedAt: z.string().datetime({ offset: true }).optional(),
  likes: z.number().int().nonnegative().optional(),
  comments: z.number().int().nonnegative().optional(),
  reposts: z.number().int().nonnegative().optional(),
  views: z.number().int().nonnegative().optional(),
  region: z.string().optional(),
  rawEncoding: z.string().optional(),
  replyText: z.string().optional(),
  replyDepartment: z.string().optional(),
  replyAt: z.string().datetime({ offset: true }).optional(),
  tags: z.array(z.string()).optional(),
  /**
   * The post this one reposts (a 微博 retweet's original, `retweeted_status`), by its URL: the original is emitted
   * as a mention of its own, so a repost links to it instead of repeating its text.
   */
  parentUrl: z.string().url().optional(),
  /**
   * Identity of an item among others at the same page URL (a feed entry's guid or link fragment, an imported
   * comment's id): kept as the canonical URL's fragment, see `canonicaliseItemUrl`.
   */
  itemKey: z.string().min(1).max(500).optional(),
  /**
   * An entry of a platform hot list (热榜) as seen in one poll: ingest records every entry's rank (its rank
   * history) and keeps as a mention only the entries a monitoring scheme or the relevance model finds relevant.
   */
  hotList: z
    .object({
      platform: z.string().min(1).max(40),
      /** The entry's identity on the list across polls (its title, or the platform's id for it). */
      entryKey: z.string().min(1).max(500),
      /** 1 = top of the list. */
      rank: z.number().int().positive(),
      /** The platform's heat figure (热度), when it shows one. */
      heat: z.number().int().nonnegative().optional(),
      /** When the list was read, ISO 8601: one poll's entries share it. */
      observedAt: z.string().datetime({ offset: true }),
    })
    .optional(),
});
export type RawMention = z.infer<typeof rawMentionSchema>;
