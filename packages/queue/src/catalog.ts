import { z } from 'zod';
import { rawMentionSchema } from '@yuqing/domain';

/** Every job Yuqing runs: queue, job name and payload schema. Workers validate payloads with these. */
export const jobCatalog = {
  /** Crawl one source now. */
  'crawl-source': {
    queue: 'crawl',
    payload: z.object({
      sourceId: z.number().int().positive(),
      runId: z.number().int().positive().optional(),
      trigger: z.enum(['schedule', 'manual', 'test']).default('schedule'),
    }),
  },
  /** Store what a crawl found (normalise, dedupe by URL and content hash). */
  'ingest-mentions': {
    queue: 'ingest',
    payload: z.object({
      sourceId: z.number().int().positive().optional(),
      runId: z.number().int().positive().optional(),
      items: z.array(rawMentionSchema).min(1),
    }),
  },
  /** Classify stored mentions and file them under issues. */
  'analyse-mentions': {
    queue: 'analyse',
    payload: z.object({ mentionIds: z.array(z.number().int().positive()).min(1) }),
  },
  /**
   * The engine tick (every minute): the clustering engine's clock moves to the wall clock with no new mention, so
   * burst windows close and hotness decays on time.
   */
  'advance-engine': { queue: 'analyse', payload: z.object({}).default({}) },
  /** A hot-issue flag was raised or escalated. */
  'issue-flagged': {
    queue: 'alert',
    payload: z.object({
      issueId: z.number().int().positive(),
      level: z.enum(['general', 'major', 'severe']),
      reason: z.string(),
      /** A resolved issue reopened by a new burst (alerted again even at a level it had). */
      reopened: z.boolean().default(false),
    }),
  },
  /** Push one alert to one channel (企业微信 / 钉钉 / 飞书 / webhook); retried with backoff, logged per attempt. */
  'deliver-alert': {
    queue: 'alert',
    payload: z.object({
      channelId: z.number().int().positive(),
      issueId: z.number().int().positive(),
      level: z.enum(['general', 'major', 'severe']),
      reason: z.string(),
      /** When the flag was raised (ISO). */
      at: z.string(),
      /** `issue.flagged`, or `issue.reopened:<ISO time>` (each reopening is its own alert). */
      trigger: z.string().default('issue.flagged'),
      /** A `hotlist.entry` trigger's entry, for the message's 热榜 line and `{{hotList.*}}` template values. */
      hotList: z
        .object({
          platform: z.string(),
          rank: z.number().int().positive(),
          heat: z.number().int().nullable(),
          title: z.string(),
          band: z.string(),
        })
        .optional(),
      /** An escalation (trigger `escalation:<id>`): the delivery left unacknowledged that this one passes on. */
      escalatedFromId: z.number().int().positive().optional(),
    }),
  },
  /**
   * Send a channel's alerts held past its per-minute limit as one combined message, at the start of the minute after
   * `minute` (whole minutes since the epoch) they were held in.
   */
  'deliver-alert-batch': {
    queue: 'alert',
    payload: z.object({ channelId: z.number().int().positive(), minute: z.number().int().nonnegative() }),
  },
  /**
   * Evaluate the alert triggers that no mention brings (every minute): negative-share jumps, response deadlines near
   * or passed, responses waiting for approval; each fires once per issue, kind and level.
   */
  'evaluate-alert-triggers': { queue: 'alert', payload: z.object({}).default({}) },
  /**
   * Pass alerts nobody acknowledged in time on to the next channel of their escalation rule (every minute); each
   * delivery is escalated once, by one worker.
   */
  'escalate-alerts': { queue: 'alert', payload: z.object({}).default({}) },
  /** Send one recipient's digest for one day (idempotent per recipient and day). */
  'send-digest': {
    queue: 'digest',
    payload: z.object({ userId: z.number().int().positive(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  },
  /** Find recipients whose send time has come and enqueue their digests. */
  'schedule-digests': { queue: 'digest', payload: z.object({}).default({}) },
  /** Send one recipient's 周报, 月报, 季报 or 年报 (idempotent per recipient and period). */
  'send-report': {
    queue: 'digest',
    payload: z.object({
      userId: z.number().int().positive(),
      kind: z.enum(['week', 'month', 'quarter', 'year']),
      // 2026-W48, 2026-11, 2026-Q4, 2026; the handler checks the shape against the kind.
      period: z.string().regex(/^\d{4}(?:-W\d{2}|-\d{2}|-Q[1-4])?$/),
    }),
  },
  /**
   * Enqueue the 周报 / 月报 / 季报 / 年报 that are due (Monday, the 1st, the first day of a quarter or year, 08:00
   * local) for the digest's recipients who chose them.
   */
  'schedule-reports': { queue: 'digest', payload: z.object({}).default({}) },
  /** Enqueue crawls for sources whose cron schedule is due. */
  'schedule-crawls': { queue: 'maintenance', payload: z.object({}).default({}) },
  /** Retrain classifiers from analysts' labels; promote only if no worse. */
  'retrain-models': { queue: 'maintenance', payload: z.object({ task: z.string().optional() }).default({}) },
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.input<(typeof jobCatalog)[N]['payload']>;
export type ParsedJobPayload<N extends JobName> = z.output<(typeof jobCatalog)[N]['payload']>;
export type QueueName = (typeof jobCatalog)[JobName]['queue'];

/** All queue names, in the order `yq worker` lists them. */
export const QUEUE_NAMES = [
  'crawl',
  'ingest',
  'analyse',
  'alert',
  'digest',
  'maintenance',
] as const satisfies readonly QueueName[];

/** Queue that carries job `name`. */
export function queueOf(name: JobName): QueueName {
  return jobCatalog[name].queue;
}

/** Validates a payload for `name`, throwing a zod error naming the bad field. */
export function parsePayload<N extends JobName>(name: N, payload: unknown): ParsedJobPayload<N> {
  return jobCatalog[name].payload.parse(payload) as ParsedJobPayload<N>;
}
