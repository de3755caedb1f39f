// The transition rules as the API applies them (issue #19: materials frozen after submission, resolved issues keep
// no actions; issue #20: material added to an approved response): GET answers `allowedActions` from the domain's
// action tables, every refused action is a 409, material can be removed (audited) while the response is with its
// author, and conflicting decisions sent together over HTTP end with one 200 and one 409.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@yuqing/db';
import { ApiClient, seedIssue, sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

/** Smallest valid PDF (real magic bytes and trailer). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
/** Rounds of the HTTP race: the repository test runs many more; this shows the 409 reaches the client. */
const HTTP_RACE_ROUNDS = 5;

let t: TestDashboard;
let analyst: ApiClient;
let spokesperson: ApiClient;
let leader: ApiClient;

beforeAll(async () => {
  t = await startTestDashboard();
  [analyst, spokesperson, leader] = await Promise.all([
    ApiClient.login(t.url, t.users.analyst),
    ApiClient.login(t.url, t.users.spokesperson),
    ApiClient.login(t.url, t.users.leader),
  ]);
});
afterAll(async () => {
  await t?.close();
});

async function newResponse(title: string): Promise<{ id: number; issueId: number }> {
  const { issue } = await seedIssue(t.db, { title, level: 'general', mentions: [{ title, body: '关注' }] });
  const created = await spokesperson.post('/api/responses', { issueId: issue.id, body: '口径初稿' });
  expect(created.status).toBe(201);
  return { id: created.body.id as number, issueId: issue.id };
}

function addQa(id: number, title: string) {
  return spokesperson.post(`/api/responses/${id}/materials`, { kind: 'qa', title, question: '问？', answer: '答。' });
}

async function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('response actions and materials', () => {
  it('offers only the actions of each state; material changes only while the response is with its author', async () => {
    const { id } = await newResponse('材料冻结');
    const actionsOf = async () => (await analyst.get(`/api/responses/${id}`)).body.allowedActions;
    expect(await actionsOf()).toEqual(['revise', 'submit', 'addMaterial', 'removeMaterial']);

    const form = new FormData();
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), '政策原文.pdf');
    const upload = await spokesperson.request('POST', `/api/responses/${id}/files`, form);
    expect(upload.status).toBe(201);
    const [stored] = await sqlRows<{ storagePath: string }>(
      t,
      'SELECT "storagePath" FROM "InterpretationMaterial" WHERE id = $1',
      [upload.body.id],
    );
    const filePath = join(t.dataDir, 'uploads', stored!.storagePath);
    expect(await fileExists(filePath)).toBe(true);
    const qa = await addQa(id, '到账时间');
    expect(qa.status).toBe(201);

    // Submitted: the material belongs to the version under review.
    expect((await spokesperson.post(`/api/responses/${id}/submit`)).status).toBe(200);
    expect(await actionsOf()).toEqual(['approve', 'return']);
    const whileSubmitted = await addQa(id, '补充');
    expect(whileSubmitted.status).toBe(409);
    expect(whileSubmitted.body.error.code).toBe('CONFLICT');
    expect((await spokesperson.request('DELETE', `/api/materials/${qa.body.id}`)).status).toBe(409);

    // Approved: adding (201 before) is refused; a change means a new version that needs a new approval.
    expect((await leader.post(`/api/responses/${id}/approve`, { comment: '同意' })).status).toBe(200);
    expect(await actionsOf()).toEqual(['revise', 'publish']);
    expect((await addQa(id, '批准后补充')).status).toBe(409);
    expect((await spokesperson.request('DELETE', `/api/materials/${upload.body.id}`)).status).toBe(409);
    const revised = await spokesperson.post(`/api/responses/${id}/versions`, { body: '口径第二稿' });
    expect(revised.body).toMatchObject({ status: 'draft', currentVersion: 2 });
    expect(await actionsOf()).toEqual(['revise', 'submit', 'addMaterial', 'removeMaterial']);
    expect((await spokesperson.post(`/api/responses/${id}/publish`, { channel: '官网' })).status).toBe(409);

    // Back with the author: removal works (only for the roles that draft), audited, and the file goes too.
    expect((await analyst.request('DELETE', `/api/materials/${upload.body.id}`)).status).toBe(403);
    const removed = await spokesperson.request('DELETE', `/api/materials/${upload.body.id}`);
    expect(removed.status).toBe(200);
    expect(await fileExists(filePath)).toBe(false);
    expect((await spokesperson.request('DELETE', `/api/materials/${upload.body.id}`)).status).toBe(404);
    expect((await analyst.get(`/api/materials/${upload.body.id}/file`)).status).toBe(404);
    expect((await addQa(id, '新版补充')).status).toBe(201);
    const detail = (await analyst.get(`/api/responses/${id}`)).body;
    expect(detail.materials.map((m: { title: string }) => m.title)).toEqual(['到账时间', '新版补充']);

    expect((await spokesperson.post(`/api/responses/${id}/submit`)).status).toBe(200);
    expect((await leader.post(`/api/responses/${id}/approve`, {})).status).toBe(200);
    expect((await spokesperson.post(`/api/responses/${id}/publish`, { channel: '官网' })).status).toBe(201);
    expect(await actionsOf()).toEqual([]);
    expect((await spokesperson.post(`/api/responses/${id}/versions`, { body: '发布后修改' })).status).toBe(409);

    const actions = (await listAudit(t.db, { entityType: 'response', entityId: String(id) }))
      .map((e) => e.action)
      .reverse();
    expect(actions).toEqual([
      'response.create',
      'material.add',
      'material.add',
      'response.submit',
      'response.approve',
      'response.revise',
      'material.remove',
      'material.add',
      'response.submit',
      'response.approve',
      'response.publish',
    ]);
    const removal = (await listAudit(t.db, { entityType: 'response', entityId: String(id) })).find(
      (e) => e.action === 'material.remove',
    );
    expect(removal?.details).toMatchObject({ materialId: upload.body.id, kind: 'file', fileName: '政策原文.pdf' });
  });

  it('approve and return sent together over HTTP: one 200, one 409, one decision stored', async () => {
    for (let round = 0; round < HTTP_RACE_ROUNDS; round++) {
      const { id } = await newResponse(`并发审批${round}`);
      expect((await spokesperson.post(`/api/responses/${id}/submit`)).status).toBe(200);
      const statuses = await Promise.all([
        leader.post(`/api/responses/${id}/approve`, { comment: '同意' }),
        leader.post(`/api/responses/${id}/return`, { comment: '请修改' }),
      ]).then((rs) => rs.map((r) => r.status).sort());
      expect(statuses).toEqual([200, 409]);
      expect((await analyst.get(`/api/responses/${id}`)).body.approvals).toHaveLength(1);
    }
  });
});

