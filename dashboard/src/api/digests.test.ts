// The /api/digests routes on the real PostgreSQL and Redis, in the dashboard app with its login, role and CSRF
// checks, called by logged-in clients.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, loadConfig, ManualClock } from '@yuqing/core';
import { claimSentDigest, createUser, listAudit, markSentDigestFailed, markSentDigestSent } from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { ApiClient, createTestDatabase, digestFixtures, type TestDatabase } from '@yuqing/testkit';
import { createDashboardApp } from '../app.ts';

const PASSWORD = 'digest-api-test-password';
const at = (local: string) => new Date(`${local}+08:00`);

describe('digest API', () => {
  let testDb: TestDatabase;
  let server: Server;
  let dataDir: string;
  const clients = new Map<number, ApiClient>();
  let connection: ReturnType<typeof createRedisConnection>;
  let queues: JobQueues;
  const ledger = { failedId: 0, sentId: 0 };
  const users = { admin: 0, leader: 0, analyst: 0 };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { db } = testDb;
    const passwordHash = await hashPassword(PASSWORD);
    for (const [key, role, email] of [
      ['admin', 'admin', null],
      ['leader', 'leader', 'leader@example.gov.cn'],
      ['analyst', 'analyst', 'analyst@example.gov.cn'],
    ] as const) {
      const user = await createUser(db, { username: key, displayName: `${key}用户`, email, passwordHash, role });
      users[key] = user.id;
    }
    const issue = await digestFixtures.issue(db, {
      title: '某区社保卡补办排长队引发不满',
      category: '社会保险',
      level: 'general',
      hotness: 33,
      mentionCount: 9,
      firstSeenAt: at('2026-11-26T08:00:00'),
      flaggedAt: at('2026-11-26T09:00:00'),
    });
    await digestFixtures.flag(db, {
      issueId: issue.id,
      level: 'general',
      reason: '半日内相关信息9条',
      createdAt: at('2026-11-26T09:00:00'),
    });
    const wage = await digestFixtures.issue(db, {
      title: '建筑工地农民工讨薪视频传播',
      category: '劳动关系',
      level: 'major',
      hotness: 70,
      mentionCount: 20,
      firstSeenAt: at('2026-11-26T10:00:00'),
      flaggedAt: at('2026-11-26T11:00:00'),
    });
    await digestFixtures.flag(db, {
      issueId: wage.id,
      level: 'major',
      reason: '视频转发量激增',
      createdAt: at('2026-11-26T11:00:00'),
    });

    // Ledger: the leader's digest failed, the analyst's went out.
    const failed = await claimSentDigest(db, { userId: users.leader, digestDate: '2026-11-26', staleAfterMs: 60_000 });
    await markSentDigestFailed(db, {
      id: failed.row.id,
      attempt: failed.row.attempts,
      error: '[SMTP_UNAVAILABLE] connect ECONNREFUSED',
    });
    const sent = await claimSentDigest(db, { userId: users.analyst, digestDate: '2026-11-26', staleAfterMs: 60_000 });
    await markSentDigestSent(db, {
      id: sent.row.id,
      attempt: sent.row.attempts,
      messageId: '<x@y>',
      sentAt: new Date(),
    });
    Object.assign(ledger, { failedId: failed.row.id, sentId: sent.row.id });
    connection = createRedisConnection('redis://127.0.0.1:6379');
    queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });

    dataDir = await mkdtemp(join(tmpdir(), 'yq-digest-api-'));
    const config = loadConfig({
      PUBLIC_URL: 'https://yuqing.example.gov.cn',
      TZ: 'Asia/Shanghai',
      YQ_DATA_DIR: dataDir,
    });
    const app = createDashboardApp({
      db,
      dbKind: 'postgresql',
      queues,
      config,
      clock: new ManualClock(at('2026-11-27T09:00:00')),
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const key of ['admin', 'leader', 'analyst'] as const)
      clients.set(users[key], await ApiClient.login(url, { username: key, password: PASSWORD }));
    clients.set(0, new ApiClient(url));
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (queues) {
      await Promise.all(queues.all().map((q) => q.obliterate({ force: true }).catch(() => {})));
      await queues.close();
    }
    connection?.disconnect();
    await testDb?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A raw fetch as `user` (null: nobody logged in), with that user's session cookie and CSRF token. */
  const call = (path: string, user: number | null, init: RequestInit = {}) => {
    const client = clients.get(user ?? 0)!;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (client.cookie) headers.cookie = client.cookie;
    if (client.csrf && init.method && init.method !== 'GET') headers['x-csrf-token'] = client.csrf;
    return fetch(`${client.baseUrl}/api/digests${path}`, {
      ...init,
      headers: { ...headers, ...((init.headers as Record<string, string>) ?? {}) },
    });
  };

  it('refuses requests without a logged-in user in the dashboard error shape', async () => {
    const res = await call('/subscription', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { message: expect.any(String), code: 'UNAUTHENTICATED', status: 401 } });
  });

  it('shows leaders subscribed to everything by default and others not subscribed', async () => {
    const leader = (await (await call('/subscription', users.leader)).json()) as {
      subscription: Record<string, unknown>;
    };
    expect(leader.subscription).toEqual({
      enabled: true,
      sendTime: '08:00',
      categories: [],
      minLevel: 'none',
      attachDocx: true,
      reportKinds: ['week', 'month', 'quarter', 'year'],
      isDefault: true,
    });
    const analyst = (await (await call('/subscription', users.analyst)).json()) as {
      subscription: Record<string, unknown>;
    };
    expect(analyst.subscription).toMatchObject({ enabled: false, isDefault: true });
  });

  it('saves a subscription, keeping unspecified fields, validating input and auditing the change', async () => {
    const saved = await call('/subscription', users.analyst, {
      method: 'PUT',
      body: JSON.stringify({
        enabled: true,
        sendTime: '07:30',
        categories: ['社会保险', '社会保险'],
        minLevel: 'major',
        // Any order, repeats allowed: stored once each, in calendar order.
        reportKinds: ['year', 'quarter', 'year'],
      }),
    });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { subscription: unknown }).subscription).toEqual({
      enabled: true,
      sendTime: '07:30',
      categories: ['社会保险'],
      minLevel: 'major',
      attachDocx: true,
      reportKinds: ['quarter', 'year'],
      isDefault: false,
    });

    const leader = await call('/subscription', users.leader, {
      method: 'PUT',
      body: JSON.stringify({ attachDocx: false }),
    });
    expect(((await leader.json()) as { subscription: unknown }).subscription).toMatchObject({
      enabled: true,
      attachDocx: false,
      // The first save keeps the defaults the leader had: every report.
      reportKinds: ['week', 'month', 'quarter', 'year'],
      isDefault: false,
    });

    for (const body of [
      { sendTime: '25:00' },
      { minLevel: 'huge' },
      { unknownField: 1 },
      { reportKinds: ['day'] },
      { reportKinds: 'quarter' },
    ]) {
      const bad = await call('/subscription', users.analyst, { method: 'PUT', body: JSON.stringify(body) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
    }
    const notJson = await call('/subscription', users.analyst, { method: 'PUT', body: '{"enabled":' });
    expect(notJson.status).toBe(400);
    expect(await (await call('/subscription', users.analyst)).json()).toMatchObject({
      subscription: { sendTime: '07:30', reportKinds: ['quarter', 'year'] },
    });
    const audit = await listAudit(testDb.db, { entityType: 'DigestSubscription' });
    expect(audit.map((a) => a.actorId).sort()).toEqual([users.leader, users.analyst].sort());
    // An empty list is a choice too: the digest without any periodic report.
    const none = await call('/subscription', users.analyst, {
      method: 'PUT',
      body: JSON.stringify({ reportKinds: [] }),
    });
    expect(((await none.json()) as { subscription: unknown }).subscription).toMatchObject({ reportKinds: [] });
  });

  it("lists own sent digests, and every recipient's (with errors) for admins", async () => {
    type Sent = { items: Array<{ userId: number; status: string; lastError: string | null; attempts: number }> };
    const own = (await (await call('/sent', users.leader)).json()) as Sent;
    expect(own.items).toEqual([
      expect.objectContaining({
        userId: users.leader,
        status: 'failed',
        attempts: 1,
        lastError: '[SMTP_UNAVAILABLE] connect ECONNREFUSED',
      }),
    ]);
    const all = (await (await call('/sent', users.admin)).json()) as Sent;
    expect(all.items.map((i) => i.userId).sort()).toEqual([users.leader, users.analyst].sort());
    const failedOnly = (await (await call('/sent?status=failed', users.admin)).json()) as Sent;
    expect(failedOnly.items.map((i) => i.userId)).toEqual([users.leader]);
    expect((await call(`/sent?userId=${users.leader}`, users.analyst)).status).toBe(403);
    expect((await call('/sent?status=bogus', users.admin)).status).toBe(400);
  });

  it('lets an admin re-queue a failed digest, and only a failed one', async () => {
    expect((await call(`/sent/${ledger.failedId}/resend`, users.leader, { method: 'POST' })).status).toBe(403);
    expect((await call(`/sent/${ledger.sentId}/resend`, users.admin, { method: 'POST' })).status).toBe(409);
    expect((await call('/sent/999999/resend', users.admin, { method: 'POST' })).status).toBe(404);
    const res = await call(`/sent/${ledger.failedId}/resend`, users.admin, { method: 'POST' });
    expect(res.status).toBe(202);
    const jobs = await queues.queue('digest').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => [j.name, j.data])).toEqual([['send-digest', { userId: users.leader, date: '2026-11-26' }]]);
    expect((await listAudit(testDb.db, { entityType: 'SentDigest' })).map((a) => a.action)).toEqual(['digest.resend']);
  });

  it('re-queues a failed scheduled 周报 as a send-report job', async () => {
    const db = testDb.db;
    const claim = await claimSentDigest(db, {
      userId: users.analyst,
      digestDate: 'report-week:2026-W48',
      staleAfterMs: 60_000,
    });
    expect(claim.claimed).toBe(true);
    await markSentDigestFailed(db, { id: claim.row.id, attempt: claim.row.attempts, error: '[SMTP_UNAVAILABLE] x' });
    const res = await call(`/sent/${claim.row.id}/resend`, users.admin, { method: 'POST' });
    expect(res.status).toBe(202);
    const jobs = await queues.queue('digest').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.name === 'send-report').map((j) => j.data)).toEqual([
      { userId: users.analyst, kind: 'week', period: '2026-W48' },
    ]);
  });

  it('refuses to re-send what went out or is going out, naming the kind: 日报, 周报, 月报, 季报 or 年报', async () => {
    const db = testDb.db;
    const refusal = async (id: number) => {
      const res = await call(`/sent/${id}/resend`, users.admin, { method: 'POST' });
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('NOT_FAILED');
      return body.error.message;
    };
    expect(await refusal(ledger.sentId)).toBe('该日报已发送，不会重复发送');
    for (const [key, name] of [
      ['report-week:2026-W47', '周报'],
      ['report-month:2026-10', '月报'],
      ['report-quarter:2026-Q3', '季报'],
      ['report-year:2025', '年报'],
    ] as const) {
      const claim = await claimSentDigest(db, { userId: users.leader, digestDate: key, staleAfterMs: 60_000 });
      expect(await refusal(claim.row.id), key).toBe(`该${name}正在发送中`);
      await markSentDigestSent(db, {
        id: claim.row.id,
        attempt: claim.row.attempts,
        messageId: '<r@y>',
        sentAt: new Date(),
      });
      expect(await refusal(claim.row.id), key).toBe(`该${name}已发送，不会重复发送`);
    }
  });

  it('re-queues a failed scheduled 季报 and 年报 as send-report jobs', async () => {
    const db = testDb.db;
    for (const key of ['report-quarter:2026-Q2', 'report-year:2024']) {
      const claim = await claimSentDigest(db, { userId: users.leader, digestDate: key, staleAfterMs: 60_000 });
      await markSentDigestFailed(db, { id: claim.row.id, attempt: claim.row.attempts, error: '[SMTP_UNAVAILABLE] x' });
      expect((await call(`/sent/${claim.row.id}/resend`, users.admin, { method: 'POST' })).status).toBe(202);
    }
    const jobs = await queues.queue('digest').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.name === 'send-report' && j.data.kind !== 'week').map((j) => j.data)).toEqual(
      expect.arrayContaining([
        { userId: users.leader, kind: 'quarter', period: '2026-Q2' },
        { userId: users.leader, kind: 'year', period: '2024' },
      ]),
    );
  });

  it('serves the 舆情日报 .docx of a chosen day with a Chinese file name', async () => {
    const res = await call('/briefing.docx?date=2026-11-26', users.analyst);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(res.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('舆情日报-2026-11-26.docx')}`,
    );
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const text = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    // The downloaded briefing is complete, whatever the reader's own subscription filters.
    expect(text).toContain('某区社保卡补办排长队引发不满');
    expect(text).toContain('建筑工地农民工讨薪视频传播');
    expect(text).toContain('〔2026〕第330期');

    for (const date of ['2026-13-01', 'yesterday', '2026-11-28']) {
      const bad = await call(`/briefing.docx?date=${date}`, users.analyst);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_DATE');
    }
  });

  it("previews the reader's own e-mail as HTML with the chart embedded", async () => {
    const res = await call('/preview?date=2026-11-26', users.analyst);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('src="data:image/png;base64,');
    expect(html).not.toContain('cid:');
    // The analyst subscribed to 社会保险 at 较大 and above: neither issue qualifies.
    expect(html).not.toContain('某区社保卡补办排长队引发不满');
    expect(html).not.toContain('建筑工地农民工讨薪视频传播');
    const leaderHtml = await (await call('/preview', users.leader)).text();
    expect(leaderHtml).toMatch(
      /href="https:\/\/yuqing\.example\.gov\.cn\/issues\/\d+"[^>]*>某区社保卡补办排长队引发不满/,
    );
  });
});
