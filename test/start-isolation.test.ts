import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadNiceness } from '@yuqing/core';
import { hasSharedPages, readShared } from '@yuqing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from './helpers/net.ts';
import { spawnYq } from './helpers/yq.ts';

// Issue #20 item 4: one source allowed its maximum page size (50 MB) must not stall the dashboard or the embedded
// database. The page is a real saved article (../shared/fixtures/pages/shanxi_gov_article.html, a public
// provincial government page; the repository's own fixture without ../shared) with its paragraphs repeated until
// the body is 50 MB.
const PAGE_BYTES = 50 * 1024 * 1024;
const POLL_INTERVAL_MS = 100;
/** "Answered throughout": generous on a shared 2-core machine; the measured worst is logged. */
const POLL_TIMEOUT_MS = 5_000;

/**
 * The page repeated to 50 MB: the real saved article when ../shared is beside the repository, else the repository's
 * own small article fixture (test/fixtures/crawl/encodings/utf8-plain.html), so the isolation is tested on a fresh
 * clone too.
 */
function bigArticle(): Buffer {
  const page = hasSharedPages()
    ? readShared('shanxi_gov_article.html').toString('utf8')
    : readFileSync(fileURLToPath(new URL('./fixtures/crawl/encodings/utf8-plain.html', import.meta.url)), 'utf8');
  const paragraphs = page.match(/<p[\s>][\s\S]*?<\/p>/gi)?.join('\n') ?? '';
  const cut = page.search(/<\/body>/i);
  const head = page.slice(0, cut < 0 ? page.length : cut);
  const tail = cut < 0 ? '' : page.slice(cut);
  const fill = Buffer.from(`<div class="repeat">${paragraphs}</div>\n`, 'utf8');
  const room = PAGE_BYTES - Buffer.byteLength(head) - Buffer.byteLength(tail) - 1024;
  const copies = Math.floor(room / fill.length);
  return Buffer.concat([Buffer.from(head), ...Array.from({ length: copies }, () => fill), Buffer.from(tail)]);
}

/** Process ids of a process's children, from /proc. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Resident set of one process from /proc (MB), 0 when it is gone. */
function processRssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A worker child's recycle limit, read from its command line (`--recycle-rss-mb N`), if it has one. */
function recycleLimitMb(pid: number): number | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = args.indexOf('--recycle-rss-mb');
    return at < 0 ? undefined : Number(args[at + 1]);
  } catch {
    return undefined;
  }
}

/** The queues a worker child serves, from its command line (`--queues a,b`). */
function childQueues(pid: number): string[] {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = args.indexOf('--queues');
    return at < 0 ? [] : (args[at + 1] ?? '').split(',');
  } catch {
    return [];
  }
}

/** Resident set of a process and its children, from /proc (MB), with each child's own figure and recycle limit. */
function rssMb(pid: number): {
  own: number;
  children: number;
  perChild: { pid: number; rss: number; limit?: number }[];
} {
  const perChild = childPids(pid).map((child) => {
    const limit = recycleLimitMb(child);
    return { pid: child, rss: Math.round(processRssMb(child)), ...(limit === undefined ? {} : { limit }) };
  });
  return { own: Math.round(processRssMb(pid)), children: perChild.reduce((sum, c) => sum + c.rss, 0), perChild };
}

let dataDir: string;
let site: Server | undefined;
let system: ReturnType<typeof spawnYq> | undefined;

