import {
  appendAudit,
  analysedMentionIds,
  appendIssueHotness,
  loadUnanalysedMentions,
  recordIssueFlag,
  addToIssueAggregates,
  saveAnalyses,
  upsertClusteredIssues,
  withEngineState,
  issuesForFlagging,
  loadAnalystDecisions,
  reopenIssue,
  foldClusteredIssue,
  type Db,
  type DbTx,
  type IssueLevel,
  type MentionForAnalysis,
} from '@yuqing/db';
import { createLogger, errorCode, errorMessage, systemClock, type AppConfig, type Clock } from '@yuqing/core';
import { deadlineForLevel, flagOutcome, flagReasonText, parseAckMinutes } from '@yuqing/domain';
import type { HotIssueEvent, HotIssueOptions } from '@yuqing/nlp';
import {
  deliverAlert,
  deliverAlertBatch,
  enqueueAlertDeliveries,
  escalateAlerts,
  type AlertMailer,
  type ChannelBreaker,
} from '@yuqing/alerts';
import { JobCoalescer, type JobHandlers, type JobQueues } from '@yuqing/queue';
import { engineDecisions, mergeRedirects } from './analyst-decisions.ts';
import { ClassificationPool, POOL_UNAVAILABLE } from './classification-pool.ts';
import { classifyAndFeature, type ClassifiedMention } from './classify-and-feature.ts';
import { advanceEngineClock, clusterBatch, LEVEL_OF, type StoredClusteringState } from './issue-clustering.ts';
import { ModelSet } from './model-set.ts';
import { retrainModels } from './retrain.ts';
import { evaluateAlertTriggers } from './alert-trigger-stage.ts';

const log = createLogger('analysis');

/** Key of the shared clustering state row. */
export const CLUSTERING_STATE_KEY = 'issue-clustering';

/** Dependencies of the analysis handlers. */
export interface AnalysisDeps {
  db: Db;
  queues: JobQueues;
  config: AppConfig;
  clock?: Clock;
  /** Clustering and burst settings (tests shorten the windows). */
  hotIssueOptions?: Partial<HotIssueOptions>;
  /** Classification threads to use; without, mentions are classified on the calling thread. The caller closes it. */
  pool?: ClassificationPool;
  /** Sends e-mail alert channels' mail (the stage wiring gives the digest's mailer). */
  mailer?: AlertMailer;
  /** Alert channels' circuit breakers (default: in the queues' Redis, default threshold and cool-down). */
  breaker?: ChannelBreaker;
  /** Rank bands a relevant hot-list entry alerts again in (default HOT_LIST_RANK_BANDS: top 10, top 3). */
  hotListBands?: readonly number[];
}

/** Most mentions analysed in one group (jobs the worker holds at once are analysed together). */
export const ANALYSE_GROUP_MAX_MENTIONS = 1000;

/** Outcome of one `analyse-mentions` job. */
export interface AnalyseBatchResult {
  analysed: number;
  relevant: number;
  skipped: number;
  /** Flags raised or escalated by the group of jobs this one was analysed with. */
  flags: number;
}

/** Outcome of {@link analyseMentions}: counts plus which mentions this call analysed and found relevant. */
export interface AnalyseOutcome extends AnalyseBatchResult {
  analysedIds: Set<number>;
  relevantIds: Set<number>;
}

/**
 * Classifies a batch of stored mentions and files the relevant ones under issues. Classification (CPU) runs
 * outside the database transaction; storing analyses, clustering and flags happen in one transaction under
 * the clustering lock, so a retried or concurrent job never analyses or clusters a mention twice.
 */
