// Who gets which digest: a user's saved choices, or the defaults a leader gets without saving any.
import { z } from 'zod';
import type { DigestSubscription, IssueLevel, Role } from '@yuqing/db';
import { ISSUE_LEVEL_RANK, ISSUE_LEVELS } from '@yuqing/domain';

/** Rank of a level for comparisons (none 0 … severe 3). */
export function levelRank(level: IssueLevel): number {
  return ISSUE_LEVEL_RANK[level];
}

/** The digest settings in force for one user. */
export interface EffectiveSubscription {
  enabled: boolean;
  /** HH:mm in the configured time zone. */
  sendTime: string;
  /** Empty means all categories. */
  categories: string[];
  minLevel: IssueLevel;
  attachDocx: boolean;
  /** True when no row is saved and these are the defaults. */
  isDefault: boolean;
}

/** Default send time, local to the configured time zone. */
export const DEFAULT_SEND_TIME = '08:00';

/**
 * Settings in force: the saved row; without one, leaders get everything (subscribed, all categories, all
 * levels, with the .docx) and other roles are not subscribed until they choose to be.
 */
export function effectiveSubscription(row: DigestSubscription | null, role: Role): EffectiveSubscription {
  if (row) {
    return {
      enabled: row.enabled,
      sendTime: row.sendTime,
      categories: [...row.categories],
      minLevel: row.minLevel,
      attachDocx: row.attachDocx,
      isDefault: false,
    };
  }
  return {
    enabled: role === 'leader',
    sendTime: DEFAULT_SEND_TIME,
    categories: [],
    minLevel: 'none',
    attachDocx: true,
    isDefault: true,
  };
}

/** Longest category list and name a subscriber can save. */
const MAX_CATEGORIES = 50;
const MAX_CATEGORY_CHARS = 40;

/** Body of `PUT /api/digests/subscription`; every field optional (absent keeps the current value). */
export const subscriptionInputSchema = z.strictObject({
  enabled: z.boolean().optional(),
  sendTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm, e.g. 08:00')
    .optional(),
  categories: z
    .array(z.string().trim().min(1).max(MAX_CATEGORY_CHARS))
    .max(MAX_CATEGORIES)
    .transform((list) => [...new Set(list)])
    .optional(),
  minLevel: z.enum(ISSUE_LEVELS).optional(),
  attachDocx: z.boolean().optional(),
});
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;
