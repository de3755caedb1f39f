/** Failed logins allowed per (address, username) within the window before further attempts are refused. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failed logins allowed per address (any usernames) within the window. */
export const MAX_FAILURES_PER_ADDRESS = 20;
/** Window over which failures count and lockouts last. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Keys remembered at most, so a flood of random usernames cannot exhaust memory. */
const MAX_TRACKED_KEYS = 50_000;

interface Bucket {
  failures: number;
  windowStart: number;
}

/**
 * In-memory login throttle (one dashboard process). Counts failures per address+username and per address; a
 * success clears the account bucket.
 */
export class LoginThrottle {
  private readonly buckets = new Map<string, Bucket>();

  /** Milliseconds until another attempt is allowed, or 0 when allowed now. */
  retryAfterMs(ip: string, username: string, now: number): number {
    const waits = [
      this.wait(`a:${ip}|${username.toLowerCase()}`, MAX_FAILURES_PER_ACCOUNT, now),
      this.wait(`i:${ip}`, MAX_FAILURES_PER_ADDRESS, now),
    ];
    return Math.max(...waits);
  }

  recordFailure(ip: string, username: string, now: number): void {
    this.bump(`a:${ip}|${username.toLowerCase()}`, now);
    this.bump(`i:${ip}`, now);
  }

  recordSuccess(ip: string, username: string): void {
    this.buckets.delete(`a:${ip}|${username.toLowerCase()}`);
  }

  private wait(key: string, max: number, now: number): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    if (now - b.windowStart >= THROTTLE_WINDOW_MS) {
      this.buckets.delete(key);
      return 0;
    }
    return b.failures >= max ? b.windowStart + THROTTLE_WINDOW_MS - now : 0;
  }

  private bump(key: string, now: number): void {
    const b = this.buckets.get(key);
    if (!b || now - b.windowStart >= THROTTLE_WINDOW_MS) {
      if (this.buckets.size >= MAX_TRACKED_KEYS) this.evictExpired(now);
      this.buckets.set(key, { failures: 1, windowStart: now });
    } else {
      b.failures += 1;
    }
  }

  private evictExpired(now: number): void {
    for (const [key, b] of this.buckets) if (now - b.windowStart >= THROTTLE_WINDOW_MS) this.buckets.delete(key);
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_TRACKED_KEYS) break;
      this.buckets.delete(key);
    }
  }
}