export async function analyseMentions(
  deps: AnalysisDeps,
  models: ModelSet,
  mentionIds: readonly number[],
  pool?: ClassificationPool,
): Promise<AnalyseOutcome> {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  // Where a group's time goes (debug log): the figures that tell whether the database or the CPU limits a worker.
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round((phases[name] ?? 0) + now - mark);
    mark = now;
  };
  const mentions = await loadUnanalysedMentions(db, mentionIds);
  phase('load');
  if (mentions.length === 0)
    return {
      analysed: 0,
      relevant: 0,
      skipped: mentionIds.length,
      flags: 0,
      analysedIds: new Set(),
      relevantIds: new Set(),
    };
  const classified = pool?.available
    ? await classifyInPool(pool, mentions, models)
    : await classifyHere(mentions, models);
  const results = classified.map((c) => c.result);
  // Clustering features are pure CPU: computed before the lock so concurrent workers hold it briefly.
  const features = new Map(classified.flatMap((c) => (c.features ? [[c.result.mentionId, c.features] as const] : [])));
  phase('classify');

  const flagged: FlagToAlert[] = [];
  const outcome = await withEngineState(db, CLUSTERING_STATE_KEY, async (stored, tx) => {
    phase('lock');
    // Re-check under the lock: a concurrent worker may have finished some of these meanwhile.
    const done = await analysedMentionIds(
      tx,
      results.map((r) => r.mentionId),
    );
    const fresh = results.filter((r) => !done.has(r.mentionId));
    const byId = new Map(mentions.map((m) => [m.id, m]));
    const relevant = fresh
      .filter((r) => r.relevant)
      .map((r) => ({ mention: byId.get(r.mentionId)!, features: features.get(r.mentionId)! }));
    phase('recheck');
    // What analysts decided (fields set by hand, merges, resolutions) about the issues the engine holds: the
    // engine keeps to it, and a merged issue's later mentions are filed under the issue it went into.
    const state = stored as StoredClusteringState | undefined;
    const decisions = await loadAnalystDecisions(
      tx,
      Array.isArray(state?.engine?.issues) ? state.engine.issues.map((i) => i.id) : [],
    );
    const redirects = mergeRedirects(decisions);
    phase('decisions');
    const clustered = clusterBatch(state, relevant, clock, deps.hotIssueOptions, engineDecisions(decisions));
    phase('cluster');
    const upserted = await upsertClusteredIssues(
      tx,
      clustered.issues.filter((i) => !redirects.has(i.clusterKey)),
    );
    // An issue merged while this batch was clustered is not updated: its mentions follow the merge too.
    const mergedMeanwhile = clustered.issues.flatMap((i) =>
      redirects.has(i.clusterKey) || upserted.has(i.clusterKey) ? [] : [i.clusterKey],
    );
    if (mergedMeanwhile.length > 0)
      for (const [key, id] of mergeRedirects(await loadAnalystDecisions(tx, mergedMeanwhile))) redirects.set(key, id);
    const issueIdOf = (key: string): number => redirects.get(key) ?? upserted.get(key)!;
    // Issues clustering folded into a sibling about the same event: a stored one moves its mentions over, unless
    // people have acted on it (then it keeps them; later posts go to the sibling, as clustering now files them).
    for (const fold of clustered.folds) {
      const folded = await foldClusteredIssue(tx, { clusterKey: fold.from, intoId: issueIdOf(fold.finalKey) });
      if (folded.action === 'refused')
        log.warn({ issueId: folded.issueId, into: fold.finalKey }, 'issue not folded: people have acted on it');
      else if (folded.action === 'folded')
        log.info({ issueId: folded.issueId, mentions: folded.mentions }, 'issue folded into its sibling');
    }
    phase('issues');
    const filings = clustered.assignments.map((a) => ({
      mentionId: a.mentionId,
      issueId: issueIdOf(a.clusterKey),
      repostOfId: a.repostOfMentionId,
    }));
    await saveAnalyses(
      tx,
      fresh.map(({ negativity: _n, ...r }) => r),
      filings,
    );
    phase('analyses');
    const sentimentOf = new Map(fresh.map((r) => [r.mentionId, r.sentiment]));
    await addToIssueAggregates(
      tx,
      filings.map((f) => {
        const m = byId.get(f.mentionId)!;
        return {
          issueId: f.issueId,
          sentiment: sentimentOf.get(f.mentionId) ?? null,
          at: m.publishedAt ?? m.fetchedAt,
        };
      }),
    );
    await appendIssueHotness(
      tx,
      clustered.hotness.flatMap(({ clusterKey, ...point }) =>
        redirects.has(clusterKey) ? [] : [{ issueId: upserted.get(clusterKey)!, ...point }],
      ),
    );
    const resolve = (key: string) => (upserted.has(key) || redirects.has(key) ? issueIdOf(key) : undefined);
    flagged.push(...(await recordEngineEvents(tx, clustered.events, resolve, clock)));
    phase('write');
    return {
      state: clustered.state,
      result: {
        analysedIds: new Set(fresh.map((r) => r.mentionId)),
        relevantIds: new Set(relevant.map((r) => r.mention.id)),
      },
    };
  });

  phase('commit');
  log.debug({ mentions: mentions.length, ...phases }, 'analysis group');
  // After commit: tell the alert queue (idempotent per issue and level).
  for (const { jobId, ...flag } of flagged) await deps.queues.add('issue-flagged', flag, { jobId });
  if (flagged.length > 0) log.info({ flags: flagged.length }, 'hot issues flagged');
  const analysed = outcome.analysedIds.size;
  return {
    ...outcome,
    analysed,
    relevant: outcome.relevantIds.size,
    skipped: mentionIds.length - analysed,
    flags: flagged.length,
  };
}

