// Gathers one day's digest: headline figures against the day before, the day's new and escalated hot
// issues, responses still open and those published, and a 7-day trend. Reads through @yuqing/db only.
import { dayBounds } from '@yuqing/core';
import {
  countMentionFigures,
  hotnessBefore,
  listIssueFlagsInWindow,
  listIssuesAwaitingResponse,
  listOpenResponses,
  listPublishRecordsInWindow,
  type DbTx,
  type DigestFlagRow,
  type DigestIssueRow,
  type IssueLevel,
  type MentionFigures,
  type ResponseStatus,
} from '@yuqing/db';
import { addDays, briefingSerial } from './digest-date.ts';
import { flagReasonLabel, LEVEL_LABELS, NO_RESPONSE_LABEL, RESPONSE_PROGRESS_LABELS } from '@yuqing/domain';
import { levelRank } from './subscription.ts';

/** Which part of the day a reader wants. */
export interface DigestFilter {
  /** Empty means all categories. */
  categories: string[];
  /** Issues below this level are left out. */
  minLevel: IssueLevel;
}

/** The filter that keeps everything. */
export const FULL_DIGEST_FILTER: DigestFilter = { categories: [], minLevel: 'none' };

/** A count and how it moved against the day before. */
export interface HeadlineFigure {
  value: number;
  previous: number;
  change: number;
  /** Relative change in percent; null when the day before had zero. */
  changePercent: number | null;
}

/** Share of negative mentions among relevant ones, in percent. */
export interface ShareFigure {
  /** null when there were no relevant mentions. */
  value: number | null;
  previous: number | null;
  /** Difference in percentage points; null when either day has no share. */
  changePoints: number | null;
}

export interface DigestHeadline {
  mentions: HeadlineFigure;
  relevant: HeadlineFigure;
  negative: HeadlineFigure;
  negativeShare: ShareFigure;
}

/** A hot issue flagged on the digest day. */
export interface DigestIssueItem {
  id: number;
  title: string;
  /** Link into the dashboard. */
  url: string;
  /** Highest level flagged that day. */
  level: IssueLevel;
  levelLabel: string;
  /** new: first flagged that day; escalated: raised above an earlier flag; ongoing: flagged again at the same level. */
  kind: 'new' | 'escalated' | 'ongoing';
  previousLevel: IssueLevel | null;
  hotness: number;
  category: string | null;
  mentionCount: number;
  /** Percent of the issue's mentions that are negative; null when unknown. */
  negativePercent: number | null;
  reason: string;
  /** One line for the reader. */
  summary: string;
  flaggedAt: Date;
}

/** A flagged issue still waiting for a published response. */
export interface DigestPendingItem {
  issueId: number;
  issueTitle: string;
  issueUrl: string;
  level: IssueLevel;
  levelLabel: string;
  /** null: nobody has drafted a response yet. */
  responseId: number | null;
  status: ResponseStatus | null;
  statusLabel: string;
  deadlineAt: Date | null;
  overdue: boolean;
}

/** A response published on the digest day. */
export interface DigestPublishedItem {
  issueId: number;
  issueTitle: string;
  issueUrl: string;
  responseId: number;
  channel: string;
  url: string | null;
  publishedAt: Date;
}

/** Mentions and negative mentions of one day, for the trend chart. */
export interface TrendPoint {
  date: string;
  mentions: number;
  negative: number;
}

/** Everything a digest e-mail and the 舆情日报 show for one day. */
export interface DigestContent {
  /** Day reported on, YYYY-MM-DD in `timeZone`. */
  date: string;
  previousDate: string;
  timeZone: string;
  /** e.g. 〔2026〕第331期 */
  serial: string;
  generatedAt: Date;
  filter: DigestFilter;
  headline: DigestHeadline;
  issues: DigestIssueItem[];
  pending: DigestPendingItem[];
  published: DigestPublishedItem[];
  /** Seven days ending on `date`, oldest first. */
  trend: TrendPoint[];
  /** Dashboard base URL (config.publicUrl). */
  dashboardUrl: string;
  /** True when the day brought no mentions, no hot issues and no published responses. */
  isEmpty: boolean;
}

