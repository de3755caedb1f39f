import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { listAudit, listMentions } from '@yuqing/db';
import { tokenise } from '@yuqing/nlp';
import { ApiClient, seedIssue, seedMention, seedSource, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

const clock = new ManualClock(new Date('2026-11-27T01:00:00Z'));
let t: TestDashboard;
let analyst: ApiClient;
let spokesperson: ApiClient;
let leader: ApiClient;
let admin: ApiClient;

/** Smallest valid files of each accepted kind (real magic bytes). */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function loginAll(): Promise<void> {
  [analyst, spokesperson, leader, admin] = await Promise.all([
    ApiClient.login(t.url, t.users.analyst),
    ApiClient.login(t.url, t.users.spokesperson),
    ApiClient.login(t.url, t.users.leader),
    ApiClient.login(t.url, t.users.admin),
  ]);
}

beforeAll(async () => {
  t = await startTestDashboard({ clock });
  await loginAll();
});
afterAll(async () => {
  await t?.close();
});

describe('mentions (thin slice)', () => {
  it('lists newest first with keyset pagination, filters and Chinese full-text search', async () => {
    const source = await seedSource(t.db, { name: '本地论坛' });
    const ids: number[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        (
          await seedMention(t.db, {
            sourceId: source.id,
            title: `招聘会第${i}场`,
            body: '本周末在市人才市场举办',
            category: '就业创业',
            sentiment: 'neutral',
          })
        ).id,
      );
    const target = await seedMention(t.db, {
      sourceId: source.id,
      title: '养老金上调何时到账',
      body: '退休人员关心养老金调整',
      category: '社会保险',
      sentiment: 'negative',
    });
    const page1 = await analyst.get(`/api/mentions?sourceId=${source.id}&limit=5`);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((m: { id: number }) => m.id)).toEqual([target.id, ...ids.slice(-4).reverse()]);
    expect(page1.body.items[0].sourceName).toBe('本地论坛');
    const page2 = await analyst.get(`/api/mentions?sourceId=${source.id}&limit=5&beforeId=${page1.body.nextBeforeId}`);
    expect(page2.body.items.map((m: { id: number }) => m.id)).toEqual(ids.slice(0, 3).reverse());
    expect(page2.body.nextBeforeId).toBeNull();
    const search = await analyst.get(`/api/mentions?q=${encodeURIComponent('养老金 到账')}`);
    expect(search.body.items.map((m: { id: number }) => m.id)).toEqual([target.id]);
    // An analysed mention stores jieba tokens instead of bigrams; the same query finds it too.
    const analysed = await seedMention(t.db, {
      sourceId: source.id,
      title: '关于养老金上调的通知',
      body: '……',
      searchTokens: tokenise('关于养老金上调的通知 ……').join(' '),
    });
    const both = await analyst.get(`/api/mentions?q=${encodeURIComponent('养老金上调')}`);
    expect(both.body.items.map((m: { id: number }) => m.id).sort()).toEqual([target.id, analysed.id].sort());
    // The recent-window walk and the GIN fallback together return exactly the plain keyset pages.
    for (const window of [1, 3, 100_000]) {
      const seen: number[] = [];
      let beforeId: number | undefined;
      do {
        const page = await listMentions(t.db, {
          sourceId: source.id,
          searchTokenSets: [['招聘']],
          limit: 2,
          searchWindowIds: window,
          ...(beforeId ? { beforeId } : {}),
        });
        seen.push(...page.items.map((m) => m.id));
        beforeId = page.nextBeforeId ?? undefined;
      } while (beforeId);
      expect(seen, `window ${window}`).toEqual([...ids].reverse());
    }
    const negative = await analyst.get(`/api/mentions?sourceId=${source.id}&sentiment=negative`);
    expect(negative.body.items.map((m: { id: number }) => m.id)).toEqual([target.id]);
    expect((await analyst.get('/api/mentions?sentiment=angry')).status).toBe(400);
  });
});

