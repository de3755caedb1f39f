// A circuit breaker per alert channel, shared by every worker through Redis: after a run of failed deliveries the
// channel is left alone for a cool-down, so a dead robot or gateway is not hammered by every queued alert's retries
// and the alerts wait instead of burning their attempts.
import type { JobQueues } from '@yuqing/queue';

type Redis = ReturnType<JobQueues['redis']>;

/** Failed deliveries in a row that open a channel's breaker. */
export const BREAKER_FAILURE_THRESHOLD = 5;
/** How long an open breaker holds a channel's deliveries. */
export const BREAKER_COOL_DOWN_MS = 5 * 60_000;
/** A run of failures older than this is forgotten (a channel failing once a day never opens). */
const FAILURE_RUN_TTL_MS = 60 * 60_000;

/** Options of {@link ChannelBreaker}. */
export interface ChannelBreakerOptions {
  /** Key prefix (the installation's queue prefix). */
  prefix: string;
  /** @defaultValue {@link BREAKER_FAILURE_THRESHOLD} */
  failureThreshold?: number;
  /** @defaultValue {@link BREAKER_COOL_DOWN_MS} */
  coolDownMs?: number;
}

/**
 * Per channel: consecutive failures counted in Redis (INCR with an expiry), the breaker opened by a key that
 * expires when the cool-down ends. Closed again by the first success. In Redis rather than in memory (opossum and
 * the like keep state per process) because a channel's deliveries run on any worker of any machine.
 */
export class ChannelBreaker {
  private readonly threshold: number;
  private readonly coolDownMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: ChannelBreakerOptions,
  ) {
    this.threshold = options.failureThreshold ?? BREAKER_FAILURE_THRESHOLD;
    this.coolDownMs = options.coolDownMs ?? BREAKER_COOL_DOWN_MS;
  }

  private key(channelId: number, part: 'failures' | 'open'): string {
    return `${this.options.prefix}:alert-breaker:${channelId}:${part}`;
  }

  /** Milliseconds the channel's breaker stays open (0: closed). */
  async openForMs(channelId: number): Promise<number> {
    const ttl = await this.redis.pttl(this.key(channelId, 'open'));
    return ttl > 0 ? ttl : 0;
  }

  /** A delivery went through: the run of failures ends. */
  async recordSuccess(channelId: number): Promise<void> {
    await this.redis.del(this.key(channelId, 'failures'));
  }

  /** A delivery failed; returns true when this failure opened the breaker. */
  async recordFailure(channelId: number): Promise<boolean> {
    const key = this.key(channelId, 'failures');
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, FAILURE_RUN_TTL_MS).exec()) as [
      [Error | null, number],
      [Error | null, number],
    ];
    if (count < this.threshold) return false;
    await this.redis.multi().set(this.key(channelId, 'open'), '1', 'PX', this.coolDownMs).del(key).exec();
    return true;
  }
}