/** Options for {@link buildDigestContent}. */
export interface BuildDigestOptions {
  /** Day to report on (YYYY-MM-DD in `timeZone`). */
  date: string;
  timeZone: string;
  /** Dashboard base URL without a trailing slash. */
  publicUrl: string;
  /** @defaultValue {@link FULL_DIGEST_FILTER} */
  filter?: DigestFilter;
  /** When the digest is made: open responses and deadlines are judged at this instant. @defaultValue now */
  asOf?: Date;
}

/** Days in the trend chart. */
export const TREND_DAYS = 7;
/** Longest one-line summary, in characters. */
const SUMMARY_MAX_CHARS = 90;

function figure(value: number, previous: number): HeadlineFigure {
  return {
    value,
    previous,
    change: value - previous,
    changePercent: previous === 0 ? null : round1(((value - previous) / previous) * 100),
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function share(f: MentionFigures): number | null {
  return f.relevant === 0 ? null : round1((f.negative / f.relevant) * 100);
}

/** Builds the headline block from two days' counts (pure). */
export function headlineFrom(today: MentionFigures, yesterday: MentionFigures): DigestHeadline {
  const value = share(today);
  const previous = share(yesterday);
  return {
    mentions: figure(today.mentions, yesterday.mentions),
    relevant: figure(today.relevant, yesterday.relevant),
    negative: figure(today.negative, yesterday.negative),
    negativeShare: {
      value,
      previous,
      changePoints: value === null || previous === null ? null : round1(value - previous),
    },
  };
}

/** Issue URL in the dashboard. */
export function issueUrl(publicUrl: string, issueId: number): string {
  return `${publicUrl}/issues/${issueId}`;
}

function passes(issue: DigestIssueRow, level: IssueLevel, filter: DigestFilter): boolean {
  if (levelRank(level) < levelRank(filter.minLevel)) return false;
  if (filter.categories.length > 0 && !(issue.category && filter.categories.includes(issue.category))) return false;
  return true;
}

function negativePercent(mix: unknown): number | null {
  if (!mix || typeof mix !== 'object') return null;
  const m = mix as Record<string, unknown>;
  const n = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : 0);
  const total = n('negative') + n('neutral') + n('positive');
  return total === 0 ? null : Math.round((n('negative') / total) * 100);
}

function oneLine(parts: Array<string | null | undefined | false>): string {
  const line = parts.filter(Boolean).join('；').replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_MAX_CHARS ? `${line.slice(0, SUMMARY_MAX_CHARS - 1)}…` : line;
}

/**
 * One entry per issue flagged that day, at the highest level it reached that day, compared with the
 * highest level it had before the day (pure).
 */
export function issueItemsFrom(
  flags: DigestFlagRow[],
  hotness: Map<number, number>,
  publicUrl: string,
  filter: DigestFilter,
): DigestIssueItem[] {
  const strongest = new Map<number, DigestFlagRow>();
  for (const flag of flags) {
    const seen = strongest.get(flag.issue.id);
    if (!seen || levelRank(flag.level) > levelRank(seen.level)) strongest.set(flag.issue.id, flag);
  }
  const items: DigestIssueItem[] = [];
  for (const flag of strongest.values()) {
    const issue = flag.issue;
    if (!passes(issue, flag.level, filter)) continue;
    const kind =
      flag.priorLevel === null ? 'new' : levelRank(flag.level) > levelRank(flag.priorLevel) ? 'escalated' : 'ongoing';
    const negative = negativePercent(issue.sentimentMix);
    items.push({
      id: issue.id,
      title: issue.title,
      url: issueUrl(publicUrl, issue.id),
      level: flag.level,
      levelLabel: LEVEL_LABELS[flag.level],
      kind,
      previousLevel: flag.priorLevel,
      hotness: round1(hotness.get(issue.id) ?? issue.hotness),
      category: issue.category,
      mentionCount: issue.mentionCount,
      negativePercent: negative,
      reason: flagReasonLabel(flag.reason),
      summary: oneLine([
        flagReasonLabel(flag.reason),
        issue.mentionCount > 0 && `相关信息${issue.mentionCount}条`,
        negative !== null && `负面占${negative}%`,
        issue.places.length > 0 && `涉及${issue.places.slice(0, 3).join('、')}`,
      ]),
      flaggedAt: flag.createdAt,
    });
  }
  return items.sort((a, b) => levelRank(b.level) - levelRank(a.level) || b.hotness - a.hotness || a.id - b.id);
}

/** Builds the digest of `options.date` from the database. */
export async function buildDigestContent(db: DbTx, options: BuildDigestOptions): Promise<DigestContent> {
  const filter = options.filter ?? FULL_DIGEST_FILTER;
  const asOf = options.asOf ?? new Date();
  const { timeZone, publicUrl, date } = options;
  const window = dayBounds(date, timeZone);
  const previousDate = addDays(date, -1);
  const trendDates = Array.from({ length: TREND_DAYS }, (_, i) => addDays(date, i - (TREND_DAYS - 1)));
  // The previous day is also the trend's second-to-last point: count each day once.
  const [dayFigures, flags, openResponses, awaiting, publishRows] = await Promise.all([
    Promise.all(trendDates.map((d) => countMentionFigures(db, dayBounds(d, timeZone), filter.categories))),
    listIssueFlagsInWindow(db, window),
    listOpenResponses(db, window.end),
    listIssuesAwaitingResponse(db, window.end),
    listPublishRecordsInWindow(db, window),
  ]);
  const today = dayFigures[TREND_DAYS - 1]!;
  const yesterday = dayFigures[TREND_DAYS - 2]!;
  const hotness = await hotnessBefore(db, [...new Set(flags.map((f) => f.issue.id))], window.end);
  const issues = issueItemsFrom(flags, hotness, publicUrl, filter);

  const pending: DigestPendingItem[] = [];
  for (const r of openResponses) {
    if (!passes(r.issue, r.issue.level, filter)) continue;
    const deadlineAt = r.deadlineAt ?? r.issue.deadlineAt;
    pending.push({
      issueId: r.issue.id,
      issueTitle: r.issue.title,
      issueUrl: issueUrl(publicUrl, r.issue.id),
      level: r.issue.level,
      levelLabel: LEVEL_LABELS[r.issue.level],
      responseId: r.id,
      status: r.status,
      statusLabel: RESPONSE_PROGRESS_LABELS[r.status],
      deadlineAt,
      overdue: deadlineAt !== null && deadlineAt.getTime() < asOf.getTime(),
    });
  }
  for (const issue of awaiting) {
    if (!passes(issue, issue.level, filter)) continue;
    pending.push({
      issueId: issue.id,
      issueTitle: issue.title,
      issueUrl: issueUrl(publicUrl, issue.id),
      level: issue.level,
      levelLabel: LEVEL_LABELS[issue.level],
      responseId: null,
      status: null,
      statusLabel: NO_RESPONSE_LABEL,
      deadlineAt: issue.deadlineAt,
      overdue: issue.deadlineAt !== null && issue.deadlineAt.getTime() < asOf.getTime(),
    });
  }
  // Overdue first, then the nearest deadline: what a leader has to chase comes first.
  pending.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.deadlineAt?.getTime() ?? Infinity) - (b.deadlineAt?.getTime() ?? Infinity) ||
      a.issueId - b.issueId,
  );

  const published = publishRows
    .filter((p) => passes(p.issue, p.issue.level, filter))
    .map((p) => ({
      issueId: p.issue.id,
      issueTitle: p.issue.title,
      issueUrl: issueUrl(publicUrl, p.issue.id),
      responseId: p.responseId,
      channel: p.channel,
      url: p.url,
      publishedAt: p.publishedAt,
    }));

  const headline = headlineFrom(today, yesterday);
  return {
    date,
    previousDate,
    timeZone,
    serial: briefingSerial(date),
    generatedAt: asOf,
    filter,
    headline,
    issues,
    pending,
    published,
    trend: trendDates.map((d, i) => ({
      date: d,
      mentions: dayFigures[i]!.mentions,
      negative: dayFigures[i]!.negative,
    })),
    dashboardUrl: publicUrl,
    isEmpty: headline.mentions.value === 0 && issues.length === 0 && published.length === 0,
  };
}
