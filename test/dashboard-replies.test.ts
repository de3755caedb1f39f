// The reply library in the response workspace, through the API with each role: the similar past replies of a
// response's issue (real Teddy 2020 replies imported from test/fixtures/replies), the draft check on the draft
// being edited and on the saved version, and a published response joining the library by itself.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { importReplyArchive, parseReplyColumns } from '@yuqing/pipeline';
import { ApiClient, countRows, seedIssue, sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

const FIXTURE = fileURLToPath(new URL('./fixtures/replies/teddy-replies-sample.csv', import.meta.url));
const clock = new ManualClock(new Date('2026-12-05T02:00:00Z'));
let t: TestDashboard;
let analyst: ApiClient;
let spokesperson: ApiClient;
let leader: ApiClient;
let responseId: number;

const DRAFT_OK =
  '网友您好！经市人力资源和社会保障局核实，公益性岗位社会保险补贴期限最长不超过3年，依据《A市公益性岗位管理办法》第六条执行。' +
  '社保补贴到期以后，对距法定退休年龄不足5年的人员，可延长至退休。您可在10个工作日内到区就业服务中心申请，咨询电话12333。';

beforeAll(async () => {
  t = await startTestDashboard({ clock });
  [analyst, spokesperson, leader] = await Promise.all([
    ApiClient.login(t.url, t.users.analyst),
    ApiClient.login(t.url, t.users.spokesperson),
    ApiClient.login(t.url, t.users.leader),
  ]);
  const summary = await importReplyArchive(
    t.db,
    FIXTURE,
    parseReplyColumns('question=留言详情,answer=答复意见,title=留言主题,time=答复时间'),
  );
  expect(summary.stored).toBe(26);
  const { issue } = await seedIssue(t.db, {
    title: '公益性岗位社保补贴到期问题',
    level: 'general',
    deadlineAt: new Date(clock.now().getTime() + 24 * 3600_000),
    mentions: [
      {
        title: '公益性岗位的社保补贴为什么只给三年？',
        body: '我在A2区做公益性岗位，单位说社保补贴只能享受三年，到期以后社保补贴怎么办？能否延长到退休？',
      },
    ],
  });
  const created = await spokesperson.post('/api/responses', { issueId: issue.id, body: '已收悉。' });
  expect(created.status).toBe(201);
  responseId = created.body.id;
});
afterAll(async () => {
  await t?.close();
});

describe('similar past replies', () => {
  it('gives the drafter the five most similar replies with why they matched and the answer to start from', async () => {
    const res = await spokesperson.get(`/api/responses/${responseId}/similar-replies`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    const [best] = res.body.items;
    expect(best.title).toBe('咨询A2区公益性岗位补贴和社保补贴的有关问题');
    expect(best.why).toContain('公益性岗位');
    expect(best.answer).toContain('《A市公益性岗位管理办法》');
    expect(best.source).toBe('import');
    expect((await spokesperson.get(`/api/responses/${responseId}/similar-replies?top=2`)).body.items).toHaveLength(2);
  });

  it('is refused to roles that do not draft, and 404 for a missing response', async () => {
    expect((await analyst.get(`/api/responses/${responseId}/similar-replies`)).status).toBe(403);
    expect((await leader.get(`/api/responses/${responseId}/similar-replies`)).status).toBe(403);
    expect((await spokesperson.get('/api/responses/999999/similar-replies')).status).toBe(404);
    expect((await spokesperson.get(`/api/responses/${responseId}/similar-replies?top=99`)).status).toBe(400);
  });
});

describe('draft check', () => {
  it('scores the draft being edited above the saved stub, and names the questions asked', async () => {
    const saved = await spokesperson.post(`/api/responses/${responseId}/draft-check`, {});
    expect(saved.status).toBe(200);
    const edited = await spokesperson.post(`/api/responses/${responseId}/draft-check`, { body: DRAFT_OK });
    expect(edited.status).toBe(200);
    expect(edited.body.score).toBeGreaterThan(saved.body.score + 40);
    expect(saved.body.questions.map((q: { text: string }) => q.text)).toContain('公益性岗位的社保补贴为什么只给三年？');
    expect(edited.body.questions.every((q: { answered: boolean }) => q.answered)).toBe(true);
    expect(edited.body.department).toBe('市人力资源和社会保障局');
    expect(edited.body.contact).toBe('12333');
    expect(edited.body.timeliness).toBe('on-time');
    expect(saved.body.hints).toContain('留下咨询方式（12333 或咨询电话）。');
  });

  it('is shown to the leader who approves, refused to the analyst', async () => {
    expect((await leader.post(`/api/responses/${responseId}/draft-check`, {})).status).toBe(200);
    expect((await analyst.post(`/api/responses/${responseId}/draft-check`, {})).status).toBe(403);
  });

  it('is in the OpenAPI document with its roles', async () => {
    const doc = (await analyst.get('/api/openapi.json')).body;
    expect(doc.paths['/api/responses/{id}/similar-replies'].get['x-roles']).toEqual(['spokesperson', 'admin']);
    expect(doc.paths['/api/responses/{id}/draft-check'].post['x-roles']).toEqual(['spokesperson', 'admin', 'leader']);
  });
});

describe('published responses join the library', () => {
  it('stores the published text with its issue and finds it for the next similar issue', async () => {
    expect((await spokesperson.post(`/api/responses/${responseId}/versions`, { body: DRAFT_OK })).status).toBe(201);
    expect((await spokesperson.post(`/api/responses/${responseId}/submit`)).status).toBe(200);
    expect((await leader.post(`/api/responses/${responseId}/approve`, {})).status).toBe(200);
    expect((await spokesperson.post(`/api/responses/${responseId}/publish`, { channel: '官网' })).status).toBe(201);
    expect(await countRows(t.db, 'ReplyRecord')).toBe(27);
    const [stored] = await sqlRows<{ answer: string; source: string; title: string; questionTokens: string | null }>(
      t.db,
      `SELECT answer, source, title, "questionTokens" FROM "ReplyRecord" WHERE "responseId" = $1`,
      [responseId],
    );
    expect(stored).toMatchObject({ answer: DRAFT_OK, source: 'response', title: '公益性岗位社保补贴到期问题' });

    const { issue: next } = await seedIssue(t.db, {
      title: '公益性岗位社保补贴期满后怎么办',
      mentions: [{ title: '公益性岗位社保补贴三年期满', body: '公益性岗位社保补贴三年到期了，能延长到退休吗？' }],
    });
    const created = await spokesperson.post('/api/responses', { issueId: next.id, body: '草稿' });
    const similar = await spokesperson.get(`/api/responses/${created.body.id}/similar-replies`);
    expect(similar.body.items.map((r: { source: string }) => r.source)).toContain('response');
    const [indexed] = await sqlRows<{ questionTokens: string | null }>(
      t.db,
      `SELECT "questionTokens" FROM "ReplyRecord" WHERE "responseId" = $1`,
      [responseId],
    );
    expect(indexed!.questionTokens).toContain('公益性岗位');
  });
});
