// `pnpm bench pipeline [--mentions 3000] [--workers 1,2] [--runs 2] [--mode ingest,crawl] [--threads default,0,1]`: mentions/s through
// Yuqing's pipeline with N `yq worker` processes on a throwaway PostgreSQL database and Redis prefix.
//   mode ingest — batches of 25 raw mentions (what a crawler emits) pushed onto the ingest queue; measures
//                 store + analyse + cluster, the "2,000 mentions/s in one worker process" figure;
//   mode crawl  — end to end: a local fixture site serves the mentions as a paginated JSON API (a message board),
//                 one crawl job fetches it, and the clock stops when every mention is analysed and clustered.
// Workers are warmed up first (jieba and the models load on a worker's first analyse job: start-up, not throughput).
// Prints one JSON line per run and a summary; timing is printed, never asserted.
import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { RawMention } from '@yuqing/domain';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Mentions per ingest job, as the crawl engine emits them. */
const INGEST_BATCH = 25;
/** Items per page of the fixture JSON API. */
const API_PAGE_SIZE = 100;
const RUN_TIMEOUT_MS = 300_000;
const POLL_MS = 200;

/** Figures of one pipeline run. */
export interface PipelineRun {
  mode: 'ingest' | 'crawl';
  /** Classification threads per worker (undefined: the default). */
  threads?: number;
  workers: number;
  mentions: number;
  seconds: number;
  rate: number;
  peakRssMb: number[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Peak RSS (VmHWM) of a process and its children, in MB. */
export function processTreePeakMb(pid: number): number {
  const peaks: number[] = [];
  const visit = (p: number) => {
    try {
      peaks.push(Number(/VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024);
      for (const t of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
        visit(Number(t));
    } catch {
      // gone
    }
  };
  visit(pid);
  return Math.max(0, ...peaks);
}

/** A paginated JSON API over `items` (`/api/messages?page=N`, 1-based), like a government message board. */
async function startApiSite(items: readonly RawMention[]): Promise<{ url: string; server: Server }> {
  const pages = Math.ceil(items.length / API_PAGE_SIZE);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
      return;
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    const slice = items.slice((page - 1) * API_PAGE_SIZE, page * API_PAGE_SIZE);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        data: {
          totalPages: pages,
          list: slice.map((m) => ({
            link: m.url,
            subject: m.title,
            content: m.body,
            user: m.author,
            time: m.publishedAt,
            likes: m.likes,
            comments: m.comments,
          })),
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/**
 * One run: `workerCount` `yq worker` processes serving crawl, ingest and analyse; `count` mentions through the
 * chosen entry. Returns mentions/s from the first enqueue to the last analysis committed.
 */
export async function pipelineRun(
  workerCount: number,
  count: number,
  mode: 'ingest' | 'crawl' = 'ingest',
  threads?: number,
): Promise<PipelineRun> {
  const { createSource } = await import('@yuqing/db');
  const { createTestDatabase, countRows } = await import('@yuqing/testkit');
  const { createRedisConnection, JobQueues } = await import('@yuqing/queue');
  const { generateMentions, batches, startWorker } = await import('../fixtures/hostile/fault-kit.ts');
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'yq-bench-'));
  const prefix = `yqbench-${randomUUID()}`;
  const connection = createRedisConnection(REDIS_URL);
  const queues = new JobQueues({ connection, prefix });
  const workers: Array<{
    child: ChildProcess;
    pid: number;
    output(): string;
    stop(): Promise<number | null>;
    killHard(): Promise<void>;
  }> = [];
  const items = generateMentions(count, `bench${workerCount}${mode}`);
  const site = mode === 'crawl' ? await startApiSite(items) : undefined;
  // The clock stops at the poll that sees every analysis: a cheap count every 200 ms (±0.1 s on a run of several
  // seconds) rather than a DISTINCT scan every 50 ms, which took CPU from the pipeline it measures. Duplicate
  // analyses cannot inflate it: the fault tests check there are none.
  const analysed = async () => countRows(database, 'Analysis');
  try {
    const host = site ? new URL(site.url).host : undefined;
    const env = {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      prefix,
      dataDir,
      ...(host ? { allowedPrivateHosts: [host] } : {}),
      ...(threads !== undefined || process.env.YQ_BENCH_WORKER_LOG
        ? {
            extra: {
              ...(threads !== undefined ? { YQ_ANALYSIS_THREADS: String(threads) } : {}),
              ...(process.env.YQ_BENCH_WORKER_LOG ? { LOG_LEVEL: process.env.YQ_BENCH_WORKER_LOG } : {}),
            },
          }
        : {}),
    };
    for (let i = 0; i < workerCount; i++) workers.push(await startWorker(['crawl', 'ingest', 'analyse'], env));
    const warm = generateMentions(INGEST_BATCH * workerCount * 4, `warm${workerCount}${mode}`);
    for (const [i, batch] of batches(warm, INGEST_BATCH).entries())
      await queues.add('ingest-mentions', { items: batch }, { jobId: `w-${i}` });
    while ((await analysed()) < warm.length) await new Promise((r) => setTimeout(r, POLL_MS));

    const t0 = performance.now();
    if (site) {
      const source = await createSource(database.db, {
        name: 'bench board',
        kind: 'json',
        url: `${site.url}/api/messages`,
        schedule: '0 0 1 1 *',
        respectRobots: true,
        config: {
          itemsPath: 'data.list',
          fields: {
            url: 'link',
            title: 'subject',
            body: 'content',
            author: 'user',
            publishedAt: 'time',
            likes: 'likes',
            comments: 'comments',
          },
          pagination: { type: 'page', param: 'page', start: 1, maxPages: 200, totalPagesPath: 'data.totalPages' },
          limits: { requestsPerSecond: 1000, concurrency: 8 },
        },
      });
      await queues.add('crawl-source', { sourceId: source.id, trigger: 'manual' });
    } else {
      for (const [i, batch] of batches(items, INGEST_BATCH).entries())
        await queues.add('ingest-mentions', { items: batch }, { jobId: `b-${i}` });
    }
    for (;;) {
      const n = await analysed();
      if (n >= count + warm.length) break;
      if (performance.now() - t0 > RUN_TIMEOUT_MS)
        throw new Error(`pipeline: only ${n - warm.length}/${count} analysed after ${RUN_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      mode,
      ...(threads !== undefined ? { threads } : {}),
      workers: workerCount,
      mentions: count,
      seconds,
      rate: count / seconds,
      peakRssMb: workers.map((w) => processTreePeakMb(w.pid)),
    };
  } finally {
    for (const w of workers) await w.stop().catch(() => w.killHard());
    // YQ_BENCH_WORKER_LOG=debug keeps the workers' logs (group sizes and times) for a look afterwards.
    if (process.env.YQ_BENCH_WORKER_LOG)
      workers.forEach((w, i) => writeFileSync(join(tmpdir(), `yq-bench-worker-${i}.log`), w.output()));
    for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => {});
    await queues.close();
    connection.disconnect();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    site?.server.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mentions: { type: 'string', default: '3000' },
      workers: { type: 'string', default: '1,2' },
      runs: { type: 'string', default: '2' },
      mode: { type: 'string', default: 'ingest' },
      threads: { type: 'string', default: 'default' },
    },
  });
  const count = Number(values.mentions);
  const summary: string[] = [];
  for (const mode of values.mode.split(',') as Array<'ingest' | 'crawl'>) {
    for (const threadSetting of values.threads.split(',')) {
      const threads = threadSetting === 'default' ? undefined : Number(threadSetting);
      for (const n of values.workers.split(',').map(Number)) {
        const runs: PipelineRun[] = [];
        for (let i = 0; i < Number(values.runs); i++) {
          const run = await pipelineRun(n, count, mode, threads);
          process.stdout.write(`${JSON.stringify(run)}\n`);
          runs.push(run);
        }
        const what =
          mode === 'ingest' ? 'store + analyse + cluster' : 'fixture site → crawl → store → analyse → cluster';
        const threadNote =
          threads === undefined ? '' : `, ${threads} classification thread${threads === 1 ? '' : 's'} each`;
        summary.push(
          `${what}, ${n} worker process${n > 1 ? 'es' : ''}${threadNote}: ${median(runs.map((r) => r.rate)).toFixed(0)} mentions/s (median of ${runs.length}; peak RSS ${Math.max(...runs.flatMap((r) => r.peakRssMb)).toFixed(0)} MB per worker)`,
        );
      }
    }
  }
  process.stdout.write(`${summary.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
  process.exit(0);
}
