// `pnpm bench crawl [pages] [--runs N]`: Yuqing's full html crawl (fetch, decode, extract, normalise + dedupe,
// enqueue to Redis) against bare Crawlee CheerioCrawler (fetch + parse + enqueueLinks) on the same generated local
// site. Each run is its own process so peak RSS is its own. The variants alternate (bare first in even pairs,
// Yuqing first in odd ones) so drifting machine load hits both alike; every run is printed, then the medians and
// the ratios: the median of the per-pair time ratios (the target figure), the ratio of the median times, and the
// CPU-time ratio (user + system of the crawling process, which moves less than wall time on a shared machine).
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = 8;
/** Pairs of runs (bare + Yuqing) by default. */
const DEFAULT_RUNS = 5;

interface Figures {
  variant: string;
  pages: number;
  items: number;
  ms: number;
  /** User + system CPU time of the crawling process during the crawl. */
  cpuMs: number;
  peakRssMb: number;
}

function cpuClock(): () => number {
  const start = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(start);
    return (d.user + d.system) / 1000;
  };
}

function trackRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss) / 1024 / 1024;
  };
}

/** The slice of Crawlee's API the bare run uses (typed here: test/ does not depend on crawlee). */
interface BareCrawlee {
  log: { setLevel(level: number): void; LEVELS: { OFF: number } };
  Configuration: new (options: { persistStorage: boolean; maxUsedCpuRatio: number }) => object;
  CheerioCrawler: new (
    options: {
      maxConcurrency: number;
      autoscaledPoolOptions: { desiredConcurrency: number };
      maxRequestRetries: number;
      useSessionPool: boolean;
      statusMessageLoggingInterval: number;
      requestHandler(context: {
        $: (selector: string) => { first(): { text(): string } };
        request: { label?: string };
        enqueueLinks(options: { selector: string; label: string }): Promise<unknown>;
      }): Promise<void>;
    },
    config: object,
  ) => { run(requests: Array<{ url: string; label: string }>): Promise<unknown> };
}

async function runBare(base: string): Promise<Figures> {
  // crawlee is a dependency of @yuqing/crawlers, not of test/: resolve it from there (the same copy Yuqing uses).
  const crawleePath = createRequire(join(here, '../../crawlers/package.json')).resolve('crawlee');
  const { CheerioCrawler, Configuration, log } = (await import(pathToFileURL(crawleePath).href)) as BareCrawlee;
  log.setLevel(log.LEVELS.OFF);
  let pages = 0;
  let items = 0;
  const stop = trackRss();
  const cpu = cpuClock();
  const started = performance.now();
  const crawler = new CheerioCrawler(
    {
      maxConcurrency: CONCURRENCY,
      // Same pool settings as Yuqing's crawlSource: start at full concurrency instead of Crawlee's default 1 (+1 per
      // 10 s while the machine looks idle), and (maxUsedCpuRatio 1, below) ignore the machine-wide CPU signal, which
      // on a shared machine stopped both crawlers at one page at a time. Both crawl 8 pages at a time, so the ratio
      // compares their work per page.
      autoscaledPoolOptions: { desiredConcurrency: CONCURRENCY },
      maxRequestRetries: 0,
      useSessionPool: false,
      statusMessageLoggingInterval: 3600,
      async requestHandler({ $, request, enqueueLinks }) {
        pages++;
        if (request.label === 'detail') {
          if ($('h1').first().text()) items++;
          return;
        }
        await enqueueLinks({ selector: 'ul.news-list a', label: 'detail' });
        await enqueueLinks({ selector: 'a.next', label: 'list' });
      },
    },
    new Configuration({ persistStorage: false, maxUsedCpuRatio: 1 }),
  );
  await crawler.run([{ url: `${base}/list/1.html`, label: 'list' }]);
  const ms = performance.now() - started;
  return { variant: 'bare CheerioCrawler', pages, items, ms, cpuMs: cpu(), peakRssMb: stop() };
}

