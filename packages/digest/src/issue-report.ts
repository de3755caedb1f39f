// The 专报 on one issue: how it spread (timeline, daily curve), its sentiment split, the key voices (most-liked
// and most-reposted mentions, most active authors) and the response record (drafts, approvals, publications).
import { NotFoundError } from '@yuqing/core';
import { issueReportData, type DbTx, type IssueReportData, type KeyVoiceMention } from '@yuqing/db';
import {
  DECISION_LABELS,
  flagReasonLabel,
  ISSUE_STATUS_LABELS,
  LEVEL_LABELS,
  MATERIAL_KIND_LABELS,
  RESPONSE_STATUS_LABELS,
} from '@yuqing/domain';
import { DateTime } from 'luxon';
import type { TrendPoint } from './digest-content.ts';
import { issueUrl } from './digest-content.ts';

/** One dated line of the issue's timeline. */
export interface IssueTimelineEvent {
  at: Date;
  /** What happened, in Chinese. */
  text: string;
}

/** A response as the record lists it. */
export interface IssueResponseRecord {
  id: number;
  statusLabel: string;
  author: string;
  versions: number;
  createdAt: Date;
  /** The current text (口径). */
  body: string;
  decisions: Array<{ at: Date; decider: string; decisionLabel: string; version: number; comment: string | null }>;
  publications: Array<{ at: Date; channel: string; url: string | null }>;
  materials: Array<{ kindLabel: string; title: string }>;
}

/** Everything the 专报 shows. */
export interface IssueReportContent {
  issue: IssueReportData['issue'];
  url: string;
  levelLabel: string;
  statusLabel: string;
  timeZone: string;
  generatedAt: Date;
  /** Mentions per local day from the first to the last (days without mentions as zeros). */
  spread: TrendPoint[];
  sentiment: Record<string, number>;
  mostLiked: KeyVoiceMention[];
  mostReposted: KeyVoiceMention[];
  authors: Array<{ author: string; mentions: number; likes: number; reposts: number }>;
  timeline: IssueTimelineEvent[];
  responses: IssueResponseRecord[];
}

/** Options for {@link buildIssueReport}. */
export interface BuildIssueReportOptions {
  issueId: number;
  timeZone: string;
  publicUrl: string;
  /** @defaultValue now */
  asOf?: Date;
}

/** Fills days without mentions between the first and the last with zeros (pure). */
export function fillSpread(rows: Array<{ day: string; mentions: number; negative: number }>): TrendPoint[] {
  if (rows.length === 0) return [];
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: TrendPoint[] = [];
  let d = DateTime.fromISO(rows[0]!.day, { zone: 'UTC' });
  const last = DateTime.fromISO(rows[rows.length - 1]!.day, { zone: 'UTC' });
  while (d <= last) {
    const day = d.toISODate()!;
    out.push({ date: day, mentions: byDay.get(day)?.mentions ?? 0, negative: byDay.get(day)?.negative ?? 0 });
    d = d.plus({ days: 1 });
  }
  return out;
}

/** The issue's events in time order: first seen, flags, each response's steps and publications (pure). */
export function issueTimelineFrom(data: IssueReportData): IssueTimelineEvent[] {
  const events: IssueTimelineEvent[] = [{ at: data.issue.firstSeenAt, text: '首次监测到相关信息' }];
  for (const f of data.issue.flags)
    events.push({ at: f.createdAt, text: `预警为${LEVEL_LABELS[f.level]}热点：${flagReasonLabel(f.reason)}` });
  for (const r of data.responses) {
    events.push({ at: r.createdAt, text: `${r.author.displayName}起草回应口径（第${r.id}号）` });
    if (r.submittedAt) events.push({ at: r.submittedAt, text: `回应口径（第${r.id}号）提交审批` });
    for (const a of r.approvals)
      events.push({
        at: a.createdAt,
        text: `${a.decider.displayName}${DECISION_LABELS[a.decision as keyof typeof DECISION_LABELS] ?? a.decision}第${a.version}版${a.comment ? `：${a.comment}` : ''}`,
      });
    for (const p of r.publishes) events.push({ at: p.publishedAt, text: `经${p.channel}发布回应` });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * Builds the 专报 of one issue.
 * @throws NotFoundError when the issue does not exist.
 */
export async function buildIssueReport(db: DbTx, options: BuildIssueReportOptions): Promise<IssueReportContent> {
  const data = await issueReportData(db, options.issueId, options.timeZone);
  if (!data) throw new NotFoundError(`issue ${options.issueId} does not exist`);
  return {
    issue: data.issue,
    url: issueUrl(options.publicUrl, data.issue.id),
    levelLabel: LEVEL_LABELS[data.issue.level],
    statusLabel: ISSUE_STATUS_LABELS[data.issue.status],
    timeZone: options.timeZone,
    generatedAt: options.asOf ?? new Date(),
    spread: fillSpread(data.spread),
    sentiment: data.sentiment,
    mostLiked: data.mostLiked,
    mostReposted: data.mostReposted,
    authors: data.authors,
    timeline: issueTimelineFrom(data),
    responses: data.responses.map((r) => ({
      id: r.id,
      statusLabel: RESPONSE_STATUS_LABELS[r.status],
      author: r.author.displayName,
      versions: r.versions.length,
      createdAt: r.createdAt,
      body: r.versions.find((v) => v.version === r.currentVersion)?.body ?? r.versions.at(-1)?.body ?? '',
      decisions: r.approvals.map((a) => ({
        at: a.createdAt,
        decider: a.decider.displayName,
        decisionLabel: DECISION_LABELS[a.decision as keyof typeof DECISION_LABELS] ?? a.decision,
        version: a.version,
        comment: a.comment,
      })),
      publications: r.publishes.map((p) => ({ at: p.publishedAt, channel: p.channel, url: p.url })),
      materials: r.materials.map((m) => ({
        kindLabel: MATERIAL_KIND_LABELS[m.kind as keyof typeof MATERIAL_KIND_LABELS] ?? m.kind,
        title: m.title,
      })),
    })),
  };
}
