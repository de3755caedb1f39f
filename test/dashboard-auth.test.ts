import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@yuqing/db';
import { ApiClient, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

let t: TestDashboard;

beforeAll(async () => {
  t = await startTestDashboard();
});
afterAll(async () => {
  await t?.close();
});

describe('health (no login)', () => {
  it('reports database, Redis and queue state as JSON', async () => {
    const res = await new ApiClient(t.url).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database).toMatchObject({ ok: true, kind: 'postgresql' });
    expect(res.body.redis).toEqual({ ok: true });
    expect(Object.keys(res.body.queues.counts)).toEqual(expect.arrayContaining(['crawl', 'ingest', 'analyse']));
  });
});

describe('login, session, CSRF', () => {
  it('refuses API and pages without a session', async () => {
    const anon = new ApiClient(t.url);
    const res = await anon.get('/api/mentions');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { message: expect.any(String), code: 'UNAUTHENTICATED', status: 401 } });
    const page = await anon.get('/issues');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fissues');
  });

  it('logs in with an HttpOnly SameSite=Lax cookie, rotates the session id and audits it', async () => {
    const c = new ApiClient(t.url);
    const first = await c.post('/api/auth/login', { username: 'analyst1', password: t.users.analyst.password });
    expect(first.status).toBe(200);
    const setCookie = first.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/yq_sid=[A-Za-z0-9_-]{40,}/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const firstCookie = c.cookie;
    const me = await c.get('/api/auth/me');
    expect(me.body.user).toMatchObject({ username: 'analyst1', role: 'analyst' });
    expect(me.body.user.passwordHash).toBeUndefined();
    expect(me.body.can).toMatchObject({ triage: true, approve: false, admin: false });
    // A second login from the same browser ends the old session (fixation defence).
    await c.post('/api/auth/login', { username: 'analyst1', password: t.users.analyst.password });
    expect(c.cookie).not.toBe(firstCookie);
    const old = new ApiClient(t.url);
    old.cookie = firstCookie;
    expect((await old.get('/api/auth/me')).status).toBe(401);
    const audit = await listAudit(t.db, { entityType: 'user', entityId: String(t.users.analyst.id) });
    expect(audit.filter((a) => a.action === 'auth.login').length).toBeGreaterThanOrEqual(2);
  });

  it('rejects a wrong password with the error shape and audits the failure', async () => {
    const res = await new ApiClient(t.url).post('/api/auth/login', { username: 'leader1', password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('LOGIN_FAILED');
    const audit = await listAudit(t.db, { entityType: 'user', entityId: String(t.users.leader.id) });
    expect(audit.some((a) => a.action === 'auth.login-failed')).toBe(true);
  });

  it('throttles repeated failures for one account, even with the right password afterwards', async () => {
    const c = new ApiClient(t.url);
    for (let i = 0; i < 5; i++)
      expect((await c.post('/api/auth/login', { username: 'spokesperson1', password: `nope-${i}` })).status).toBe(401);
    const blocked = await c.post('/api/auth/login', {
      username: 'spokesperson1',
      password: t.users.spokesperson.password,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('LOGIN_THROTTLED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('requires the CSRF header on writes', async () => {
    const c = await ApiClient.login(t.url, t.users.admin);
    const without = await c.request(
      'POST',
      '/api/schemes',
      { name: 'x', rule: { any: ['欠薪'] } },
      { 'x-csrf-token': '' },
    );
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('CSRF_FAILED');
    const wrong = await c.request(
      'POST',
      '/api/schemes',
      { name: 'x', rule: { any: ['欠薪'] } },
      { 'x-csrf-token': 'forged' },
    );
    expect(wrong.status).toBe(403);
    const right = await c.post('/api/schemes', { name: '欠薪监测', rule: { any: ['欠薪'] } });
    expect(right.status).toBe(201);
  });

  it('refuses cross-site writes by Origin even with a session', async () => {
    const c = await ApiClient.login(t.url, t.users.admin);
    const res = await c.request('POST', '/api/auth/logout', {}, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CROSS_SITE');
  });

  it('logs out: the session is gone server-side', async () => {
    const c = await ApiClient.login(t.url, t.users.leader);
    const cookie = c.cookie;
    expect((await c.post('/api/auth/logout')).status).toBe(200);
    const replay = new ApiClient(t.url);
    replay.cookie = cookie;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('describes every route with roles, behind login', async () => {
    expect((await new ApiClient(t.url).get('/api/openapi.json')).status).toBe(401);
    const c = await ApiClient.login(t.url, t.users.analyst);
    const doc = (await c.get('/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/health',
      '/api/auth/login',
      '/api/mentions',
      '/api/issues/{id}',
      '/api/issues/{id}/dismiss',
      '/api/responses/{id}/files',
      '/api/materials/{id}/file',
      '/api/sources/{id}/test-run',
      '/api/users',
      '/api/audit',
      '/api/overview',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/responses/{id}/approve'].post['x-roles']).toEqual(['leader']);
    expect(doc.paths['/api/mentions'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'sourceId', 'beforeId']),
    );
  });

  it('answers unknown API paths with the error shape', async () => {
    const c = await ApiClient.login(t.url, t.users.analyst);
    const res = await c.get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });
});
