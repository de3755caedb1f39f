// The alert triggers no new mention brings (`evaluate-alert-triggers`, every minute on the alert queue): a jump in an
// issue's negative share, a response deadline near or passed, a response waiting for approval, and a relevant
// hot-list entry first seen or climbed into a better rank band (its mention must be filed under an issue first). The rules are the
// domain's; this reads the facts, drops what was already delivered, and queues the rest to the channels.
import { enqueueTriggerDeliveries } from '@yuqing/alerts';
import { createLogger, systemClock, type AppConfig, type Clock } from '@yuqing/core';
import {
  deliveredHotListTriggerKeys,
  deliveredTriggerKeys,
  hotListTriggerRows,
  issueTriggerRows,
  type Db,
} from '@yuqing/db';
import {
  evaluateHotListTriggers,
  evaluateIssueTriggers,
  HOT_LIST_RANK_BANDS,
  HOT_LIST_TRIGGER_WINDOW_MS,
  NEGATIVE_JUMP_DEFAULTS,
  unfiredHotListTriggers,
  unfiredTriggers,
  type NegativeJumpOptions,
} from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';

const log = createLogger('alert-triggers');

/** What the evaluation runs on. */
export interface AlertTriggerDeps {
  db: Db;
  queues: JobQueues;
  config: Pick<AppConfig, 'timeZone' | 'publicUrl'>;
  clock?: Clock;
  /** When a negative share counts as a jump (tests and installations may tune it). */
  negativeJump?: Partial<NegativeJumpOptions>;
  /** Rank bands a hot-list entry alerts again in when it climbs into them. @defaultValue HOT_LIST_RANK_BANDS (10, 3) */
  hotListBands?: readonly number[];
}

/** Outcome of one evaluation. */
export interface AlertTriggerEvaluation {
  /** Open issues read. */
  issues: number;
  /** Triggers that hold and were not delivered before. */
  fired: number;
  /** Deliveries queued (trigger × channel). */
  queued: number;
}

/**
 * Evaluates the deadline, approval and negative-share triggers of every open issue and the hot-list triggers of the
 * relevant entries on their lists in the last two hours, at the clock's time, and queues
 * those not delivered before to the channels that take them. Idempotent: run every minute, a response past its
 * deadline is alerted once per channel.
 */
export async function evaluateAlertTriggers(deps: AlertTriggerDeps): Promise<AlertTriggerEvaluation> {
  const now = (deps.clock ?? systemClock).now();
  const jump = { ...NEGATIVE_JUMP_DEFAULTS, ...deps.negativeJump };
  const rows = await issueTriggerRows(deps.db, new Date(now.getTime() - jump.windowMs));
  const holding = rows.flatMap((row) =>
    evaluateIssueTriggers(row, now, { negativeJump: jump, timeZone: deps.config.timeZone }),
  );
  const hotRows = await hotListTriggerRows(deps.db, new Date(now.getTime() - HOT_LIST_TRIGGER_WINDOW_MS));
  const hotHolding = evaluateHotListTriggers(hotRows, deps.hotListBands ?? HOT_LIST_RANK_BANDS);
  if (holding.length === 0 && hotHolding.length === 0) return { issues: rows.length, fired: 0, queued: 0 };
  const delivered = await deliveredTriggerKeys(deps.db, [...new Set(holding.map((t) => t.issueId))]);
  // A hot-list entry's bands are judged by its mention, whichever issue it was filed under when alerted.
  const hotDelivered = await deliveredHotListTriggerKeys(deps.db, [...new Set(hotRows.map((r) => r.mentionId))]);
  const fired = [...unfiredTriggers(holding, delivered), ...unfiredHotListTriggers(hotHolding, hotDelivered)];
  const queued = await enqueueTriggerDeliveries(deps, fired);
  if (fired.length > 0) log.info({ fired: fired.length, queued }, 'alert triggers fired');
  return { issues: rows.length, fired: fired.length, queued };
}
