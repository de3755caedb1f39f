// The /api/reports routes on the real PostgreSQL and Redis, in the dashboard app with its login and role checks.
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
import { createUser } from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { ApiClient, createTestDatabase, digestFixtures, type TestDatabase } from '@yuqing/testkit';
import { createDashboardApp } from '../app.ts';

const PASSWORD = 'report-api-test-password';
const at = (local: string) => new Date(`${local}+08:00`);

describe('report API', () => {
  let testDb: TestDatabase;
  let server: Server;
  let dataDir: string;
  let connection: ReturnType<typeof createRedisConnection>;
  let queues: JobQueues;
  let issueId = 0;
  const clients: Record<string, ApiClient> = {};

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { db } = testDb;
    const passwordHash = await hashPassword(PASSWORD);
    for (const role of ['analyst', 'leader', 'admin', 'spokesperson'] as const)
      await createUser(db, { username: role, displayName: `${role}用户`, email: null, passwordHash, role });
    const issue = await digestFixtures.issue(db, {
      title: '社保卡补办排长队',
      category: '社会保险',
      level: 'general',
      mentionCount: 1,
      firstSeenAt: at('2026-11-24T08:00:00'),
      flaggedAt: at('2026-11-24T09:00:00'),
    });
    issueId = issue.id;
    await digestFixtures.flag(db, {
      issueId,
      level: 'general',
      reason: 'flagged',
      createdAt: at('2026-11-24T09:00:00'),
    });
    await digestFixtures.mention(db, {
      title: '补办社保卡要排三小时',
      publishedAt: at('2026-11-24T08:00:00'),
      relevant: true,
      category: '社会保险',
      sentiment: 'negative',
      issueId,
      author: '市民丙',
      likes: 12,
    });
    connection = createRedisConnection('redis://127.0.0.1:6379');
    queues = new JobQueues({ connection, prefix: `yqtest-${randomUUID()}` });
    dataDir = await mkdtemp(join(tmpdir(), 'yq-report-api-'));
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
      clock: new ManualClock(at('2026-12-02T09:00:00')),
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const role of ['analyst', 'leader', 'admin', 'spokesperson'])
      clients[role] = await ApiClient.login(url, { username: role, password: PASSWORD });
  }, 120_000);

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

  const download = (role: string, path: string) =>
    fetch(`${clients[role]!.baseUrl}/api${path}`, { headers: { cookie: clients[role]!.cookie } });

  async function documentText(res: Response): Promise<string> {
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const xml = await zip.file('word/document.xml')!.async('string');
    return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  }

  it('serves the last complete week as .docx to analysts, leaders and admins, not to spokespersons', async () => {
    for (const role of ['analyst', 'leader', 'admin']) {
      const res = await download(role, '/reports/periodic.docx?period=week');
      expect(res.status, role).toBe(200);
      expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('舆情周报-2026-W48.docx'));
      const text = await documentText(res);
      expect(text).toContain('2026年第48周');
      expect(text).toContain('社保卡补办排长队');
    }
    expect((await download('spokesperson', '/reports/periodic.docx?period=week')).status).toBe(403);
  });

  it('refuses malformed and future periods with INVALID_PERIOD', async () => {
    for (const query of ['period=week&key=2026-W60', 'period=month&key=2027-01', 'period=decade']) {
      const res = await clients.analyst!.get(`/api/reports/periodic.docx?${query}`);
      expect(res.status, query).toBe(400);
      if (!query.includes('decade')) expect(res.body.error.code).toBe('INVALID_PERIOD');
    }
  });

  it('previews the month e-mail with the charts inline as data: URIs', async () => {
    const res = await clients.leader!.get('/api/reports/periodic/preview?period=month&key=2026-11');
    expect(res.status).toBe(200);
    expect(res.body).toContain('舆情月报');
    expect(res.body.match(/src="data:image\/png;base64,/g)).toHaveLength(3);
    expect(res.body).not.toContain('cid:');
  });

  it('serves the 专报 of an issue, 404 for an unknown one, and lists the routes in OpenAPI', async () => {
    const res = await download('analyst', `/reports/issues/${issueId}/docx`);
    expect(res.status).toBe(200);
    const text = await documentText(res);
    expect(text).toContain('关于“社保卡补办排长队”的舆情专报');
    expect(text).toContain('市民丙');
    expect((await download('analyst', '/reports/issues/999999/docx')).status).toBe(404);
    // Its e-mail as the CLI sends it, previewed with the charts inline.
    const preview = await clients.leader!.get(`/api/reports/issues/${issueId}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('舆情专报');
    expect(preview.body).toContain('社保卡补办排长队');
    expect(preview.body).toMatch(/src="data:image\/png;base64,/);
    expect(preview.body).not.toContain('cid:');
    expect((await clients.leader!.get('/api/reports/issues/999999/preview')).status).toBe(404);
    expect((await download('spokesperson', `/reports/issues/${issueId}/preview`)).status).toBe(403);
    const openapi = await clients.admin!.get('/api/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/reports/periodic.docx',
        '/api/reports/periodic/preview',
        '/api/reports/issues/{id}/docx',
        '/api/reports/issues/{id}/preview',
      ]),
    );
  });
});
