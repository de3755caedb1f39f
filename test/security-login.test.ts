// Issue #20 items 5 and 6 as probes against a real dashboard: login throttling per account and per address, the
// trust-proxy setting, aggregated audit rows, and `next` after login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@yuqing/core';
import { createUser, listAudit } from '@yuqing/db';
import { ApiClient, startTestDashboard, TEST_PASSWORD, type TestDashboard } from '@yuqing/testkit';

/** Address delays scaled down so the probes do not sleep seconds (the decision itself is unit-tested). */
const DELAY_SCALE = 0.01;

let direct: TestDashboard;
let proxied: TestDashboard;

beforeAll(async () => {
  direct = await startTestDashboard({ loginDelayScale: DELAY_SCALE });
  proxied = await startTestDashboard({ loginDelayScale: DELAY_SCALE, env: { TRUST_PROXY: 'loopback' } });
  const hash = await hashPassword(TEST_PASSWORD);
  for (const t of [direct, proxied])
    for (const name of ['clerk1', 'clerk2', 'clerk3', 'clerk4'])
      await createUser(t.db, { username: name, displayName: name, passwordHash: hash, role: 'analyst' });
}, 60_000);
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

function login(t: TestDashboard, username: string, password: string, headers: Record<string, string> = {}) {
  return new ApiClient(t.url).request('POST', '/api/auth/login', { username, password }, headers);
}

describe('login throttling', () => {
  it('lets a correct password of another account in from an address that failed many times', async () => {
    for (let i = 0; i < 25; i++) expect((await login(direct, `nobody${i}`, 'wrong-password')).status).toBe(401);
    const res = await login(direct, 'clerk1', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('clerk1');
  }, 60_000);

  it('locks the account after 5 failures with back-off, and writes one throttle audit row per lock', async () => {
    for (let i = 0; i < 5; i++) expect((await login(direct, 'clerk2', `guess-${i}`)).status).toBe(401);
    const refusals = [];
    for (let i = 0; i < 12; i++) refusals.push(await login(direct, 'clerk2', TEST_PASSWORD));
    expect(refusals.map((r) => r.status)).toEqual(Array(12).fill(429));
    expect(refusals[0]!.body.error.code).toBe('LOGIN_THROTTLED');
    const retryAfter = Number(refusals[0]!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const throttled = (await listAudit(direct.db, { entityType: 'user', limit: 1000 })).filter(
      (a) => a.action === 'auth.login-throttled' && (a.details as { username?: string }).username === 'clerk2',
    );
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.details).toMatchObject({ username: 'clerk2', failures: 5 });
    // Refused attempts are not failures: they neither extend the lock nor write login-failed rows.
    const failed = (await listAudit(direct.db, { entityType: 'user', limit: 1000 })).filter(
      (a) => a.action === 'auth.login-failed' && (a.details as { username?: string }).username === 'clerk2',
    );
    expect(failed).toHaveLength(5);
  }, 60_000);

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    await login(direct, 'nobody-direct', 'wrong-password', { 'X-Forwarded-For': '198.51.100.7' });
    const directRows = (await listAudit(direct.db, { entityType: 'user', limit: 1000 })).filter(
      (a) => (a.details as { username?: string } | null)?.username === 'nobody-direct',
    );
    expect(directRows.map((a) => a.ip)).not.toContain('198.51.100.7');
    await login(proxied, 'nobody-proxied', 'wrong-password', { 'X-Forwarded-For': '198.51.100.7' });
    const proxiedRows = (await listAudit(proxied.db, { entityType: 'user', limit: 1000 })).filter(
      (a) => (a.details as { username?: string } | null)?.username === 'nobody-proxied',
    );
    expect(proxiedRows.map((a) => a.ip)).toEqual(['198.51.100.7']);
  });

  it('behind a trusted proxy: one client failing locks no one else, the guessed account is locked from every address', async () => {
    const attacker = { 'X-Forwarded-For': '203.0.113.66' };
    for (let i = 0; i < 30; i++) await login(proxied, `spray${i}`, 'wrong-password', attacker);
    for (let i = 0; i < 5; i++) await login(proxied, 'clerk3', `guess-${i}`, attacker);
    // Another user behind the same proxy, and even behind the attacker's own address, still logs in.
    expect((await login(proxied, 'clerk4', TEST_PASSWORD, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(200);
    expect((await login(proxied, 'clerk1', TEST_PASSWORD, attacker)).status).toBe(200);
    // The guessed account is refused from a fresh address too: spreading guesses over addresses does not help.
    const locked = await login(proxied, 'clerk3', TEST_PASSWORD, { 'X-Forwarded-For': '203.0.113.10' });
    expect(locked.status).toBe(429);
  }, 60_000);
});

describe('next after login', () => {
  it.each([
    ['/\t/127.0.0.1:3701/x', '/'],
    ['/\n/127.0.0.1:3701/x', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/issues?status=open#list', '/issues?status=open#list'],
  ])('answers next %j with %j', async (next, expected) => {
    const res = await new ApiClient(direct.url).request('POST', '/api/auth/login', {
      username: direct.users.leader.username,
      password: TEST_PASSWORD,
      next,
    });
    expect(res.status).toBe(200);
    expect(res.body.next).toBe(expected);
  });

  it('sends a logged-in visitor of /login only to a path of its own', async () => {
    const c = await ApiClient.login(direct.url, direct.users.analyst);
    const offsite = await c.get('/login?next=%2F%09%2F127.0.0.1%3A3701%2Fx');
    expect(offsite.status).toBe(303);
    expect(offsite.headers.get('location')).toBe('/');
    const newline = await c.get('/login?next=%2F%0A%2F127.0.0.1%3A3701%2Fx');
    expect(newline.headers.get('location')).toBe('/');
    const own = await c.get('/login?next=%2Fissues%2F3');
    expect(own.headers.get('location')).toBe('/issues/3');
  });
});
