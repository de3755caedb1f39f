import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createSource, saveAnalyses } from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { createIngestCoalescer, ingestGroup } from './ingest.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

let database: TestDatabase;
let connection: ReturnType<typeof createRedisConnection>;
let queues: JobQueues;

beforeAll(async () => {
  database = await createTestDatabase();
  connection = createRedisConnection(REDIS_URL);
  queues = new JobQueues({ connection, prefix: `yqtest-ingest-${randomUUID()}` });
});

afterAll(async () => {
  for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => {});
  await queues.close();
  connection.disconnect();
  await database.drop();
});

const item = (n: number, extra: Record<string, unknown> = {}) => ({
  url: `http://news.example.cn/g/${n}.html`,
  title: `云溪区养老金发放问题${n}`,
  body: `网友反映第${n}条：养老金迟迟未到账。`,
  ...extra,
});

describe('grouped ingest', () => {
  it('stores several jobs in one insert, counts each mention for the first job offering it, and announces all new ids in one analysis job', async () => {
    const source = await createSource(database.db, {
      name: '云溪论坛',
      kind: 'rss',
      url: 'http://news.example.cn/feed.xml',
      region: '云溪区',
    });
    const results = await ingestGroup(
      database.db,
      [
        { items: [item(1), item(2)], sourceId: source.id },
        { items: [item(2), item(3), { url: 'not a url', title: '', body: '' }] },
      ],
      { queues },
    );
    expect(results[0]).toMatchObject({ received: 2, stored: 2, duplicates: 0, invalid: 0 });
    expect(results[1]).toMatchObject({ received: 3, stored: 1, duplicates: 1, invalid: 1 });
    const rows = await sqlRows<{ id: number; url: string; sourceId: number | null; region: string | null }>(
      database,
      'SELECT id, url, "sourceId", region FROM "Mention" ORDER BY id',
    );
    expect(rows.map((r) => [r.url.replace('http://news.example.cn', ''), r.sourceId, r.region])).toEqual([
      ['/g/1.html', source.id, '云溪区'],
      ['/g/2.html', source.id, '云溪区'],
      ['/g/3.html', null, null],
    ]);
    expect([...results[0]!.mentionIds, ...results[1]!.mentionIds]).toEqual(rows.map((r) => r.id));
    const jobs = await queues.queue('analyse').getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((j) => j.data)).toEqual([{ mentionIds: rows.map((r) => r.id) }]);
  });

  it('keeps mentions of a source deleted meanwhile, unattached, and re-announces unanalysed ones on retry only', async () => {
    const results = await ingestGroup(database.db, [{ items: [item(4)], sourceId: 999_999 }]);
    expect(results[0]!.stored).toBe(1);
    const [stored] = await sqlRows<{ id: number; sourceId: number | null }>(
      database,
      'SELECT id, "sourceId" FROM "Mention" WHERE url = $1',
      ['http://news.example.cn/g/4.html'],
    );
    expect(stored!.sourceId).toBeNull();
    await saveAnalyses(database.db, [
      {
        mentionId: stored!.id,
        modelVersion: 't',
        relevance: 0.9,
        relevant: true,
        category: null,
        categoryScore: null,
        subcategory: null,
        sentiment: 'neutral',
        sentimentScore: 0.1,
        explanation: {},
        searchTokens: '',
      },
    ]);
    const [plain, retried] = await ingestGroup(database.db, [
      { items: [item(4), item(5)] },
      { items: [item(4), item(5)], retry: true },
    ]);
    const [five] = await sqlRows<{ id: number }>(database, 'SELECT id FROM "Mention" WHERE url = $1', [
      'http://news.example.cn/g/5.html',
    ]);
    expect(plain).toMatchObject({ stored: 1, duplicates: 1, mentionIds: [five!.id] });
    // The retried job re-announces mention 5 (stored, not analysed) but not mention 4 (analysed already).
    expect(retried).toMatchObject({ stored: 0, duplicates: 2, mentionIds: [five!.id] });
  });

  it('through the coalescer, jobs submitted together resolve with their own results', async () => {
    const ingest = createIngestCoalescer(database.db, { queues });
    const [a, b, c] = await Promise.all([
      ingest.submit({ items: [item(10)] }),
      ingest.submit({ items: [item(11), item(12)] }),
      ingest.submit({ items: [item(10)] }),
    ]);
    expect([a.stored, b.stored, c.stored]).toEqual([1, 2, 0]);
    expect(c.duplicates).toBe(1);
  });
});
