/** Failed logins of one account (from any address) before further attempts are refused for a while. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** First refusal period once an account reaches {@link MAX_FAILURES_PER_ACCOUNT}; doubles with each further failure. */
export const ACCOUNT_BASE_LOCK_MS = 30_000;
/** Longest refusal period of an account. */
export const ACCOUNT_MAX_LOCK_MS = 15 * 60_000;
/** Failed logins from one address (any usernames) before its attempts are slowed down (never refused). */
export const ADDRESS_FAILURES_BEFORE_DELAY = 10;
/** First delay of an address past {@link ADDRESS_FAILURES_BEFORE_DELAY}; doubles with each further failure. */
export const ADDRESS_BASE_DELAY_MS = 250;
/** Longest delay of one attempt from a noisy address. */
export const ADDRESS_MAX_DELAY_MS = 4_000;
/** Failures are forgotten this long after the last one (an account at the longest lock stays there until then). */
export const FAILURE_MEMORY_MS = 60 * 60_000;
/** Keys remembered at most, so a flood of random usernames cannot exhaust memory. */
const MAX_TRACKED_KEYS = 50_000;

interface Bucket {
  failures: number;
  lastFailureAt: number;
  /** Account buckets: refused until then. */
  lockedUntil: number;
  /** The lock whose first refusal was audited already (one audit row per lock, not per refused attempt). */
  auditedLockUntil: number;
  /** Attempts refused since the last audit row. */
  refusedSinceAudit: number;
}

/** What the throttle says about one login attempt. */
export interface ThrottleDecision {
  /** > 0: refuse with 429, retry after this many milliseconds (the account is locked). */
  refuseMs: number;
  /** Wait this long before answering (the address failed often); the attempt is still checked. */
  delayMs: number;
  /** Set on the first refusal of a lock: write one `auth.login-throttled` audit row with these details. */
  audit?: { username: string; failures: number; lockedForSeconds: number; refusedBefore: number };
}

/** Options for {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Scales every address delay (tests pass a small factor so they do not sleep). @defaultValue 1 */
  delayScale?: number;
}

function accountKey(username: string): string {
  return `a:${username.trim().toLowerCase()}`;
}

function addressKey(ip: string): string {
  return `i:${ip}`;
}

/**
 * In-memory login throttle (one dashboard process) with different rules per account and per address:
 * - an account that failed {@link MAX_FAILURES_PER_ACCOUNT} times is refused (429) with exponential back-off up to
 *   {@link ACCOUNT_MAX_LOCK_MS}, from every address — guessing one password from many addresses does not help;
 * - an address that failed often is only slowed down, never refused, so a correct password of another account from
 *   the same address (an office behind one NAT or proxy) still logs in.
 * A success clears the account's failures.
 */
export class LoginThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly delayScale: number;

  constructor(options: LoginThrottleOptions = {}) {
    this.delayScale = options.delayScale ?? 1;
  }

  /** Decides one attempt before the password is checked. */
  check(ip: string, username: string, now: number): ThrottleDecision {
    const account = this.live(accountKey(username), now);
    const address = this.live(addressKey(ip), now);
    let delayMs = 0;
    if (address && address.failures >= ADDRESS_FAILURES_BEFORE_DELAY) {
      const steps = address.failures - ADDRESS_FAILURES_BEFORE_DELAY;
      delayMs = Math.round(Math.min(ADDRESS_MAX_DELAY_MS, ADDRESS_BASE_DELAY_MS * 2 ** steps) * this.delayScale);
    }
    if (!account || account.lockedUntil <= now) return { refuseMs: 0, delayMs };
    const decision: ThrottleDecision = { refuseMs: account.lockedUntil - now, delayMs: 0 };
    if (account.auditedLockUntil !== account.lockedUntil) {
      decision.audit = {
        username: username.trim().toLowerCase(),
        failures: account.failures,
        lockedForSeconds: Math.ceil((account.lockedUntil - account.lastFailureAt) / 1000),
        refusedBefore: account.refusedSinceAudit,
      };
      account.auditedLockUntil = account.lockedUntil;
      account.refusedSinceAudit = 0;
    } else {
      account.refusedSinceAudit += 1;
    }
    return decision;
  }

  /** Records a failed attempt against the account and the address. */
  recordFailure(ip: string, username: string, now: number): void {
    const account = this.bump(accountKey(username), now);
    if (account.failures >= MAX_FAILURES_PER_ACCOUNT) {
      const steps = account.failures - MAX_FAILURES_PER_ACCOUNT;
      account.lockedUntil = now + Math.min(ACCOUNT_MAX_LOCK_MS, ACCOUNT_BASE_LOCK_MS * 2 ** steps);
    }
    this.bump(addressKey(ip), now);
  }

  /** A correct password: the account's failures are forgotten (the address's are not: others may be guessing). */
  recordSuccess(_ip: string, username: string): void {
    this.buckets.delete(accountKey(username));
  }

  private live(key: string, now: number): Bucket | undefined {
    const b = this.buckets.get(key);
    if (!b) return undefined;
    if (now - b.lastFailureAt >= FAILURE_MEMORY_MS && now >= b.lockedUntil) {
      this.buckets.delete(key);
      return undefined;
    }
    return b;
  }

  private bump(key: string, now: number): Bucket {
    const b = this.live(key, now);
    if (b) {
      b.failures += 1;
      b.lastFailureAt = now;
      return b;
    }
    if (this.buckets.size >= MAX_TRACKED_KEYS) this.evict(now);
    const fresh: Bucket = {
      failures: 1,
      lastFailureAt: now,
      lockedUntil: 0,
      auditedLockUntil: 0,
      refusedSinceAudit: 0,
    };
    this.buckets.set(key, fresh);
    return fresh;
  }

  private evict(now: number): void {
    for (const key of [...this.buckets.keys()]) this.live(key, now);
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_TRACKED_KEYS) break;
      this.buckets.delete(key);
    }
  }
}
