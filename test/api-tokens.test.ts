// Personal API tokens and the push API against a real dashboard (PostgreSQL, Redis): tokens shown once and stored
// hashed, bearer reads within the owner's role, unsafe routes refused, revocation, audit; POST /api/ingest with a
// mix of good and bad items, size and count limits, the per-token rate limit.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, countRows, seedSource, sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

let t: TestDashboard;
let admin: ApiClient;
let analyst: ApiClient;
let leader: ApiClient;
let sourceId: number;

beforeAll(async () => {
  t = await startTestDashboard();
  admin = await ApiClient.login(t.url, t.users.admin);
  analyst = await ApiClient.login(t.url, t.users.analyst);
  leader = await ApiClient.login(t.url, t.users.leader);
  sourceId = (await seedSource(t.db, { name: '合作平台推送' })).id;
});
afterAll(async () => {
  await t?.close();
});

async function bearer(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(t.url + path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    body: type.includes('json') ? await res.json() : await res.text(),
    headers: res.headers,
  };
}

describe('personal API tokens', () => {
  let readToken = '';
  let readId = 0;

  it('creates a read token shown once and stores only its SHA-256', async () => {
    const created = await leader.post('/api/api-tokens', { name: '周报脚本', scopes: ['read'] });
    expect(created.status).toBe(201);
    readToken = created.body.token;
    readId = created.body.item.id;
    expect(readToken).toMatch(/^yqt_[A-Za-z0-9_-]{43}$/);
    expect(created.body.item.prefix).toBe(readToken.slice(0, 10));
    const [row] = await sqlRows<{ tokenHash: string }>(
      t.databaseUrl,
      'SELECT "tokenHash" FROM "ApiToken" WHERE id = $1',
      [readId],
    );
    expect(row!.tokenHash).toBe(createHash('sha256').update(readToken).digest('hex'));
    const list = await leader.get('/api/api-tokens');
    expect(JSON.stringify(list.body)).not.toContain(readToken);
    expect(list.body.items.map((i: { id: number }) => i.id)).toEqual([readId]);
    expect(await countRows(t.databaseUrl, 'AuditLog', `action = 'api-token.create' AND "entityId" = '${readId}'`)).toBe(
      1,
    );
  });

  it('reads GET routes with the token, within the owner’s role, and records the last use', async () => {
    expect((await bearer(readToken, 'GET', '/api/issues')).status).toBe(200);
    const me = await bearer(readToken, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe(t.users.leader.username);
    // Alert channels are the admins'; a leader's token may not read them either.
    expect((await bearer(readToken, 'GET', '/api/alert-channels')).status).toBe(403);
    const [row] = await sqlRows<{ lastUsedAt: Date | null }>(
      t.databaseUrl,
      'SELECT "lastUsedAt" FROM "ApiToken" WHERE id = $1',
      [readId],
    );
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it('refuses the token on unsafe routes (no CSRF for bearer, so no writes either)', async () => {
    const res = await bearer(readToken, 'POST', '/api/api-tokens', { name: 'x', scopes: ['read'] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('TOKEN_NOT_ALLOWED');
    expect((await bearer(readToken, 'POST', '/api/auth/logout', {})).status).toBe(403);
  });

  it('answers 401 for a malformed or unknown token instead of running as nobody', async () => {
    expect((await bearer('not-a-token', 'GET', '/api/issues')).status).toBe(401);
    expect((await bearer(`yqt_${'A'.repeat(43)}`, 'GET', '/api/issues')).body.error.code).toBe('TOKEN_INVALID');
  });

  it('an ingest-only token cannot read', async () => {
    const created = await analyst.post('/api/api-tokens', { name: '推送', scopes: ['ingest'], sourceId });
    expect(created.status).toBe(201);
    const res = await bearer(created.body.token, 'GET', '/api/issues');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('TOKEN_SCOPE');
  });

  it('refuses ingest tokens to roles that do not manage sources, and ingest tokens without a source', async () => {
    expect((await leader.post('/api/api-tokens', { name: 'p', scopes: ['ingest'], sourceId })).status).toBe(403);
    expect((await analyst.post('/api/api-tokens', { name: 'p', scopes: ['ingest'] })).status).toBe(400);
  });

  it('lets users revoke only their own tokens, admins any; a revoked token is refused', async () => {
    expect((await analyst.request('DELETE', `/api/api-tokens/${readId}`)).status).toBe(404);
    const all = await admin.get('/api/api-tokens');
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    const revoked = await admin.request('DELETE', `/api/api-tokens/${readId}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.item.revokedAt).not.toBeNull();
    const res = await bearer(readToken, 'GET', '/api/issues');
    expect(res.status).toBe(401);
    expect(await countRows(t.databaseUrl, 'AuditLog', `action = 'api-token.revoke' AND "entityId" = '${readId}'`)).toBe(
      1,
    );
  });

  it('serves the 「API 令牌」 page to every role, not to a bearer token', async () => {
    const page = await analyst.request('GET', '/tokens', undefined, { Accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-page="tokens"');
    expect(page.body).toContain('API 令牌');
    // Tokens are for the API: the pages still want a login.
    const live = (await analyst.post('/api/api-tokens', { name: '页面', scopes: ['read'] })).body.token;
    expect((await bearer(live, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await bearer(live, 'GET', '/tokens')).status).toBe(303);
  });

  it('documents bearer tokens and the push API in OpenAPI', async () => {
    const doc = await admin.get('/api/openapi.json');
    expect(doc.body.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.paths['/api/ingest'].post.security).toEqual([{ bearerToken: ['ingest'] }]);
    expect(doc.body.paths['/api/issues'].get.security).toContainEqual({ bearerToken: ['read'] });
  });
});

describe('POST /api/ingest', () => {
  let token = '';

  beforeAll(async () => {
    token = (await analyst.post('/api/api-tokens', { name: '合作平台', scopes: ['ingest'], sourceId })).body.token;
  });

  it('stores the good items of a mixed batch and names the bad field of each rejected one', async () => {
    const items = [
      {
        url: 'https://partner.example.cn/posts/1001',
        title: '养老保险转移接续办理进度咨询',
        body: '去年从外省调回本市工作，养老保险关系转移申请提交两个月了还没有办结，请问进度怎么查询？',
        publishedAt: '2026-12-05T09:30:00+08:00',
      },
      { url: 'not a url', title: '标题', body: '正文' },
      { url: 'https://partner.example.cn/posts/1002', body: '没有标题的一条' },
      {
        url: 'https://partner.example.cn/posts/1003',
        title: '失业保险金申领',
        body: '失业保险金网上申领后多久到账？',
        likes: -1,
      },
      {
        url: 'https://partner.example.cn/posts/1004',
        title: '社保卡补办',
        body: '社保卡丢失后在哪里补办，需要带什么材料？',
      },
    ];
    const res = await bearer(token, 'POST', '/api/ingest', items);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 5, accepted: 2, rejected: 3, stored: 2 });
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    expect(res.body.items[1].errors[0].field).toBe('url');
    expect(res.body.items[2].errors[0].field).toBe('title');
    expect(res.body.items[3].errors[0].field).toBe('likes');
    const rows = await sqlRows<{ sourceId: number }>(t.databaseUrl, 'SELECT "sourceId" FROM "Mention" ORDER BY id');
    expect(rows.map((r) => r.sourceId)).toEqual([sourceId, sourceId]);
    // The same batch again: deduplicated by the normal ingest path.
    const again = await bearer(token, 'POST', '/api/ingest', items);
    expect(again.body).toMatchObject({ accepted: 2, stored: 0, duplicates: 2 });
  });

  it('refuses a body that is not an array, malformed JSON, and cookie sessions', async () => {
    expect((await bearer(token, 'POST', '/api/ingest', { url: 'x' })).body.error.code).toBe('INGEST_NOT_ARRAY');
    expect((await bearer(token, 'POST', '/api/ingest', '[{"url":')).status).toBe(400);
    const viaCookie = await analyst.post('/api/ingest', []);
    expect(viaCookie.status).toBe(401);
    expect(viaCookie.body.error.code).toBe('TOKEN_REQUIRED');
  });

  it('answers 413 over the item count and over the body size', async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ url: `https://p.example.cn/${i}`, title: 't', body: 'b' }));
    expect((await bearer(token, 'POST', '/api/ingest', many)).status).toBe(413);
    const huge = [{ url: 'https://p.example.cn/big', title: 't', body: 'x'.repeat(2 * 1024 * 1024 + 10) }];
    const res = await bearer(token, 'POST', '/api/ingest', huge);
    expect(res.status).toBe(413);
    expect(await countRows(t.databaseUrl, 'Mention', `url LIKE 'https://p.example.cn/%'`)).toBe(0);
  });

  it('rate-limits each token on its own', async () => {
    const limited = (await analyst.post('/api/api-tokens', { name: '限流', scopes: ['ingest'], sourceId })).body.token;
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await bearer(limited, 'POST', '/api/ingest', [])).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    // Another token is not held back by this one's count.
    expect((await bearer(token, 'POST', '/api/ingest', [])).status).toBe(200);
  });
});