/** A flag recorded under the clustering lock, told to the alert queue after commit. */
interface FlagToAlert {
  issueId: number;
  level: Exclude<IssueLevel, 'none'>;
  reason: string;
  reopened?: boolean;
  jobId: string;
}

/**
 * Records the engine's flags and escalations for the issues they concern (the domain's rule decides: flag, reopen
 * a resolved issue, or ignore a level already had); `resolve` maps an engine issue key to its issue id (undefined
 * for an issue that was not mirrored). Returns the flags to tell the alert queue once the transaction commits.
 */
async function recordEngineEvents(
  tx: DbTx,
  events: readonly HotIssueEvent[],
  resolve: (clusterKey: string) => number | undefined,
  clock: Clock,
): Promise<FlagToAlert[]> {
  const flagged: FlagToAlert[] = [];
  const eventIssues = await issuesForFlagging(
    tx,
    events.flatMap((e) => {
      const id = resolve(e.issueId);
      return id === undefined ? [] : [id];
    }),
  );
  for (const event of events) {
    const issueId = resolve(event.issueId);
    if (issueId === undefined) continue;
    const issue = eventIssues.get(issueId);
    if (!issue) continue;
    const at = new Date(event.at);
    const outcome = flagOutcome(issue, { level: LEVEL_OF[event.level], at });
    if (outcome.action === 'ignore') {
      log.debug({ issueId, why: outcome.why }, 'burst not flagged');
      continue;
    }
    const level = outcome.level;
    const deadlineAt = deadlineForLevel(level, clock.now())!;
    if (outcome.action === 'reopen') {
      const reason = `重新打开：处置后出现新的热点，${flagReasonText({ ...event, type: 'flagged' })}`;
      await reopenIssue(tx, { issueId, level, reason, at, deadlineAt });
      Object.assign(issue, { status: 'new', level });
      flagged.push({ issueId, level, reason, reopened: true, jobId: `reopen:${issueId}:${at.getTime()}` });
      continue;
    }
    const reason = flagReasonText(event);
    await recordIssueFlag(tx, { issueId, level, reason, at, deadlineAt });
    issue.level = level;
    flagged.push({ issueId, level, reason, jobId: `flag:${issueId}:${level}` });
  }
  return flagged;
}

/** Outcome of one `advance-engine` job. */
export interface AdvanceEngineResult {
  /** Issues whose hotness was brought up to the clock. */
  issues: number;
  /** Flags raised (escalations of issues that kept growing). */
  flags: number;
}

/**
 * The periodic engine tick (`advance-engine`, every minute): moves the shared clustering engine's clock to the wall
 * clock with no new mention, so burst windows close on time (growth escalations are judged when the window ends, not
 * when the next post happens to arrive) and hotness decays on the dashboard. Runs under the clustering lock like a
 * batch; flags go to the alert queue after commit.
 */
export async function advanceEngine(deps: AnalysisDeps): Promise<AdvanceEngineResult> {
  const clock = deps.clock ?? systemClock;
  const flagged: FlagToAlert[] = [];
  const issues = await withEngineState(deps.db, CLUSTERING_STATE_KEY, async (stored, tx) => {
    // Nothing analysed yet: nothing to advance, and no empty state written.
    if (!stored) return { state: undefined, result: 0 };
    const state = stored as StoredClusteringState;
    const decisions = await loadAnalystDecisions(
      tx,
      Array.isArray(state.engine?.issues) ? state.engine.issues.map((i) => i.id) : [],
    );
    const redirects = mergeRedirects(decisions);
    const advanced = advanceEngineClock(state, clock, deps.hotIssueOptions, engineDecisions(decisions));
    const upserted = await upsertClusteredIssues(
      tx,
      advanced.issues.filter((i) => !redirects.has(i.clusterKey)),
    );
    const resolve = (key: string) => redirects.get(key) ?? upserted.get(key);
    await appendIssueHotness(
      tx,
      advanced.hotness.flatMap(({ clusterKey, ...point }) => {
        const issueId = upserted.get(clusterKey);
        return issueId === undefined ? [] : [{ issueId, ...point }];
      }),
    );
    flagged.push(...(await recordEngineEvents(tx, advanced.events, resolve, clock)));
    return { state: advanced.state, result: upserted.size };
  });
  for (const { jobId, ...flag } of flagged) await deps.queues.add('issue-flagged', flag, { jobId });
  if (flagged.length > 0) log.info({ flags: flagged.length }, 'hot issues escalated by the engine tick');
  return { issues, flags: flagged.length };
}

