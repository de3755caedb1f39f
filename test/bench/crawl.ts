// `pnpm bench crawl [pages]`: Yuqing's full html crawl (fetch, decode, extract, normalise + dedupe, enqueue to
// Redis) against bare Crawlee CheerioCrawler (fetch + parse + enqueueLinks) on the same generated local site.
// Each variant runs in its own process so peak RSS is its own. Prints pages/s, peak RSS and the time ratio.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = 8;

interface Figures {
  variant: string;
  pages: number;
  items: number;
  ms: number;
  peakRssMb: number;
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
  Configuration: new (options: { persistStorage: boolean }) => object;
  CheerioCrawler: new (
    options: {
      maxConcurrency: number; maxRequestRetries: number; useSessionPool: boolean; statusMessageLoggingInterval: number;
      requestHandler(context: { $: (selector: string) => { first(): { text(): string } }; request: { label?: string }; enqueueLinks(options: { selector: string; label: string }): Promise<unknown> }): Promise<void>;
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
  const started = performance.now();
  const crawler = new CheerioCrawler({
    maxConcurrency: CONCURRENCY,
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
  }, new Configuration({ persistStorage: false }));
  await crawler.run([{ url: `${base}/list/1.html`, label: 'list' }]);
  const ms = performance.now() - started;
  return { variant: 'bare CheerioCrawler', pages, items, ms, peakRssMb: stop() };
}

async function runYuqing(base: string, total: number): Promise<Figures> {
  const { crawlSource, createMemorySink, normaliseMention, parseSourceDefinition, UrlGuard, HostThrottle } = await import('@yuqing/crawlers');
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
    kind: 'html', url: `${base}/list/1.html`,
    config: { list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: Math.ceil(total / 20) + 1 }, limits: { requestsPerSecond: 1000, concurrency: CONCURRENCY } },
  });
  const stop = trackRss();
  const started = performance.now();
  const result = await crawlSource({ source, guard: new UrlGuard({ allowedPrivateHosts: [new URL(base).host] }), sink, timeZone: 'Asia/Shanghai', throttle: new HostThrottle(), concurrency: CONCURRENCY });
  const ms = performance.now() - started;
  const peakRssMb = stop();
  for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => {});
  await queues.close();
  connection.disconnect();
  if (result.status !== 'succeeded') throw new Error(`yuqing crawl ${result.status}: ${result.errorMessage ?? ''}`);
  return { variant: 'Yuqing crawlSource (auto-extract)', pages: result.pagesFetched, items, ms, peakRssMb };
}

function runChild(variant: string, base: string, total: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--variant', variant, base, String(total)], { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Figures) : reject(new Error(`${variant} exited ${code}`))));
  });
}

const args = process.argv.slice(2);
if (args[0] === '--variant') {
  const [, variant, base, total] = args;
  const figures = variant === 'bare' ? await runBare(base!) : await runYuqing(base!, Number(total));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
} else {
  const total = Math.max(2000, Number(args[0] ?? 2000));
  const site = spawn(process.execPath, ['--import', 'tsx', join(here, '../fixtures/crawl/bench-site.ts'), String(total)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve) => site.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  try {
    // Alternate the variants and keep each one's best run: the machine is shared, noise only ever adds time.
    const runs: Figures[] = [];
    for (let i = 0; i < 2; i++) {
      runs.push(await runChild('bare', base, total));
      runs.push(await runChild('yuqing', base, total));
    }
    const best = (name: string) => runs.filter((r) => r.variant.startsWith(name)).sort((a, b) => a.ms - b.ms)[0]!;
    const bare = best('bare');
    const yq = best('Yuqing');
    const row = (f: Figures) => `${f.variant.padEnd(36)} ${String(f.pages).padStart(6)} pages ${String(f.items).padStart(6)} items ${(f.ms / 1000).toFixed(2).padStart(7)} s ${((f.pages / f.ms) * 1000).toFixed(0).padStart(6)} pages/s  peak RSS ${f.peakRssMb.toFixed(0)} MB`;
    process.stdout.write(`crawl benchmark: ${total} articles + ${Math.ceil(total / 20)} list pages, concurrency ${CONCURRENCY}, best of 2\n`);
    process.stdout.write(`${row(bare)}\n${row(yq)}\n`);
    process.stdout.write(`time ratio Yuqing / bare Crawlee: ${(yq.ms / bare.ms).toFixed(2)}x (target ≤ 1.3x); Yuqing peak RSS ${yq.peakRssMb.toFixed(0)} MB (target < 400 MB)\n`);
  } finally {
    site.kill('SIGTERM');
  }
}