async function runYuqing(base: string, total: number): Promise<Figures> {
  const { crawlSource, createMemorySink, UrlGuard, HostThrottle } = await import('@yuqing/crawlers');
  const { normaliseMention } = await import('@yuqing/pipeline');
  const { parseSourceDefinition } = await import('@yuqing/domain');
  const { createRedisConnection, JobQueues } = await import('@yuqing/queue');
  const connection = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queues = new JobQueues({ connection, prefix: `yqbench-${randomUUID()}` });
  const hashes = new Set<string>();
  let items = 0;
  const sink = createMemorySink(async (batch) => {
    // What ingest would do first (normalise, hash for dedupe), plus the real enqueue to Redis.
    for (const item of batch) {
      const m = normaliseMention(item);
      if (m && !hashes.has(m.urlHash) && !hashes.has(m.contentHash)) {
        hashes.add(m.urlHash).add(m.contentHash);
        items++;
      }
    }
    await queues.add('ingest-mentions', { items: batch });
  });
  const source = parseSourceDefinition({
    kind: 'html',
    url: `${base}/list/1.html`,
    config: {
      list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: Math.ceil(total / 20) + 1 },
      limits: { requestsPerSecond: 1000, concurrency: CONCURRENCY },
    },
  });
  const stop = trackRss();
  const cpu = cpuClock();
  const started = performance.now();
  const result = await crawlSource({
    source,
    guard: new UrlGuard({ allowedPrivateHosts: [new URL(base).host] }),
    sink,
    timeZone: 'Asia/Shanghai',
    throttle: new HostThrottle(),
    concurrency: CONCURRENCY,
  });
  const ms = performance.now() - started;
  const cpuMs = cpu();
  const peakRssMb = stop();
  for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => {});
  await queues.close();
  connection.disconnect();
  if (result.status !== 'succeeded') throw new Error(`yuqing crawl ${result.status}: ${result.errorMessage ?? ''}`);
  return { variant: 'Yuqing crawlSource (auto-extract)', pages: result.pagesFetched, items, ms, cpuMs, peakRssMb };
}

function runChild(variant: string, base: string, total: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--variant', variant, base, String(total)],
      { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Figures)
        : reject(new Error(`${variant} exited ${code}`)),
    );
  });
}

const args = process.argv.slice(2);
if (args[0] === '--variant') {
  const [, variant, base, total] = args;
  const figures = variant === 'bare' ? await runBare(base!) : await runYuqing(base!, Number(total));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
} else {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { runs: { type: 'string', default: String(DEFAULT_RUNS) } },
  });
  const total = Math.max(2000, Number(positionals[0] ?? 2000));
  const pairs = Math.max(1, Number(values.runs));
  const site = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, '../fixtures/crawl/bench-site.ts'), String(total)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const base = await new Promise<string>((resolve) =>
    site.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  const row = (f: Figures) =>
    `${f.variant.padEnd(36)} ${String(f.pages).padStart(6)} pages ${String(f.items).padStart(6)} items ${(f.ms / 1000).toFixed(2).padStart(7)} s ${((f.pages / f.ms) * 1000).toFixed(0).padStart(6)} pages/s  CPU ${(f.cpuMs / 1000).toFixed(2).padStart(6)} s  peak RSS ${f.peakRssMb.toFixed(0)} MB`;
  try {
    process.stdout.write(
      `crawl benchmark: ${total} articles + ${Math.ceil(total / 20)} list pages, concurrency ${CONCURRENCY}, ${pairs} pairs of runs, alternating\n`,
    );
    const bare: Figures[] = [];
    const yq: Figures[] = [];
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? (['bare', 'yuqing'] as const) : (['yuqing', 'bare'] as const);
      for (const variant of order) {
        const f = await runChild(variant, base, total);
        (variant === 'bare' ? bare : yq).push(f);
        process.stdout.write(`  pair ${i + 1} ${row(f)}\n`);
      }
      process.stdout.write(
        `  pair ${i + 1} ratio ${(yq[i]!.ms / bare[i]!.ms).toFixed(2)}x (CPU ${(yq[i]!.cpuMs / bare[i]!.cpuMs).toFixed(2)}x)\n`,
      );
    }
    const summary = (xs: Figures[]): Figures => ({
      ...xs[0]!,
      pages: median(xs.map((x) => x.pages)),
      items: median(xs.map((x) => x.items)),
      ms: median(xs.map((x) => x.ms)),
      cpuMs: median(xs.map((x) => x.cpuMs)),
      peakRssMb: Math.max(...xs.map((x) => x.peakRssMb)),
    });
    const b = summary(bare);
    const y = summary(yq);
    const pairRatio = median(yq.map((f, i) => f.ms / bare[i]!.ms));
    process.stdout.write(`medians (peak RSS: highest run)\n${row(b)}\n${row(y)}\n`);
    // The headline is the median of the per-pair ratios: the two runs of a pair share the machine's load at the
    // time, while the medians of all runs can come from quiet and busy moments alike.
    process.stdout.write(
      `time ratio Yuqing / bare Crawlee: ${pairRatio.toFixed(2)}x (median of the ${pairs} per-pair ratios; target ≤ 1.3x); ratio of the median times ${(y.ms / b.ms).toFixed(2)}x; CPU-time ratio ${(y.cpuMs / b.cpuMs).toFixed(2)}x; Yuqing peak RSS ${y.peakRssMb.toFixed(0)} MB (target < 400 MB)\n`,
    );
  } finally {
    site.kill('SIGTERM');
  }
}
