// Every API route × every role: allowed roles get past the role check, the others get 403, nobody without a
// session gets in. The route list comes from the served OpenAPI document, so a new route is covered
// automatically; the expected role lists for the sensitive routes are spelled out independently below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@yuqing/db';
import { ApiClient, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

const ROLES: Role[] = ['analyst', 'spokesperson', 'leader', 'admin'];
/** An id that exists nowhere: allowed roles get 404/400, never a state change. */
const MISSING_ID = '999999';
const PASSED_ROLE_CHECK = [200, 201, 202, 400, 404, 409, 415];

let t: TestDashboard;
let clients: Record<Role, ApiClient>;
/** `tokenOnly`: the route takes an API token and never a session (`POST /api/ingest`). */
let operations: { method: string; path: string; roles: Role[]; tokenOnly: boolean }[];

beforeAll(async () => {
  t = await startTestDashboard();
  clients = {} as Record<Role, ApiClient>;
  for (const role of ROLES) clients[role] = await ApiClient.login(t.url, t.users[role]);
  const doc = (await clients.analyst.get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, { 'x-roles': Role[]; security: Record<string, string[]>[] }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      roles: op['x-roles'],
      tokenOnly: op.security.length > 0 && !op.security.some((s) => 'sessionCookie' in s),
    })),
  );
});
afterAll(async () => {
  await t?.close();
});

function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, MISSING_ID);
}

describe('role checks on every route', () => {
  it('lists a meaningful number of routes', () => {
    expect(operations.length).toBeGreaterThan(35);
  });

  it('refuses every non-public route without a session (401)', async () => {
    const anon = new ApiClient(t.url);
    for (const op of operations) {
      if (op.roles.length === 0) continue;
      const res = await anon.request(op.method, concrete(op.path), op.method === 'GET' ? undefined : {});
      expect(res.status, `${op.method} ${op.path}`).toBe(401);
    }
  });

  it('lets allowed roles past and refuses the others with 403', async () => {
    for (const op of operations) {
      if (op.roles.length === 0 || op.path === '/api/auth/logout') continue;
      for (const role of ROLES) {
        const res = await clients[role].request(op.method, concrete(op.path), op.method === 'GET' ? undefined : {});
        if (op.tokenOnly) {
          // A session never passes a token-only route, whatever its role.
          expect(res.status, `${role} ${op.method} ${op.path}`).toBe(401);
          expect(res.body.error.code).toBe('TOKEN_REQUIRED');
        } else if (op.roles.includes(role))
          expect(
            PASSED_ROLE_CHECK,
            `${role} ${op.method} ${op.path} → ${res.status} ${JSON.stringify(res.body)}`,
          ).toContain(res.status);
        else {
          expect(res.status, `${role} ${op.method} ${op.path}`).toBe(403);
          expect(res.body.error.code).toBe('FORBIDDEN');
        }
      }
    }
  });

  it('declares the intended roles for sensitive routes', () => {
    const rolesOf = (method: string, path: string) =>
      operations
        .find((o) => o.method === method && o.path === path)
        ?.roles.slice()
        .sort();
    expect(rolesOf('POST', '/api/issues/{id}/dismiss')).toEqual(['admin', 'analyst']);
    expect(rolesOf('POST', '/api/issues/{id}/merge')).toEqual(['admin', 'analyst']);
    expect(rolesOf('POST', '/api/issues/{id}/level')).toEqual(['admin', 'analyst', 'leader']);
    expect(rolesOf('POST', '/api/responses')).toEqual(['admin', 'spokesperson']);
    expect(rolesOf('POST', '/api/responses/{id}/approve')).toEqual(['leader']);
    expect(rolesOf('POST', '/api/responses/{id}/return')).toEqual(['leader']);
    expect(rolesOf('POST', '/api/responses/{id}/publish')).toEqual(['admin', 'leader', 'spokesperson']);
    expect(rolesOf('DELETE', '/api/materials/{id}')).toEqual(['admin', 'spokesperson']);
    expect(rolesOf('POST', '/api/users')).toEqual(['admin']);
    expect(rolesOf('PATCH', '/api/users/{id}')).toEqual(['admin']);
    expect(rolesOf('GET', '/api/audit')).toEqual(['admin', 'leader']);
    expect(rolesOf('POST', '/api/sources/{id}/test-run')).toEqual(['admin', 'analyst']);
    expect(rolesOf('GET', '/api/health')).toEqual([]);
    expect(rolesOf('GET', '/api/digests/subscription')).toEqual(['admin', 'analyst', 'leader', 'spokesperson']);
    expect(rolesOf('POST', '/api/digests/sent/{id}/resend')).toEqual(['admin']);
  });

  it('applies the same role lists to pages', async () => {
    const expectations: [string, Role[]][] = [
      ['/users', ['admin']],
      ['/audit', ['leader', 'admin']],
      ['/issues', ROLES],
      ['/', ROLES],
    ];
    for (const [path, allowed] of expectations) {
      for (const role of ROLES) {
        const res = await clients[role].request('GET', path, undefined, { Accept: 'text/html' });
        expect(res.status, `${role} ${path}`).toBe(allowed.includes(role) ? 200 : 403);
      }
    }
  });

  it('keeps the digest API behind login, its roles and CSRF', async () => {
    expect((await new ApiClient(t.url).get('/api/digests/subscription')).status).toBe(401);
    expect((await clients.leader.post(`/api/digests/sent/${MISSING_ID}/resend`, {})).status).toBe(403);
    expect((await clients.leader.get('/api/digests/subscription')).body).toMatchObject({
      subscription: { enabled: true },
    });
    expect((await clients.admin.post(`/api/digests/sent/${MISSING_ID}/resend`, {})).status).toBe(404);
    expect(
      (await clients.leader.request('PUT', '/api/digests/subscription', {}, { 'x-csrf-token': 'forged' })).status,
    ).toBe(403);
  });

  it('keeps Bull Board for admins', async () => {
    expect((await clients.admin.request('GET', '/admin/queues', undefined, { Accept: 'text/html' })).status).toBe(200);
    expect((await clients.analyst.request('GET', '/admin/queues', undefined, { Accept: 'text/html' })).status).toBe(
      403,
    );
    const anon = await new ApiClient(t.url).request('GET', '/admin/queues', undefined, { Accept: 'text/html' });
    expect(anon.status).toBe(303);
    expect((await clients.admin.get('/admin/queues/api/queues')).status).toBe(200);
    expect((await clients.leader.get('/admin/queues/api/queues')).status).toBe(403);
  });
});
