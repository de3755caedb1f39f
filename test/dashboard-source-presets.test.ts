// The preset endpoints behind the 信源 form: the catalog the form's fields are generated from, a 微博 source added
// from a preset (checked first with dryRun, the cookie masked in answers, audited), errors naming the parameter,
// admins only, both routes in the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

let t: TestDashboard;
let admin: ApiClient;
let analyst: ApiClient;

beforeAll(async () => {
  t = await startTestDashboard();
  admin = await ApiClient.login(t.url, t.users.admin);
  analyst = await ApiClient.login(t.url, t.users.analyst);
});
afterAll(async () => {
  await t?.close();
});

describe('source presets API', () => {
  it('lists the presets with their parameters', async () => {
    const res = await admin.get('/api/sources/presets');
    expect(res.status).toBe(200);
    const items = res.body.items as Array<{
      name: string;
      label: string;
      params: Array<{ key: string; required: boolean }>;
    }>;
    const search = items.find((p) => p.name === 'weibo-search')!;
    expect(search.label).toBe('微博关键词搜索');
    expect(search.params).toContainEqual(expect.objectContaining({ key: 'keyword', required: true }));
  });

  it('checks with dryRun, then adds; the cookie is masked in answers and stored', async () => {
    const body = { preset: 'weibo-user', params: { uid: '1669879400', cookie: 'SUB=secret-value' }, region: '长沙' };
    const before = await sqlRows<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM "Source"');
    const dry = await admin.post('/api/sources/from-preset', { ...body, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      created: false,
      source: { kind: 'weibo', region: '长沙', config: { cookie: '******' } },
    });
    const mid = await sqlRows<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM "Source"');
    expect(mid[0]!.n).toBe(before[0]!.n);
    const res = await admin.post('/api/sources/from-preset', body);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('secret-value');
    const [row] = await sqlRows<{ kind: string; config: { uid: string; cookie: string } }>(
      t.databaseUrl,
      'SELECT kind, config FROM "Source" WHERE id = $1',
      [res.body.source.id],
    );
    expect(row).toMatchObject({ kind: 'weibo', config: { uid: '1669879400', cookie: 'SUB=secret-value' } });
    const audit = await sqlRows(
      t.databaseUrl,
      `SELECT 1 FROM "AuditLog" WHERE action = 'source.create' AND "entityId" = $1`,
      [String(res.body.source.id)],
    );
    expect(audit).toHaveLength(1);
  });

  it('names the parameter in errors', async () => {
    const missing = await admin.post('/api/sources/from-preset', { preset: 'weibo-search', params: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('PRESET_PARAM_MISSING');
    expect(missing.body.error.message).toMatch(/^params\.keyword: 请填写关键词/);
    const bad = await admin.post('/api/sources/from-preset', { preset: 'weibo-user', params: { uid: 'abc' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^params\.uid: 用户 UID/);
    const unknown = await admin.post('/api/sources/from-preset', {
      preset: 'weibo-user',
      params: { uid: '1669879400', x: '1' },
    });
    expect(unknown.body.error.message).toMatch(/params\.x/);
    const noPreset = await admin.post('/api/sources/from-preset', { preset: 'nope', params: {} });
    expect(noPreset.body.error.message).toMatch(/^preset: /);
  });

  it('is for admins only and appears in OpenAPI', async () => {
    expect((await analyst.get('/api/sources/presets')).status).toBe(403);
    expect(
      (await analyst.post('/api/sources/from-preset', { preset: 'weibo-search', params: { keyword: 'x' } })).status,
    ).toBe(403);
    const doc = await admin.get('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/sources/presets', '/api/sources/from-preset']),
    );
  });
});
