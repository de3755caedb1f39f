// Who gets which digest: a user's saved choices, or the defaults a leader gets without saving any.
import { z } from 'zod';
import type { DigestSubscription, IssueLevel, Role } from '@yuqing/db';
import { ISSUE_LEVEL_RANK, ISSUE_LEVELS } from '@yuqing/domain';
import { REPORT_PERIOD_KINDS, type ReportPeriodKind } from './report-period.ts';

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
  /** Scheduled reports received besides the digest (周报, 月报, 季报, 年报), in that order. */
  reportKinds: ReportPeriodKind[];
  /** True when no row is saved and these are the defaults. */
  isDefault: boolean;
}

/** Default send time, local to the configured time zone. */
export const DEFAULT_SEND_TIME = '08:00';

/**
 * The stored kinds that name a report, in calendar order (week first). The column is plain text[]: a value written
 * by hand or by a later version is dropped here rather than scheduled.
 */
function knownReportKinds(stored: readonly string[]): ReportPeriodKind[] {
  return REPORT_PERIOD_KINDS.filter((kind) => stored.includes(kind));
}

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
      reportKinds: knownReportKinds(row.reportKinds),
      isDefault: false,
    };
  }
  return {
    enabled: role === 'leader',
    sendTime: DEFAULT_SEND_TIME,
    categories: [],
    minLevel: 'none',
    attachDocx: true,
    reportKinds: [...REPORT_PERIOD_KINDS],
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
  reportKinds: z
    .array(z.enum(REPORT_PERIOD_KINDS, { error: `应为 ${REPORT_PERIOD_KINDS.join('、')} 之一` }))
    .transform((list) => REPORT_PERIOD_KINDS.filter((kind) => list.includes(kind)))
    .optional(),
});
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;
