// A per-minute rate limit per alert channel, shared by every worker through Redis, and the batch its surplus waits in:
// robots refuse bursts (企业微信 and 钉钉 take 20 messages a minute) and a duty phone buzzing ten times in a minute
// helps nobody, so alerts past the limit are held and sent as one combined message at the start of the next minute
// — never dropped.
import { systemClock, type Clock } from '@yuqing/core';
import { msToNextMinute, rateDecision, rateMinute } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';

type Redis = ReturnType<JobQueues['redis']>;

/** A minute's counter outlives its minute by this (a slow worker still reads the right count). */
const COUNTER_TTL_MS = 3 * 60_000;
/** The "batch job queued" mark expires after this, so a lost job never blocks later batches for long. */
const BATCH_MARK_TTL_MS = 10 * 60_000;
/** Attempts of a combined message (as a single delivery's). */
const BATCH_ATTEMPTS = 8;

/**
 * Per channel and minute: a counter (INCR with an expiry) of alerts sent, a set of delivery ids held for the combined
 * message, and a mark that a batch job is queued (SET NX), so a burst queues one batch job, not one per held alert.
 */
export class ChannelRateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(channelId: number, part: string): string {
    return `${this.prefix}:alert-rate:${channelId}:${part}`;
  }

  /**
   * Counts one alert against the channel's minute at `now`; returns whether it may be sent (`send`) or must join
   * the batch (`batch`). A batch that went out counts as one alert of its minute ({@link countSent}).
   */
  async take(channelId: number, perMinute: number | undefined, now: Date): Promise<'send' | 'batch'> {
    if (perMinute === undefined) return 'send';
    const key = this.key(channelId, `minute:${rateMinute(now)}`);
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, COUNTER_TTL_MS).exec()) as [
      [Error | null, number],
      [Error | null, number],
    ];
    return rateDecision(perMinute, count - 1);
  }

  /** Counts a message sent regardless of the limit (the combined message of a batch). */
  async countSent(channelId: number, now: Date): Promise<void> {
    const key = this.key(channelId, `minute:${rateMinute(now)}`);
    await this.redis.multi().incr(key).pexpire(key, COUNTER_TTL_MS).exec();
  }

  /** Holds a delivery for the channel's next combined message; returns true when no batch job is queued yet. */
  async hold(channelId: number, deliveryId: number): Promise<boolean> {
    const [, [, marked]] = (await this.redis
      .multi()
      .sadd(this.key(channelId, 'held'), String(deliveryId))
      .set(this.key(channelId, 'batch-queued'), '1', 'PX', BATCH_MARK_TTL_MS, 'NX')
      .exec()) as [[Error | null, number], [Error | null, string | null]];
    return marked === 'OK';
  }

  /**
   * The deliveries held for the channel. Clears the "batch queued" mark first, so a delivery held from now on queues
   * the next batch job rather than joining one that already read the set.
   */
  async held(channelId: number): Promise<number[]> {
    await this.redis.del(this.key(channelId, 'batch-queued'));
    const ids = await this.redis.smembers(this.key(channelId, 'held'));
    return ids.map(Number).sort((a, b) => a - b);
  }

  /** Removes deliveries from the held set once their combined message went out. */
  async release(channelId: number, deliveryIds: readonly number[]): Promise<void> {
    if (deliveryIds.length > 0) await this.redis.srem(this.key(channelId, 'held'), ...deliveryIds.map(String));
  }
}

/**
 * Holds a delivery past the channel's per-minute limit for the combined message and, when none is queued, queues the
 * batch job for the start of the next minute (one per burst).
 */
export async function holdForBatch(
  deps: { queues: JobQueues; clock?: Clock | undefined },
  limit: ChannelRateLimit,
  channelId: number,
  deliveryId: number,
): Promise<void> {
  const now = (deps.clock ?? systemClock).now();
  if (await limit.hold(channelId, deliveryId))
    await deps.queues.add(
      'deliver-alert-batch',
      { channelId, minute: rateMinute(now) },
      {
        jobId: `alert-batch:${channelId}:${rateMinute(now)}:${deliveryId}`,
        delay: msToNextMinute(now),
        attempts: BATCH_ATTEMPTS,
        backoff: { type: 'exponential', delay: 2000 },
      },
    );
}