describe('issues and triage', () => {
  it('filters issues, shows detail with folded reposts, hotness and classification tokens', async () => {
    const source = await seedSource(t.db);
    const { issue, mentions } = await seedIssue(t.db, {
      title: '某公司欠薪',
      level: 'major',
      category: '劳动关系',
      keywords: ['欠薪', '农民工'],
      mentions: [
        {
          title: '某公司拖欠工资三个月',
          body: '工人讨薪无果',
          sentiment: 'negative',
          sourceId: source.id,
          publishedAt: new Date('2026-11-26T01:00:00Z'),
          contentHash: 'same-text',
        },
        {
          title: '某公司拖欠工资三个月',
          body: '工人讨薪无果',
          sentiment: 'negative',
          publishedAt: new Date('2026-11-26T02:00:00Z'),
          contentHash: 'same-text',
        },
        {
          title: '劳动监察介入欠薪',
          body: '人社局已受理',
          sentiment: 'neutral',
          publishedAt: new Date('2026-11-26T03:00:00Z'),
        },
      ],
    });
    await seedIssue(t.db, {
      title: '医保报销咨询',
      level: 'general',
      category: '社会保险',
      mentions: [{ title: '异地就医报销', body: '备案流程' }],
    });
    const major = await analyst.get('/api/issues?level=major,severe');
    expect(major.body.items.map((i: { id: number }) => i.id)).toContain(issue.id);
    expect(major.body.items.every((i: { level: string }) => ['major', 'severe'].includes(i.level))).toBe(true);
    const bySource = await analyst.get(`/api/issues?sourceId=${source.id}`);
    expect(bySource.body.items.map((i: { id: number }) => i.id)).toEqual([issue.id]);
    const bySearch = await analyst.get(`/api/issues?q=${encodeURIComponent('讨薪')}`);
    expect(bySearch.body.items.map((i: { id: number }) => i.id)).toEqual([issue.id]);
    const timeline = await analyst.get(`/api/issues/${issue.id}/timeline`);
    expect(timeline.body.entries).toHaveLength(2);
    expect(timeline.body.entries[0].folded.map((f: { id: number }) => f.id)).toEqual([mentions[1]!.id]);
    const hot = await analyst.get(`/api/issues/${issue.id}/hotness`);
    expect(hot.body.points).toHaveLength(5);
    const cls = await analyst.get(`/api/issues/${issue.id}/classification`);
    expect(cls.body.analysedMentions).toBe(3);
    expect(cls.body.tokens.category[0]).toEqual({ token: '养老金', weight: 7.5 });
    expect(cls.body.sentiments).toEqual(expect.arrayContaining([{ label: 'negative', count: 2 }]));
  });

  it('confirms, sets level with deadline, assigns, dismisses, merges, splits and records training labels, all audited', async () => {
    const a = await seedIssue(t.db, {
      title: '工伤认定慢',
      mentions: [
        { title: '工伤认定等了半年', body: '材料齐全' },
        { title: '工伤认定流程', body: '咨询' },
        { title: '社保卡补办', body: '另一件事' },
      ],
    });
    const b = await seedIssue(t.db, { title: '工伤认定投诉', mentions: [{ title: '工伤认定投诉', body: '拖延' }] });
    // Confirming without a level gives the default (一般) and its 72 h deadline: no confirmed issue lacks one.
    const confirmed = await analyst.post(`/api/issues/${a.issue.id}/confirm`);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', level: 'general' });
    expect(new Date(confirmed.body.deadlineAt).getTime()).toBe(clock.now().getTime() + 72 * 3600_000);
    expect((await analyst.post(`/api/issues/${a.issue.id}/confirm`)).status).toBe(409);
    // Confirming at a chosen level sets that level's deadline.
    const c = await seedIssue(t.db, { title: '养老金断缴', mentions: [{ title: '养老金断缴', body: '补缴' }] });
    const atMajor = await analyst.post(`/api/issues/${c.issue.id}/confirm`, { level: 'major' });
    expect(atMajor.body).toMatchObject({ status: 'confirmed', level: 'major' });
    expect(new Date(atMajor.body.deadlineAt).getTime()).toBe(clock.now().getTime() + 48 * 3600_000);
    // A title set by hand.
    const titled = await analyst.post(`/api/issues/${c.issue.id}/title`, { title: '养老金断缴补缴咨询' });
    expect(titled.body).toMatchObject({ title: '养老金断缴补缴咨询', lockedFields: ['title', 'level'] });
    const level = await leader.post(`/api/issues/${a.issue.id}/level`, { level: 'severe' });
    expect(new Date(level.body.deadlineAt).getTime()).toBe(clock.now().getTime() + 24 * 3600_000);
    expect(
      (await analyst.post(`/api/issues/${a.issue.id}/assign`, { assigneeId: t.users.spokesperson.id })).body.assigneeId,
    ).toBe(t.users.spokesperson.id);
    const merged = await analyst.post(`/api/issues/${a.issue.id}/merge`, { issueIds: [b.issue.id] });
    expect(merged.body.mentionCount).toBe(4);
    expect((await analyst.get(`/api/issues/${b.issue.id}`)).body).toMatchObject({
      status: 'merged',
      mergedIntoId: a.issue.id,
    });
    const split = await analyst.post(`/api/issues/${a.issue.id}/split`, {
      mentionIds: [a.mentions[2]!.id],
      title: '社保卡补办',
    });
    expect(split.status).toBe(201);
    expect(split.body.mentionCount).toBe(1);
    expect((await analyst.post(`/api/issues/${split.body.id}/dismiss`, { reason: '与本议题无关' })).body).toMatchObject(
      { status: 'dismissed', dismissReason: '与本议题无关' },
    );
    expect((await analyst.post(`/api/issues/${a.issue.id}/dismiss`, {})).status).toBe(400);
    const label = await analyst.post(`/api/mentions/${a.mentions[0]!.id}/labels`, {
      task: 'sentiment',
      label: 'negative',
    });
    expect(label.status).toBe(201);
    expect(label.body).toMatchObject({ task: 'sentiment', label: 'negative', userId: t.users.analyst.id });
    expect(label.body.text).toContain('工伤认定等了半年');
    expect((await analyst.get(`/api/mentions/${a.mentions[0]!.id}`)).body.sentiment).toBe('negative');
    expect(
      (await analyst.post(`/api/mentions/${a.mentions[0]!.id}/labels`, { task: 'sentiment', label: 'furious' })).status,
    ).toBe(400);
    const actions = (await listAudit(t.db, { entityType: 'issue', entityId: String(a.issue.id) })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['issue.confirm', 'issue.level', 'issue.assign', 'issue.merge', 'issue.split']),
    );
    // Overdue once the clock passes the deadline.
    clock.advance(25 * 3600_000);
    // Sessions end after 8 idle hours.
    expect((await analyst.get('/api/auth/me')).status).toBe(401);
    await loginAll();
    const overdue = await analyst.get('/api/issues?overdue=true');
    expect(overdue.body.items.map((i: { id: number }) => i.id)).toContain(a.issue.id);
    expect((await analyst.get(`/api/issues/${a.issue.id}`)).body.overdue).toBe(true);
  });
});

