// The /api/models routes (模型管理) on real PostgreSQL and Redis, through the dashboard's login, role and CSRF checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelMention, saveModelVersion } from '@yuqing/db';
import { ApiClient, seedMention, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

interface ModelsPage {
  models: {
    task: string;
    inUse: string;
    promotedVersionId: number | null;
    defaultCard: { figures: unknown[] } | null;
  }[];
  versions: { id: number; task: string; version: string; promoted: boolean }[];
  corrections: { task: string; label: string; count: number }[];
}

describe('models API', () => {
  let dash: TestDashboard;
  let admin: ApiClient;
  const ids = { v1: 0, v2: 0 };

  beforeAll(async () => {
    dash = await startTestDashboard();
    admin = await ApiClient.login(dash.url, dash.users.admin);
    const data = Buffer.from('{}');
    ids.v1 = (
      await saveModelVersion(dash.db, {
        task: 'sentiment',
        version: '1',
        data,
        metrics: { macroF1: 0.81 },
        trainedOn: 40,
        promote: true,
      })
    ).id;
    ids.v2 = (
      await saveModelVersion(dash.db, {
        task: 'sentiment',
        version: '2',
        data,
        metrics: { macroF1: 0.84 },
        trainedOn: 55,
        promote: true,
      })
    ).id;
    const mention = await seedMention(dash.db, {
      title: '单位拖欠工资三个月',
      body: '多次讨要无果，请劳动监察部门处理。',
    });
    await labelMention(dash.db, mention.id, 'sentiment', 'negative', { actorId: dash.users.analyst.id });
  }, 60_000);
  afterAll(async () => {
    await dash?.close();
  });

  it('shows the models in use with the shipped cards, the retrain history and the corrections', async () => {
    const res = await admin.request('GET', '/api/models');
    expect(res.status).toBe(200);
    const page = res.body as ModelsPage;
    const byTask = Object.fromEntries(page.models.map((m) => [m.task, m]));
    expect(byTask.sentiment).toMatchObject({ inUse: 'sentiment@2', promotedVersionId: ids.v2 });
    expect(byTask.relevance!.inUse).toBe('default:relevance');
    expect(byTask.relevance!.defaultCard!.figures.length).toBeGreaterThan(0);
    expect(page.versions.map((v) => [v.version, v.promoted])).toEqual([
      ['2', true],
      ['1', false],
    ]);
    expect(page.corrections).toEqual([expect.objectContaining({ task: 'sentiment', label: 'negative', count: 1 })]);
  });

  it('promotes an older version (roll back one step) and rolls back to the shipped default', async () => {
    expect((await admin.request('POST', `/api/models/versions/${ids.v1}/promote`, {})).status).toBe(200);
    let page = (await admin.request('GET', '/api/models')).body as ModelsPage;
    expect(page.models.find((m) => m.task === 'sentiment')!.inUse).toBe('sentiment@1');
    expect((await admin.request('POST', '/api/models/versions/999999/promote', {})).status).toBe(404);
    const back = await admin.request('POST', '/api/models/sentiment/rollback', {});
    expect(back.body).toMatchObject({ inUse: 'default:sentiment', unpromoted: 1 });
    page = (await admin.request('GET', '/api/models')).body as ModelsPage;
    expect(page.models.find((m) => m.task === 'sentiment')!.inUse).toBe('default:sentiment');
  });

  it('is for admins only', async () => {
    const analyst = await ApiClient.login(dash.url, dash.users.analyst);
    expect((await analyst.request('GET', '/api/models')).status).toBe(403);
    expect((await analyst.request('POST', '/api/models/sentiment/rollback', {})).status).toBe(403);
  });
});