describe('issue actions', () => {
  it('a resolved issue offers no action and refuses confirm, dismiss, merge, split and a new response', async () => {
    const { id, issueId } = await newResponse('已处置议题');
    expect((await analyst.get(`/api/issues/${issueId}`)).body.allowedActions).toEqual([
      'dismiss',
      'merge',
      'split',
      'respond',
    ]);
    expect((await spokesperson.post(`/api/responses/${id}/submit`)).status).toBe(200);
    expect((await leader.post(`/api/responses/${id}/approve`, {})).status).toBe(200);
    expect((await spokesperson.post(`/api/responses/${id}/publish`, { channel: '政务微博' })).status).toBe(201);

    const issue = (await analyst.get(`/api/issues/${issueId}`)).body;
    expect(issue.status).toBe('resolved');
    expect(issue.allowedActions).toEqual([]);
    const other = await seedIssue(t.db, { title: '另一议题', mentions: [{ title: '另一', body: '提及' }] });
    const mentionId = (await sqlRows<{ id: number }>(t, 'SELECT id FROM "Mention" WHERE "issueId" = $1', [issueId]))[0]!
      .id;
    const refused = await Promise.all([
      analyst.post(`/api/issues/${issueId}/confirm`, {}),
      analyst.post(`/api/issues/${issueId}/dismiss`, { reason: '噪声' }),
      analyst.post(`/api/issues/${issueId}/merge`, { issueIds: [other.issue.id] }),
      analyst.post(`/api/issues/${other.issue.id}/merge`, { issueIds: [issueId] }),
      analyst.post(`/api/issues/${issueId}/split`, { mentionIds: [mentionId], title: '拆分' }),
      spokesperson.post('/api/responses', { issueId, body: '再次回应' }),
    ]);
    expect(refused.map((r) => r.status)).toEqual([409, 409, 409, 409, 409, 409]);
    // Publishing resolved the issue, audited on the issue itself.
    const issueAudit = (await listAudit(t.db, { entityType: 'issue', entityId: String(issueId) })).map((e) => e.action);
    expect(issueAudit).toEqual(['issue.resolve']);
  });

  it('a decision on a state that moved on is refused (expectedStatus), and the table follows each state', async () => {
    const { issue } = await seedIssue(t.db, { title: '待研判', mentions: [{ title: '待研判', body: '提及' }] });
    expect((await analyst.get(`/api/issues/${issue.id}`)).body.allowedActions).toEqual([
      'confirm',
      'dismiss',
      'merge',
      'split',
      'respond',
    ]);
    const dismissed = await analyst.post(`/api/issues/${issue.id}/dismiss`, { reason: '无关', expectedStatus: 'new' });
    expect(dismissed.body.status).toBe('dismissed');
    expect((await analyst.get(`/api/issues/${issue.id}`)).body.allowedActions).toEqual(['confirm']);
    // A second analyst still looking at 新发现 confirms: refused, the dismissal stands.
    const stale = await analyst.post(`/api/issues/${issue.id}/confirm`, { expectedStatus: 'new' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('expected new');
    expect((await analyst.get(`/api/issues/${issue.id}`)).body.status).toBe('dismissed');
    expect((await analyst.post(`/api/issues/${issue.id}/confirm`, { expectedStatus: 'dismissed' })).status).toBe(200);
    expect((await analyst.post(`/api/issues/${issue.id}/confirm`, { expectedStatus: 'bogus' })).status).toBe(400);
  });
});
