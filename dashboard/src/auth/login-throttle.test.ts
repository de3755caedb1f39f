import { describe, expect, it } from 'vitest';
import {
  LoginThrottle,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  THROTTLE_WINDOW_MS,
} from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('locks an account from one address after repeated failures, until the window passes', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(t.retryAfterMs('1.1.1.1', 'Alice', 1000)).toBe(0);
      t.recordFailure('1.1.1.1', 'alice', 1000);
    }
    expect(t.retryAfterMs('1.1.1.1', 'alice', 2000)).toBe(THROTTLE_WINDOW_MS - 1000);
    expect(t.retryAfterMs('2.2.2.2', 'alice', 2000)).toBe(0);
    expect(t.retryAfterMs('1.1.1.1', 'alice', 1000 + THROTTLE_WINDOW_MS)).toBe(0);
  });

  it('limits one address guessing many usernames', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) t.recordFailure('3.3.3.3', `user${i}`, 0);
    expect(t.retryAfterMs('3.3.3.3', 'someone-new', 1)).toBeGreaterThan(0);
  });

  it('clears the account bucket on success', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) t.recordFailure('1.1.1.1', 'bob', 0);
    t.recordSuccess('1.1.1.1', 'bob');
    t.recordFailure('1.1.1.1', 'bob', 0);
    expect(t.retryAfterMs('1.1.1.1', 'bob', 1)).toBe(0);
  });
});
