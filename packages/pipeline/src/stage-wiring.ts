// Which handler serves which job, and the repeating jobs: the one place that assembles the stages
// (collect → ingest → analyse → alert, digests, maintenance) for `yq start` and `yq worker`.
import type { AlertMailer, ChannelBreaker } from '@yuqing/alerts';
import type { AppConfig, Clock } from '@yuqing/core';
import type { Db } from '@yuqing/db';
import { jobCatalog, type JobHandlers, type JobQueues, type QueueName } from '@yuqing/queue';
import { createAnalysisHandlers } from './analysis-handlers.ts';
import { ClassificationPool } from './classification-pool.ts';
import { createCrawlHandlers } from './crawl-stage.ts';

/** How often the engine tick runs: windows close and a growth escalation is alerted within this of its time. */
export const ENGINE_TICK_MS = 60_000;

/** What the stage handlers run on. */
export interface StageDeps {
  db: Db;
  queues: JobQueues;
  config: AppConfig;
  /** Registers something to release when the process closes (classification threads). */
  onClose(close: () => Promise<void>): void;
  /** Tests pass a manual clock (alert triggers, escalation). @defaultValue the system clock */
  clock?: Clock;
  /** Alert channels' circuit breakers. @defaultValue in the queues' Redis, default threshold and cool-down */
  breaker?: ChannelBreaker;
}

/**
 * Job handlers for the chosen queues. The heavy parts load lazily: a crawl-only worker starts no classification
 * threads, and an analysis-only worker never loads the crawlers (on the first crawl) or the digest renderer.
 */
export async function createStageHandlers(deps: StageDeps, queues: readonly QueueName[]): Promise<JobHandlers> {
  const { db, config } = deps;
  const wanted = new Set<string>(queues);
  const all: JobHandlers = {};
  if (wanted.has('crawl') || wanted.has('ingest') || wanted.has('maintenance')) {
    // A crawl worker loads the crawlers now: loading them inside the first job would block its event loop for
    // seconds on a busy machine while the job holds its queue lock.
    if (wanted.has('crawl')) await import('@yuqing/crawlers');
    Object.assign(all, createCrawlHandlers({ db, queues: deps.queues, config }));
  }
  if (wanted.has('analyse') || wanted.has('alert') || wanted.has('maintenance')) {
    // Classification threads (jieba + models each) only where mentions are analysed.
    const pool =
      wanted.has('analyse') && config.analysisThreads > 0
        ? new ClassificationPool(config.analysisThreads, { threadNiceness: config.analysisThreadNiceness })
        : undefined;
    if (pool) deps.onClose(() => pool.close());
    const mailer = wanted.has('alert') ? lazyDigestMailer(config, deps.onClose) : undefined;
    Object.assign(
      all,
      createAnalysisHandlers({
        db,
        queues: deps.queues,
        config,
        ...(pool ? { pool } : {}),
        ...(mailer ? { mailer } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.breaker ? { breaker: deps.breaker } : {}),
      }),
    );
  }
  if (wanted.has('digest')) {
    const digest = await import('@yuqing/digest');
    Object.assign(all, digest.createDigestHandlers({ db, queues: deps.queues, config }));
    Object.assign(all, digest.createReportHandlers({ db, queues: deps.queues, config }));
  }
  return Object.fromEntries(
    Object.entries(all).filter(([name]) => wanted.has(jobCatalog[name as keyof typeof jobCatalog].queue)),
  ) as JobHandlers;
}

/**
 * E-mail alert channels send through the digest's mailer (SMTP_URL, or the outbox), loaded on the first alert mail
 * so an alert worker without e-mail channels never loads the digest renderer.
 */
function lazyDigestMailer(config: AppConfig, onClose: StageDeps['onClose']): AlertMailer {
  let mailer: Promise<{ send: AlertMailer['send'] }> | undefined;
  return {
    send: async (message, fileStem) => {
      mailer ??= import('@yuqing/digest').then(({ createDigestMailer }) => {
        const created = createDigestMailer(config);
        onClose(async () => created.close());
        return created;
      });
      return (await mailer).send(message, fileStem);
    },
  };
}

/**
 * Repeating jobs: crawl schedule check and the engine tick every minute, digest and 周报/月报/季报/年报 checks every 5
 * minutes (each send is idempotent per recipient and day or period), nightly retrain (03:30 local).
 */
export async function installSchedules(queues: JobQueues, config: Pick<AppConfig, 'timeZone'>): Promise<void> {
  await queues
    .queue('maintenance')
    .upsertJobScheduler('schedule-crawls', { every: 60_000 }, { name: 'schedule-crawls', data: {} });
  await queues
    .queue('analyse')
    .upsertJobScheduler('advance-engine', { every: ENGINE_TICK_MS }, { name: 'advance-engine', data: {} });
  // The alert triggers no mention brings (deadlines, approvals, negative-share jumps), judged every minute.
  await queues
    .queue('alert')
    .upsertJobScheduler(
      'evaluate-alert-triggers',
      { every: ENGINE_TICK_MS },
      { name: 'evaluate-alert-triggers', data: {} },
    );
  // Alerts nobody acknowledged in time go to the next channel of their escalation rule (checked every minute).
  await queues
    .queue('alert')
    .upsertJobScheduler('escalate-alerts', { every: ENGINE_TICK_MS }, { name: 'escalate-alerts', data: {} });
  await queues
    .queue('digest')
    .upsertJobScheduler('schedule-digests', { every: 5 * 60_000 }, { name: 'schedule-digests', data: {} });
  await queues
    .queue('digest')
    .upsertJobScheduler('schedule-reports', { every: 5 * 60_000 }, { name: 'schedule-reports', data: {} });
  await queues
    .queue('maintenance')
    .upsertJobScheduler(
      'retrain-models',
      { pattern: '0 30 3 * * *', tz: config.timeZone },
      { name: 'retrain-models', data: {} },
    );
}