afterAll(async () => {
  if (system && system.exitCode === null) system.kill('SIGKILL');
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('yq start with a 50 MB page (embedded database)', () => {
  let body: Buffer;
  let sitePort: number;
  beforeAll(async () => {
    body = bigArticle();
    site = createServer((req, res) => {
      if (req.url === '/robots.txt') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      res.end(body);
    });
    sitePort = await new Promise<number>((resolve) =>
      site!.listen(0, '127.0.0.1', () => resolve((site!.address() as { port: number }).port)),
    );
  });

  it('keeps /api/health answering while the page is crawled, and memory comes back', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yq-isolation-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      YQ_DATA_DIR: dataDir,
      PORT: String(port),
      YQ_QUEUE_PREFIX: `yqtest-${randomUUID()}`,
      YQ_ADMIN_PASSWORD: 'isolation-admin-pass-2026',
      REDIS_URL: 'redis://127.0.0.1:6379',
      YQ_ALLOWED_PRIVATE_HOSTS: `127.0.0.1:${sitePort}`,
      LOG_LEVEL: 'warn',
    };
    system = spawnYq(['start'], env);
    await waitFor(
      'the dashboard to answer /api/health',
      async () => {
        if (system!.exitCode !== null) throw new Error(`yq start exited early:\n${system!.output()}`);
        const res = await fetch(`${base}/api/health`).catch(() => undefined);
        return res?.status === 200;
      },
      240_000,
    );
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: env.YQ_ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };

    // Settle (the worker children load and connect), then take the baseline.
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const baseline = rssMb(system.pid!);

    const created = await fetch(`${base}/api/sources`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: '大页面',
        kind: 'article',
        url: `http://127.0.0.1:${sitePort}/article.html`,
        schedule: '0 0 1 1 *',
        respectRobots: false,
        config: { limits: { maxBytes: PAGE_BYTES, timeoutMs: 120_000 } },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const source = (await created.json()) as { id: number };
    const queued = await fetch(`${base}/api/sources/${source.id}/test-run`, { method: 'POST', headers });
    expect(queued.status).toBe(202);

    // Health is polled on its own loop (a stalled answer is measured to its end, up to a minute), the run's
    // state on another.
    const latencies: number[] = [];
    const slow: { atS: number; ms: number; dbMs?: number }[] = [];
    const crawlStarted = performance.now();
    const unanswered: string[] = [];
    let peak = baseline;
    let finished: { status: string } | undefined;
    const poller = (async () => {
      while (!finished) {
        const started = performance.now();
        const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(60_000) }).catch(
          (error: unknown) => error as Error,
        );
        const ms = performance.now() - started;
        latencies.push(ms);
        if (ms > 200) {
          // How much of a slow answer the database query took (it waits behind the workers' queries in PGlite).
          const health =
            res instanceof Response
              ? ((await res.json().catch(() => ({}))) as { database?: { latencyMs?: number } })
              : {};
          slow.push({
            atS: Math.round((started - crawlStarted) / 100) / 10,
            ms: Math.round(ms),
            ...(health.database?.latencyMs === undefined ? {} : { dbMs: health.database.latencyMs }),
          });
        }
        if (!(res instanceof Response) || res.status !== 200)
          unanswered.push(res instanceof Response ? `HTTP ${res.status}` : String(res));
        const now = rssMb(system!.pid!);
        if (now.own + now.children > peak.own + peak.children) peak = now;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_INTERVAL_MS - ms)));
      }
    })();
    const deadline = Date.now() + 300_000;
    while (!finished && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const detail = await fetch(`${base}/api/sources/${source.id}`, { headers: { cookie } }).catch(() => undefined);
      if (!detail) continue;
      const { runs } = (await detail.json()) as { runs: { status: string }[] };
      finished = runs.find((r) => r.status !== 'running' && r.status !== 'queued');
    }
    finished ??= { status: 'timed out' };
    const crawlS = Math.round((performance.now() - crawlStarted) / 1000);
    await poller;
    expect(finished.status, 'the crawl run ended').not.toBe('timed out');

    // Priorities: the crawl child (parsing) runs low; the pipeline child's main thread holds the clustering
    // transaction on the embedded database's single session and runs at normal priority (a starved holder makes
    // every other client, health included, wait), while its classification threads run low.
    const children = childPids(system.pid!);
    const crawlChild = children.find((pid) => childQueues(pid).includes('crawl'));
    const pipelineChild = children.find((pid) => childQueues(pid).includes('analyse'));
    expect(crawlChild, 'a crawl worker child').toBeDefined();
    expect(pipelineChild, 'a pipeline worker child').toBeDefined();
    expect(threadNiceness(crawlChild!).get(crawlChild!)).toBe(10);
    expect(threadNiceness(pipelineChild!).get(pipelineChild!), 'the pipeline main thread').toBe(0);
    // The threads start once their bundle is built, which takes a while on a loaded machine.
    const lowThreads = await waitFor(
      'the pipeline child to run its classification threads at low priority',
      async () => {
        const count = [...threadNiceness(pipelineChild!).values()].filter((n) => n === 10).length;
        return count > 0 ? count : undefined;
      },
      120_000,
      500,
    );
    expect(lowThreads).toBeGreaterThanOrEqual(1);

    // Memory after the crawl: give the runtime a moment to return what it no longer uses.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const after = rssMb(system.pid!);
    const sorted = [...latencies].sort((a, b) => a - b);
    const figures = {
      polls: latencies.length,
      worstMs: Math.round(sorted.at(-1)!),
      p99Ms: Math.round(sorted[Math.floor(sorted.length * 0.99)]!),
      medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
      over200Ms: latencies.filter((l) => l > 200).length,
      unanswered: unanswered.length,
      over5s: latencies.filter((l) => l >= POLL_TIMEOUT_MS).length,
      run: finished.status,
      crawlS,
      slowest: [...slow].sort((a, b) => b.ms - a.ms).slice(0, 8),
      rssMb: { baseline, peak, after },
    };
    console.log(`start-isolation figures: ${JSON.stringify(figures)}`);
    expect(unanswered, 'every health poll answered 200 within 5 s').toEqual([]);
    expect(latencies.every((l) => l < POLL_TIMEOUT_MS)).toBe(true);
    // The dashboard's process never held the page. Each worker child is back under its own recycle limit (a child
    // that passed it finished its job and was replaced; without the recycle the crawl child keeps well over a
    // gigabyte). The slack covers a job still in hand, which a recycle waits for. The limits come from the children's
    // command lines, so the bound follows `yq start`'s settings instead of a fixed total (the pipeline child alone
    // may legitimately hold up to its 1,200 MB limit).
    expect(after.own).toBeLessThan(baseline.own + 200);
    expect(after.perChild.length).toBeGreaterThanOrEqual(2);
    for (const child of after.perChild) {
      expect(child.limit, `worker ${child.pid} has a recycle limit`).toBeDefined();
      expect(child.rss, `worker ${child.pid} after the crawl`).toBeLessThan(child.limit! + 150);
    }

    // A worker child that dies is started again by the supervisor (here: killed outright, as the OOM killer would).
    const before = childPids(system.pid!);
    expect(before.length).toBeGreaterThanOrEqual(2);
    process.kill(before[0]!, 'SIGKILL');
    const replaced = await waitFor(
      'the supervisor to restart the killed worker process',
      async () => {
        const now = childPids(system!.pid!);
        return !now.includes(before[0]!) && now.length >= before.length ? now : undefined;
      },
      60_000,
      500,
    );
    expect(replaced).not.toContain(before[0]);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);

    system.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => system!.once('exit', (c) => resolve(c)));
    expect(code, system.output().slice(-4000)).toBe(0);
  }, 600_000);
});
