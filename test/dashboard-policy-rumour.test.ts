// Issue #18 parts 3 and 4 through the API with real sessions and roles: uploading a real draft for the
// pre-release risk assessment (bad types refused with a code), and 辟谣 — the rumour mark, a rebuttal that goes
// through the template check and the leader's approval, and the spread of the rumour and the notice.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPolicyDocument } from '@yuqing/pipeline';
import { ApiClient, seedIssue, seedMention, sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { REPO_ROOT } from './helpers/yq.ts';

const DRAFT = join(REPO_ROOT, 'test/fixtures/policy/rural-revitalisation-2023.docx');
const PDF_DRAFT = join(REPO_ROOT, 'test/fixtures/policy/guangdong-transition-labour-disputes-2013.pdf');

let t: TestDashboard;
let analyst: ApiClient;
let spokesperson: ApiClient;
let leader: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  t = await startTestDashboard();
  const login = (role: 'analyst' | 'spokesperson' | 'leader' | 'admin') => ApiClient.login(t.url, t.users[role]);
  analyst = await login('analyst');
  spokesperson = await login('spokesperson');
  leader = await login('leader');
  admin = await login('admin');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

function upload(client: ApiClient, bytes: Buffer, name: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return client.request('POST', '/api/policy/assessments', form);
}

describe('政策风险评估 API', () => {
  it('assesses an uploaded real draft, lists it and serves its .docx report to spokesperson, leader and admin', async () => {
    const created = await upload(spokesperson, await readFile(DRAFT), '乡村振兴意见（征求意见稿）.docx');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      fileName: '乡村振兴意见（征求意见稿）.docx',
      title: '关于学习运用千村示范、万村整治工程经验有力有效推进乡村全面振兴的意见',
    });
    expect(created.body.clauses).toHaveLength(15);
    expect(created.body.clauses[0]).toMatchObject({ index: 1, heading: '（一）', level: 'low' });
    expect(created.body.questions.length).toBeGreaterThan(0);
    const id = created.body.id as number;

    for (const client of [leader, admin]) {
      const one = await client.get(`/api/policy/assessments/${id}`);
      expect(one.status).toBe(200);
      expect(one.body.clauses).toEqual(created.body.clauses);
    }
    const list = await leader.get('/api/policy/assessments');
    expect(list.body.items.map((a: { id: number }) => a.id)).toContain(id);

    const report = await fetch(`${t.url}/api/policy/assessments/${id}/report`, { headers: { Cookie: admin.cookie } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const text = await readPolicyDocument(Buffer.from(await report.arrayBuffer()), 'report.docx');
    expect(text).toContain('政策出台前风险评估报告');
    expect(text).toContain('（文件：乡村振兴意见（征求意见稿）.docx）');

    const audit = await sqlRows(t, `SELECT action, "actorId", details FROM "AuditLog" WHERE "entityType" = 'policy'`);
    expect(audit).toEqual([
      {
        action: 'policy.assess',
        actorId: t.users.spokesperson.id,
        details: { fileName: '乡村振兴意见（征求意见稿）.docx', level: created.body.level, clauses: 15 },
      },
    ]);
  });

  it('refuses other file types with 415 UNSUPPORTED_FILE_TYPE and a missing file with 400', async () => {
    const svg = await readFile(join(REPO_ROOT, 'dashboard/public/favicon.svg'));
    const refused = await upload(spokesperson, svg, 'draft.svg');
    expect(refused.status).toBe(415);
    expect(refused.body.error).toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE', status: 415 });
    expect(refused.body.error.message).toContain('.docx、.pdf、.txt');
    const missing = await spokesperson.request('POST', '/api/policy/assessments', new FormData());
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('FILE_MISSING');
    const rows = await sqlRows<{ n: number }>(t, 'SELECT count(*)::int AS n FROM "PolicyAssessment"');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('assesses an uploaded real .pdf (a provincial 人社厅 document) through the same API', async () => {
    const created = await upload(leader, await readFile(PDF_DRAFT), '转型升级劳资纠纷意见.pdf');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      fileName: '转型升级劳资纠纷意见.pdf',
      title: '广东省人力资源和社会保障厅关于做好企业转型升级过程中劳资纠纷预防处理工作的意见',
    });
    expect(created.body.clauses).toHaveLength(14);
    expect(created.body.clauses[2]).toMatchObject({ heading: '（一）' });
    expect(created.body.clauses[2].text).toMatch(/^关于信息公开与提前告知问题。/);
    const report = await fetch(`${t.url}/api/policy/assessments/${created.body.id}/report`, {
      headers: { Cookie: leader.cookie },
    });
    expect(report.status).toBe(200);
    const text = await readPolicyDocument(Buffer.from(await report.arrayBuffer()), 'report.docx');
    expect(text).toContain('（文件：转型升级劳资纠纷意见.pdf）');
  });

  it('is closed to analysts (403) and shows the page to the roles that may use it', async () => {
    expect((await upload(analyst, await readFile(DRAFT), 'x.docx')).status).toBe(403);
    expect((await analyst.get('/api/policy/assessments')).status).toBe(403);
    const openapi = await admin.get('/api/openapi.json');
    expect(openapi.body.paths['/api/policy/assessments'].post['x-roles']).toEqual(['spokesperson', 'leader', 'admin']);
    const page = await fetch(`${t.url}/policy`, { headers: { Cookie: leader.cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-page="policy"');
    expect((await fetch(`${t.url}/policy`, { headers: { Cookie: analyst.cookie } })).status).toBe(403);
  });
});

describe('辟谣', () => {
  const at = (iso: string) => new Date(iso);
  let issueId: number;

  beforeAll(async () => {
    const { issue } = await seedIssue(t.db, {
      title: '网传下月起停发养老金',
      level: 'general',
      mentions: [
        { title: '听说下月养老金停发了', body: '群里都在传', publishedAt: at('2026-12-01T01:10:00Z') },
        { title: '养老金真的要停发？', body: '有人知道吗', publishedAt: at('2026-12-01T01:50:00Z') },
        { title: '人社局辟谣：养老金按时发放', body: '官方说了', publishedAt: at('2026-12-01T04:30:00Z') },
        { title: '转：关于“网传下月起停发养老金”的辟谣说明', body: '', publishedAt: at('2026-12-01T04:40:00Z') },
        { title: '还是担心', body: '养老金会不会停', publishedAt: at('2026-12-01T04:50:00Z') },
      ],
    });
    issueId = issue.id;
    // Filed elsewhere: a repeat of the rumour nobody filed, a post in another issue naming the notice, and two that
    // must not count (辟谣 of something else; unrelated), plus a repeat from before the rumour's first post.
    await seedMention(t.db, {
      title: '网传下月起停发养老金？',
      body: '群里都在转',
      publishedAt: at('2026-12-01T02:20:00Z'),
    });
    await seedIssue(t.db, {
      title: '养老金发放相关讨论',
      mentions: [
        { title: '转发：关于“网传下月起停发养老金”的辟谣说明', body: '', publishedAt: at('2026-12-01T04:45:00Z') },
      ],
    });
    await seedMention(t.db, { title: '交警辟谣：高速不会封闭', body: '', publishedAt: at('2026-12-01T04:35:00Z') });
    await seedMention(t.db, { title: '今天天气很好适合出游', body: '', publishedAt: at('2026-12-01T03:10:00Z') });
    await seedMention(t.db, { title: '网传下月起停发养老金', body: '', publishedAt: at('2026-11-30T20:00:00Z') });
  });

  it('lets analysts and spokespersons mark a rumour with a note (audited), not leaders', async () => {
    expect((await leader.request('PUT', `/api/issues/${issueId}/rumour`, { rumour: true, note: 'x' })).status).toBe(
      403,
    );
    const noNote = await analyst.request('PUT', `/api/issues/${issueId}/rumour`, { rumour: true, note: ' ' });
    expect(noNote.status).toBe(400);
    // A rebuttal needs the mark first.
    const early = await spokesperson.post('/api/responses', { issueId, kind: 'rumour_rebuttal' });
    expect(early.status).toBe(409);
    const marked = await analyst.request('PUT', `/api/issues/${issueId}/rumour`, {
      rumour: true,
      note: '网传下月起停发养老金',
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ rumourNote: '网传下月起停发养老金', rumourMarkedById: t.users.analyst.id });
    const issue = await leader.get(`/api/issues/${issueId}`);
    expect(issue.body.rumourNote).toBe('网传下月起停发养老金');
    const audit = await sqlRows(
      t,
      `SELECT action, "actorId", details FROM "AuditLog" WHERE "entityType" = 'issue' AND "entityId" = $1 AND action LIKE 'issue.rumour%'`,
      [String(issueId)],
    );
    expect(audit).toEqual([
      { action: 'issue.rumour', actorId: t.users.analyst.id, details: { note: '网传下月起停发养老金' } },
    ]);
  });

  it('drafts a 辟谣 notice from its template, refuses to submit it unfilled, then approves and publishes it', async () => {
    const template = await spokesperson.get(`/api/issues/${issueId}/rumour-template`);
    expect(template.body.body.split('\n')[0]).toBe(
      '关于“网传下月起停发养老金”的辟谣说明（网传：网传下月起停发养老金）',
    );
    const created = await spokesperson.post('/api/responses', { issueId, kind: 'rumour_rebuttal' });
    expect(created.status).toBe(201);
    expect(created.body.kind).toBe('rumour_rebuttal');
    const responseId = created.body.id as number;
    const first = await spokesperson.get(`/api/responses/${responseId}`);
    expect(first.body.versions[0].body).toBe(template.body.body);

    const unfilled = await spokesperson.post(`/api/responses/${responseId}/submit`);
    expect(unfilled.status).toBe(400);
    expect(unfilled.body.error.code).toBe('VALIDATION_FAILED');
    expect(unfilled.body.error.message).toContain('【事实】');

    const filled = [
      '关于“网传下月起停发养老金”的辟谣说明',
      '【事实】经核实，网传内容不实，本市基本养老金按月足额发放。',
      '【依据】《中华人民共和国社会保险法》第十五条。',
      '【权威来源】本局官方网站“通知公告”栏目。',
      '【联系方式】12333 人力资源社会保障服务热线。',
    ].join('\n');
    expect((await spokesperson.post(`/api/responses/${responseId}/versions`, { body: filled })).status).toBe(201);
    expect((await spokesperson.post(`/api/responses/${responseId}/submit`)).status).toBe(200);
    // The same approval as any response: only the leader decides.
    expect((await spokesperson.post(`/api/responses/${responseId}/approve`, {})).status).toBe(403);
    expect((await leader.post(`/api/responses/${responseId}/approve`, {})).status).toBe(200);
    const published = await spokesperson.post(`/api/responses/${responseId}/publish`, {
      channel: '官网',
      publishedAt: '2026-12-01T04:00:00Z',
    });
    expect(published.status).toBe(201);
  });

  it('shows the rumour and the notice spreading side by side, to every role', async () => {
    for (const client of [analyst, leader]) {
      const spread = await client.get(`/api/issues/${issueId}/rumour-spread?bucket=hour`);
      expect(spread.status).toBe(200);
      expect(spread.body.notices).toEqual([
        expect.objectContaining({
          title: '关于“网传下月起停发养老金”的辟谣说明',
          channel: '官网',
          publishedAt: '2026-12-01T04:00:00.000Z',
        }),
      ]);
      // [hour, rumour posts, of them filed elsewhere, citing posts, of them filed elsewhere]
      expect(
        spread.body.points.map(
          (p: { at: string; mentions: number; repeats: number; citing: number; citingOutside: number }) => [
            p.at,
            p.mentions,
            p.repeats,
            p.citing,
            p.citingOutside,
          ],
        ),
      ).toEqual([
        ['2026-12-01T01:00:00.000Z', 2, 0, 0, 0],
        ['2026-12-01T02:00:00.000Z', 1, 1, 0, 0],
        ['2026-12-01T03:00:00.000Z', 0, 0, 0, 0],
        ['2026-12-01T04:00:00.000Z', 3, 0, 3, 1],
      ]);
      expect(spread.body.totals).toEqual({ mentions: 6, repeats: 1, citing: 3, citingOutside: 1 });
    }
    const days = await analyst.get(`/api/issues/${issueId}/rumour-spread?bucket=day`);
    expect(days.body.points).toEqual([
      { at: '2026-11-30T16:00:00.000Z', mentions: 6, repeats: 1, citing: 3, citingOutside: 1 },
    ]);
    expect((await analyst.get(`/api/issues/${issueId}/rumour-spread?bucket=week`)).status).toBe(400);
  });

  it('clears the mark only by a person, audited with what it said', async () => {
    const cleared = await spokesperson.request('PUT', `/api/issues/${issueId}/rumour`, { rumour: false });
    expect(cleared.body).toMatchObject({ rumourMarkedAt: null, rumourNote: null });
    const [entry] = await sqlRows(
      t,
      `SELECT action, details FROM "AuditLog" WHERE action = 'issue.rumour-clear' AND "entityId" = $1`,
      [String(issueId)],
    );
    expect(entry).toEqual({ action: 'issue.rumour-clear', details: { from: '网传下月起停发养老金' } });
  });
});
