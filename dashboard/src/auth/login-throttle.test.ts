import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_BASE_LOCK_MS,
  ACCOUNT_MAX_LOCK_MS,
  ADDRESS_BASE_DELAY_MS,
  ADDRESS_FAILURES_BEFORE_DELAY,
  ADDRESS_MAX_DELAY_MS,
  FAILURE_MEMORY_MS,
  LoginThrottle,
  MAX_FAILURES_PER_ACCOUNT,
} from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('locks an account after repeated failures, from every address, until the lock passes', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(t.check(`10.0.0.${i}`, 'Alice', 1000).refuseMs).toBe(0);
      t.recordFailure(`10.0.0.${i}`, 'alice', 1000);
    }
    expect(t.check('1.1.1.1', 'alice', 2000).refuseMs).toBe(ACCOUNT_BASE_LOCK_MS - 1000);
    expect(t.check('2.2.2.2', ' ALICE ', 2000).refuseMs).toBe(ACCOUNT_BASE_LOCK_MS - 1000);
    expect(t.check('1.1.1.1', 'alice', 1000 + ACCOUNT_BASE_LOCK_MS).refuseMs).toBe(0);
  });

  it('doubles the lock with each further failure, up to the longest lock', () => {
    const t = new LoginThrottle();
    let now = 0;
    const locks: number[] = [];
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT + 8; i++) {
      t.recordFailure('1.1.1.1', 'bob', now);
      const refuse = t.check('1.1.1.1', 'bob', now).refuseMs;
      if (refuse > 0) locks.push(refuse);
      now += refuse; // the next guess comes as soon as it is allowed
    }
    expect(locks.slice(0, 5)).toEqual([1, 2, 4, 8, 16].map((f) => f * ACCOUNT_BASE_LOCK_MS));
    expect(Math.max(...locks)).toBe(ACCOUNT_MAX_LOCK_MS);
    expect(locks.at(-1)).toBe(ACCOUNT_MAX_LOCK_MS);
  });

  it('only slows a noisy address down: another account logs in from it', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < ADDRESS_FAILURES_BEFORE_DELAY + 30; i++) t.recordFailure('3.3.3.3', `user${i}`, 0);
    const decision = t.check('3.3.3.3', 'someone-else', 1);
    expect(decision.refuseMs).toBe(0);
    expect(decision.delayMs).toBe(ADDRESS_MAX_DELAY_MS);
    const other = new LoginThrottle();
    for (let i = 0; i < ADDRESS_FAILURES_BEFORE_DELAY; i++) other.recordFailure('4.4.4.4', `user${i}`, 0);
    expect(other.check('4.4.4.4', 'x', 1).delayMs).toBe(ADDRESS_BASE_DELAY_MS);
    expect(other.check('5.5.5.5', 'x', 1).delayMs).toBe(0);
    expect(new LoginThrottle({ delayScale: 0 }).check('4.4.4.4', 'x', 1).delayMs).toBe(0);
  });

  it('asks for one audit row per lock, with the refusals it stood for counted in the next one', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) t.recordFailure('1.1.1.1', 'carol', 0);
    const audits = [];
    for (let i = 0; i < 50; i++) {
      const d = t.check('1.1.1.1', 'carol', 10 + i);
      if (d.audit) audits.push(d.audit);
    }
    expect(audits).toEqual([
      { username: 'carol', failures: MAX_FAILURES_PER_ACCOUNT, lockedForSeconds: 30, refusedBefore: 0 },
    ]);
    t.recordFailure('1.1.1.1', 'carol', ACCOUNT_BASE_LOCK_MS);
    const next = t.check('1.1.1.1', 'carol', ACCOUNT_BASE_LOCK_MS + 1);
    expect(next.audit).toMatchObject({ failures: MAX_FAILURES_PER_ACCOUNT + 1, refusedBefore: 49 });
  });

  it('clears the account on success and forgets failures after a quiet hour', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) t.recordFailure('1.1.1.1', 'dave', 0);
    t.recordSuccess('1.1.1.1', 'dave');
    t.recordFailure('1.1.1.1', 'dave', 0);
    expect(t.check('1.1.1.1', 'dave', 1).refuseMs).toBe(0);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) t.recordFailure('1.1.1.1', 'erin', 0);
    t.recordFailure('1.1.1.1', 'erin', FAILURE_MEMORY_MS - 1);
    expect(t.check('1.1.1.1', 'erin', FAILURE_MEMORY_MS).refuseMs).toBeGreaterThan(0);
    expect(t.check('1.1.1.1', 'erin', 2 * FAILURE_MEMORY_MS).refuseMs).toBe(0);
    t.recordFailure('1.1.1.1', 'erin', 2 * FAILURE_MEMORY_MS);
    expect(t.check('1.1.1.1', 'erin', 2 * FAILURE_MEMORY_MS + 1).refuseMs).toBe(0);
  });
});