/** Classification in the pool's threads; if they cannot start at all, here (logged once by the pool). */
async function classifyInPool(
  pool: ClassificationPool,
  mentions: readonly MentionForAnalysis[],
  models: ModelSet,
): Promise<ClassifiedMention[]> {
  try {
    return await pool.classify(mentions, await models.specs());
  } catch (error) {
    if (errorCode(error) !== POOL_UNAVAILABLE) throw error;
    log.error({ err: errorMessage(error) }, 'classification threads unavailable; classifying on the main thread');
    return classifyHere(mentions, models);
  }
}

/** Classification in this thread (tests, and workers configured without classification threads). */
async function classifyHere(mentions: readonly MentionForAnalysis[], models: ModelSet): Promise<ClassifiedMention[]> {
  const loaded = await models.get();
  return classifyAndFeature(mentions, loaded);
}

/**
 * Analyses the mentions of every `analyse-mentions` job the worker holds at once as one group (one read, one
 * classification pass, one transaction under the clustering lock), and gives each job its own counts.
 */
export function createAnalyseCoalescer(
  deps: AnalysisDeps,
  models: ModelSet,
  pool?: ClassificationPool,
): JobCoalescer<readonly number[], AnalyseBatchResult> {
  return new JobCoalescer<readonly number[], AnalyseBatchResult>({
    name: 'analyse-mentions',
    maxItems: ANALYSE_GROUP_MAX_MENTIONS,
    maxConcurrentGroups: 2,
    sizeOf: (ids) => ids.length,
    run: async (submissions) => {
      const outcome = await analyseMentions(deps, models, [...new Set(submissions.flat())], pool);
      return submissions.map((ids) => {
        const analysed = ids.filter((id) => outcome.analysedIds.has(id)).length;
        return {
          analysed,
          relevant: ids.filter((id) => outcome.relevantIds.has(id)).length,
          skipped: ids.length - analysed,
          flags: outcome.flags,
        };
      });
    },
  });
}

/** Handlers for the analyse, alert and maintenance (retrain) queues. */
export function createAnalysisHandlers(deps: AnalysisDeps): JobHandlers {
  const models = new ModelSet(deps.db);
  const analyse = createAnalyseCoalescer(deps, models, deps.pool);
  // Read once: a bad YQ_ALERT_ACK_MINUTES stops the worker at start, not at the first tick.
  const ackMinutes = parseAckMinutes(deps.config.alertAckMinutes);
  return {
    'analyse-mentions': async ({ mentionIds }) => analyse.submit(mentionIds),
    'issue-flagged': async ({ issueId, level, reason, reopened }) => {
      // The flag row is the dashboard's and the digest's source; the audit trail records who/what raised it.
      await appendAudit(deps.db, {
        action: 'issue.flagged',
        entityType: 'issue',
        entityId: issueId,
        details: { level, reason },
      });
      const at = (deps.clock ?? systemClock).now();
      const channels = await enqueueAlertDeliveries(deps, { issueId, level, reason, at, reopened });
      return { issueId, level, channels };
    },
    'deliver-alert': async (payload, job) => deliverAlert(deps, payload, job),
    'deliver-alert-batch': async (payload, job) => deliverAlertBatch(deps, payload, job),
    'evaluate-alert-triggers': async () => evaluateAlertTriggers(deps),
    'escalate-alerts': async () => escalateAlerts({ ...deps, ackMinutes }),
    'advance-engine': async () => advanceEngine(deps),
    'retrain-models': async ({ task }) => {
      const outcome = await retrainModels(deps.db, { tasks: task ? [task] : undefined });
      models.invalidate();
      return outcome;
    },
  };
}
