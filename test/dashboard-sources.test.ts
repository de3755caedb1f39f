// Sources and monitoring schemes saved through the API are checked with the schemas the crawlers and the
// pipeline read them with (@yuqing/domain): a bad config is a 400 naming the field, never a failed crawl later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

let t: TestDashboard;
let admin: ApiClient;

beforeAll(async () => {
  t = await startTestDashboard();
  admin = await ApiClient.login(t.url, t.users.admin);
});
afterAll(async () => {
  await t?.close();
});

const htmlSource = {
  name: '市人社局官网',
  kind: 'html',
  url: 'http://127.0.0.1:3100/news/',
  config: { list: { itemLinks: 'ul.news-list a' } },
};

describe('source config validation', () => {
  it('refuses a config the crawler could not read, naming the field', async () => {
    const missing = await admin.post('/api/sources', { ...htmlSource, config: { list: {} } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/config\.list\.itemLinks/);
    const unknown = await admin.post('/api/sources', {
      ...htmlSource,
      config: { list: { itemLinks: 'a' }, selectorz: 'x' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/selectorz/);
    const json = await admin.post('/api/sources', {
      name: '留言板',
      kind: 'json',
      url: 'http://127.0.0.1:3100/api/list',
      config: { itemsPath: 'data.items', fields: {} },
    });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/config\.fields\.url/);
  });

  it('refuses limits above the crawler maximum and unknown fields, on create and patch (issue #20)', async () => {
    for (const maxBytes of [1e12, 50 * 1024 * 1024 + 1, 10.5]) {
      const res = await admin.post('/api/sources', {
        ...htmlSource,
        config: { ...htmlSource.config, limits: { maxBytes } },
      });
      expect(res.status, `maxBytes ${maxBytes}`).toBe(400);
      expect(res.body.error.message).toMatch(/config\.limits\.maxBytes/);
    }
    const limitsTypo = await admin.post('/api/sources', {
      ...htmlSource,
      config: { ...htmlSource.config, limits: { maxByte: 1024 } },
    });
    expect(limitsTypo.status).toBe(400);
    expect(limitsTypo.body.error.message).toMatch(/maxByte/);
    const topLevel = await admin.post('/api/sources', { ...htmlSource, maxBytes: 1e12 });
    expect(topLevel.status).toBe(400);
    expect(topLevel.body.error.message).toMatch(/maxBytes/);
    const created = await admin.post('/api/sources', {
      ...htmlSource,
      config: { ...htmlSource.config, limits: { maxBytes: 2 * 1024 * 1024 } },
    });
    expect(created.status).toBe(201);
    const patched = await admin.request('PATCH', `/api/sources/${created.body.id}`, {
      config: { ...htmlSource.config, limits: { maxBytes: 1e12 } },
    });
    expect(patched.status).toBe(400);
    const patchedUnknown = await admin.request('PATCH', `/api/sources/${created.body.id}`, { owner: 'x' });
    expect(patchedUnknown.status).toBe(400);
  });

  it('refuses a schedule the scheduler could not read', async () => {
    const bad = await admin.post('/api/sources', { ...htmlSource, schedule: '99 * * * *' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/schedule/);
  });

  it('checks a patched config against the kind after the patch', async () => {
    const created = await admin.post('/api/sources', htmlSource);
    expect(created.status).toBe(201);
    const toJson = await admin.request('PATCH', `/api/sources/${created.body.id}`, { kind: 'json' });
    expect(toJson.status).toBe(400);
    expect(toJson.body.error.message).toMatch(/config\.itemsPath/);
    const badConfig = await admin.request('PATCH', `/api/sources/${created.body.id}`, {
      config: { list: { itemLinks: '' } },
    });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body.error.message).toMatch(/config\.list\.itemLinks/);
    const good = await admin.request('PATCH', `/api/sources/${created.body.id}`, {
      config: { list: { itemLinks: 'ul a', maxPages: 3 } },
    });
    expect(good.status).toBe(200);
    expect(good.body.config).toEqual({ list: { itemLinks: 'ul a', maxPages: 3 } });
    expect((await admin.request('PATCH', `/api/sources/${created.body.id}`, { enabled: false })).status).toBe(200);
  });
});

describe('monitoring scheme validation', () => {
  it('accepts the rule forms the pipeline applies and refuses others', async () => {
    const ok = await admin.post('/api/schemes', {
      name: '欠薪',
      rule: { all: [['海淀', '朝阳'], '欠薪|拖欠工资'], not: ['招聘'] },
      tags: ['欠薪'],
    });
    expect(ok.status).toBe(201);
    const empty = await admin.post('/api/schemes', { name: '空', rule: { not: ['招聘'] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/at least one group/);
    const wrong = await admin.post('/api/schemes', { name: '坏', rule: { all: 'not-an-array' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/rule\.all/);
  });
});