describe('response workflow', () => {
  it('draft → submit → return → revise → approve → publish, with versions, diff, material and audit', async () => {
    const { issue } = await seedIssue(t.db, {
      title: '养老金调整',
      level: 'general',
      mentions: [{ title: '养老金何时调整', body: '关注' }],
    });
    const created = await spokesperson.post('/api/responses', {
      issueId: issue.id,
      body: '我局正在研究养老金调整方案。',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(new Date(created.body.deadlineAt).getTime()).toBe(clock.now().getTime() + 72 * 3600_000);
    expect((await analyst.get(`/api/issues/${issue.id}`)).body.status).toBe('responding');
    expect((await leader.post(`/api/responses/${id}/approve`)).status).toBe(409); // not submitted yet
    expect((await spokesperson.post(`/api/responses/${id}/submit`)).body.status).toBe('submitted');
    expect((await spokesperson.post(`/api/responses/${id}/versions`, { body: 'x' })).status).toBe(409); // frozen while in review
    expect((await leader.post(`/api/responses/${id}/return`, {})).status).toBe(400); // a comment is required
    expect((await leader.post(`/api/responses/${id}/return`, { comment: '请写明调整时间' })).body.status).toBe(
      'returned',
    );
    const revised = await spokesperson.post(`/api/responses/${id}/versions`, {
      body: '我局将于明年一月起调整养老金。',
    });
    expect(revised.body).toMatchObject({ currentVersion: 2, status: 'draft' });
    const diff = await leader.get(`/api/responses/${id}/diff?from=1&to=2`);
    expect(
      diff.body.segments.some((s: { op: string; text: string }) => s.op === 'insert' && s.text.includes('明年一月')),
    ).toBe(true);
    expect(
      diff.body.segments.map((s: { op: string; text: string }) => (s.op === 'delete' ? '' : s.text)).join(''),
    ).toBe('我局将于明年一月起调整养老金。');

    const form = new FormData();
    form.append('title', '政策原文');
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), '养老金政策.pdf');
    const upload = await spokesperson.request('POST', `/api/responses/${id}/files`, form);
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({
      kind: 'file',
      mimeType: 'application/pdf',
      fileName: '养老金政策.pdf',
      sizeBytes: PDF.length,
    });
    expect(upload.body.storagePath).toBeUndefined();
    const qa = await spokesperson.post(`/api/responses/${id}/materials`, {
      kind: 'qa',
      title: '到账时间',
      question: '什么时候到账？',
      answer: '一月底前。',
    });
    expect(qa.status).toBe(201);
    expect(
      (
        await spokesperson.post(`/api/responses/${id}/materials`, {
          kind: 'explainer',
          title: '通俗解读',
          text: '简单说，一月起每月多发。',
        })
      ).status,
    ).toBe(201);

    expect((await spokesperson.post(`/api/responses/${id}/submit`)).body.status).toBe('submitted');
    expect((await leader.post(`/api/responses/${id}/approve`, { comment: '同意' })).body.status).toBe('approved');
    const published = await spokesperson.post(`/api/responses/${id}/publish`, {
      channel: '官网',
      url: 'https://hrss.example.gov.cn/notice/1',
    });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ channel: '官网', url: 'https://hrss.example.gov.cn/notice/1' });
    expect((await analyst.get(`/api/issues/${issue.id}`)).body.status).toBe('resolved');
    const detail = (await analyst.get(`/api/responses/${id}`)).body;
    expect(detail.status).toBe('published');
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(detail.approvals.map((a: { decision: string; version: number }) => [a.decision, a.version])).toEqual([
      ['returned', 1],
      ['approved', 2],
    ]);
    expect(detail.materials.map((m: { kind: string }) => m.kind)).toEqual(['file', 'qa', 'explainer']);
    expect(detail.overdue).toBe(false);

    const file = await fetch(`${t.url}/api/materials/${upload.body.id}/file`, { headers: { Cookie: analyst.cookie } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"]*\.pdf"; filename\*=UTF-8''%E5%85%BB/,
    );
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);

    const actions = (await listAudit(t.db, { entityType: 'response', entityId: String(id) }))
      .map((e) => e.action)
      .reverse();
    expect(actions).toEqual([
      'response.create',
      'response.submit',
      'response.return',
      'response.revise',
      'material.add',
      'material.add',
      'material.add',
      'response.submit',
      'response.approve',
      'response.publish',
    ]);
  });

  it('checks uploaded files by content and size', async () => {
    const { issue } = await seedIssue(t.db, { title: '失业保险金', mentions: [{ title: '失业金申领', body: '流程' }] });
    const id = (await spokesperson.post('/api/responses', { issueId: issue.id, body: '口径' })).body.id as number;
    const upload = (bytes: Buffer, name: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), name);
      return spokesperson.request('POST', `/api/responses/${id}/files`, form);
    };
    const png = await upload(PNG, 'chart.png');
    expect(png.status).toBe(201);
    expect(png.body.mimeType).toBe('image/png');
    const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'policy.pdf');
    expect(html.status).toBe(415);
    expect(html.body.error.code).toBe('FILE_TYPE_REFUSED');
    const zip = await upload(Buffer.from('504b0304140000000800', 'hex'), 'fake.docx');
    expect(zip.status).toBe(415);
    const big = await upload(Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), 'big.pdf');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('LIMIT_FILE_SIZE');
  });
});

