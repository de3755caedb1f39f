// Issue #20 "Also": the password policy on every way a password is set, self-service password change for every
// role, and e-mail addresses visible to admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@yuqing/core';
import { findUserByUsername, listAudit } from '@yuqing/db';
import { ApiClient, startTestDashboard, TEST_PASSWORD, type TestDashboard } from '@yuqing/testkit';

let t: TestDashboard;

beforeAll(async () => {
  t = await startTestDashboard({ loginDelayScale: 0.01 });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('password policy', () => {
  it.each([
    ['1234567890', 'COMMON'],
    ['2345678901', 'SEQUENCE'],
    ['qingdao.li-2026', 'CONTAINS_USERNAME'],
    ['Password2026!', 'COMMON'],
    ['short-1', 'TOO_SHORT'],
  ])('refuses %s when an admin creates a user (%s)', async (password, code) => {
    const admin = await ApiClient.login(t.url, t.users.admin);
    const res = await admin.post('/api/users', {
      username: 'qingdao.li',
      displayName: '李青岛',
      role: 'analyst',
      password,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PASSWORD_POLICY');
    expect(res.body.error.message).toContain(code);
  });

  it('refuses a weak password on an admin reset, accepts a good one', async () => {
    const admin = await ApiClient.login(t.url, t.users.admin);
    const weak = await admin.post(`/api/users/${t.users.analyst.id}/password`, { password: 'analyst1analyst1' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('PASSWORD_POLICY');
    const created = await admin.post('/api/users', {
      username: 'wang.fang',
      displayName: '王芳',
      role: 'leader',
      email: 'wang.fang@example.gov.cn',
      password: 'lake-view-湖畔-47',
    });
    expect(created.status).toBe(201);
  });
});

describe('self-service password change', () => {
  it.each(['analyst', 'spokesperson', 'leader', 'admin'] as const)(
    'a %s changes their own password: old sessions end, this browser stays logged in',
    async (role) => {
      const user = t.users[role];
      const other = await ApiClient.login(t.url, user);
      const me = await ApiClient.login(t.url, user);
      const page = await me.get('/password');
      expect(page.status).toBe(200);
      const newPassword = `river-stone-${role}-眉山-91`;
      const res = await me.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(true);
      expect((await me.get('/api/auth/me')).status).toBe(200);
      expect((await other.get('/api/auth/me')).status).toBe(401);
      const stored = await findUserByUsername(t.db, user.username);
      expect(await verifyPassword(newPassword, stored!.passwordHash)).toBe(true);
      expect((await new ApiClient(t.url).post('/api/auth/login', user)).status).toBe(401);
      expect(
        (await new ApiClient(t.url).post('/api/auth/login', { username: user.username, password: newPassword })).status,
      ).toBe(200);
      const audit = await listAudit(t.db, { entityType: 'user', entityId: String(user.id) });
      expect(audit.find((a) => a.action === 'user.password')?.actorId).toBe(user.id);
      // Put it back for the other tests.
      const back = await me.post('/api/auth/password', { currentPassword: newPassword, newPassword: TEST_PASSWORD });
      expect(back.status).toBe(200);
    },
    30_000,
  );

  it('needs the current password and applies the policy; a guessing session gets locked out', async () => {
    const admin = await ApiClient.login(t.url, t.users.admin);
    const created = await admin.post('/api/users', {
      username: 'zhao.lei',
      displayName: '赵磊',
      role: 'analyst',
      password: 'orchard-桃园-lantern',
    });
    expect(created.status).toBe(201);
    const me = await ApiClient.login(t.url, { username: 'zhao.lei', password: 'orchard-桃园-lantern' });
    const weak = await me.post('/api/auth/password', {
      currentPassword: 'orchard-桃园-lantern',
      newPassword: 'zhao.lei-2026-new',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('PASSWORD_POLICY');
    const noCsrf = await me.request(
      'POST',
      '/api/auth/password',
      { currentPassword: 'orchard-桃园-lantern', newPassword: 'harbour-港口-signal' },
      { 'x-csrf-token': '' },
    );
    expect(noCsrf.status).toBe(403);
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await me.post('/api/auth/password', { currentPassword: `guess-${i}`, newPassword: 'harbour-港口-signal' }))
          .status,
      );
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    const anon = await new ApiClient(t.url).post('/api/auth/password', {
      currentPassword: 'x',
      newPassword: 'harbour-港口-signal',
    });
    expect(anon.status).toBe(401);
  });
});

describe('e-mail addresses', () => {
  it('are listed for admins only', async () => {
    const admin = await ApiClient.login(t.url, t.users.admin);
    await admin.post('/api/users', {
      username: 'liu.yang',
      displayName: '刘洋',
      role: 'spokesperson',
      email: 'liu.yang@example.gov.cn',
    });
    const asAdmin = await admin.get('/api/users');
    expect(asAdmin.body.items.find((u: { username: string }) => u.username === 'liu.yang').email).toBe(
      'liu.yang@example.gov.cn',
    );
    for (const role of ['analyst', 'spokesperson', 'leader'] as const) {
      const c = await ApiClient.login(t.url, t.users[role]);
      const res = await c.get('/api/users');
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(4);
      expect(JSON.stringify(res.body)).not.toContain('@example.gov.cn');
      for (const u of res.body.items) expect(u).not.toHaveProperty('email');
    }
  });
});