describe('sources, schemes, users, audit, overview', () => {
  it('adds a source, test-runs it (queued crawl job), disables it', async () => {
    const created = await analyst.post('/api/sources', {
      name: '市人社局官网',
      kind: 'html',
      url: 'http://127.0.0.1:3100/news/',
      config: { list: { itemLinks: 'ul.news-list a' } },
    });
    expect(created.status).toBe(201);
    const run = await analyst.post(`/api/sources/${created.body.id}/test-run`);
    expect(run.status).toBe(202);
    const job = await t.queues.queue('crawl').getJob(run.body.jobId);
    expect(job?.name).toBe('crawl-source');
    expect(job?.data).toEqual({ sourceId: created.body.id, trigger: 'test' });
    expect((await analyst.request('PATCH', `/api/sources/${created.body.id}`, { enabled: false })).body.enabled).toBe(
      false,
    );
    const detail = await analyst.get(`/api/sources/${created.body.id}`);
    expect(detail.body).toMatchObject({ source: { name: '市人社局官网' }, runs: [], preview: [] });
    expect((await analyst.post('/api/sources', { name: 'x', kind: 'rss', url: 'javascript:alert(1)' })).status).toBe(
      400,
    );
    const actions = (await listAudit(t.db, { entityType: 'source', entityId: String(created.body.id) })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(['source.disable', 'source.test-run', 'source.create']);
  });

  it('manages users: generated password shown once and usable, role change ends sessions', async () => {
    const created = await admin.post('/api/users', { username: 'newbie', displayName: '新人', role: 'analyst' });
    expect(created.status).toBe(201);
    expect(created.body.generatedPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    const newbie = await ApiClient.login(t.url, { username: 'newbie', password: created.body.generatedPassword });
    expect((await newbie.get('/api/auth/me')).body.user.role).toBe('analyst');
    await admin.request('PATCH', `/api/users/${created.body.user.id}`, { role: 'leader' });
    expect((await newbie.get('/api/auth/me')).status).toBe(401);
    expect((await admin.request('PATCH', `/api/users/${t.users.admin.id}`, { active: false })).status).toBe(409);
    const list = await analyst.get('/api/users');
    expect(list.body.items.every((u: Record<string, unknown>) => !('passwordHash' in u))).toBe(true);
  });

  it('shows the audit log newest first to leaders, paged by id', async () => {
    const page = await leader.get('/api/audit?limit=5');
    expect(page.body.items).toHaveLength(5);
    const ids = page.body.items.map((a: { id: number }) => a.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => y - x));
    const next = await leader.get(`/api/audit?limit=5&beforeId=${page.body.nextBeforeId}`);
    expect(next.body.items[0].id).toBeLessThan(ids[4]);
  });

  it('computes the overview: volume by category, levels, hot issues, words, source health', async () => {
    const o = (await analyst.get('/api/overview?days=30')).body;
    expect(o.volume.length).toBeGreaterThan(0);
    expect(o.volume[0]).toEqual({
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      category: expect.any(String),
      total: expect.any(Number),
      negative: expect.any(Number),
    });
    expect(o.levels.length).toBeGreaterThan(0);
    expect(o.hotIssues.length).toBeGreaterThan(0);
    expect(o.words.length).toBeGreaterThan(0);
    expect(o.sources.some((s: { name: string }) => s.name === '市人社局官网')).toBe(true);
  });
});
