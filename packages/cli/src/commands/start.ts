import { createLogger } from '@yuqing/core';
import { createDashboardApp, listenDashboard } from '@yuqing/dashboard';
import { startDemoSite } from '@yuqing/demo-site';
import { parseFlags } from '../command.ts';
import { installSchedules, loadRuntimeConfig, openRuntime } from '../runtime.ts';
import { crawlNeverRunNow, seedAdmin, seedDemoSources } from '../seed-data.ts';
import { DEFAULT_WORKER_PROCESSES, WorkerProcesses } from '../worker-processes.ts';

/**
 * `yq start [--demo] [--no-workers]`: migrate, seed, then run the dashboard, the embedded database and the
 * schedules in this process and the workers in supervised child processes (crawl apart from the rest), so heavy
 * crawling and analysis never hold up a dashboard request or a query. With --demo, the built-in demo site is served
 * too and the demo sources point at it.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('start', argv, {
    demo: { type: 'boolean', default: false },
    'no-workers': { type: 'boolean', default: false },
  });
  const startedAt = Date.now();
  const preliminary = loadRuntimeConfig();
  // The demo site lives on loopback; the SSRF guard must let the crawlers reach it (and nothing else private).
  const demoHost = `127.0.0.1:${preliminary.demoPort}`;
  const overrides: Record<string, string> = values.demo
    ? {
        YQ_ALLOWED_PRIVATE_HOSTS: [process.env.YQ_ALLOWED_PRIVATE_HOSTS, demoHost, `localhost:${preliminary.demoPort}`]
          .filter(Boolean)
          .join(','),
      }
    : {};
  const config = values.demo ? loadRuntimeConfig(overrides) : preliminary;
  const log = createLogger('start');

  const runtime = await openRuntime(config);
  const closers: (() => Promise<void>)[] = [() => runtime.close()];
  let stopping = false;
  let workers: WorkerProcesses | undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    workers?.stopRestarting();
    log.info({ signal }, 'shutting down');
    for (const close of closers.reverse())
      await close().catch((error: unknown) => log.warn({ err: String(error) }, 'close failed'));
    process.exit(0);
  };
  // `on`, not `once`: libraries loaded later (Crawlee's signal-exit) re-raise a signal when they find no other
  // listener, which would kill the process halfway through this shutdown.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    const { db } = runtime.database;
    const admin = await seedAdmin(db, config.adminPassword, config.adminEmail);
    if (admin.created) {
      process.stdout.write(
        `\n  管理员账号 admin account created — username: ${admin.username}  password: ${admin.password}\n  (shown once; change it after the first login)\n\n`,
      );
    }

    if (values.demo) {
      const demo = await startDemoSite({ port: config.demoPort, host: '127.0.0.1' });
      closers.push(() => demo.close());
      const sources = await seedDemoSources(db, demo.url);
      log.info({ url: demo.url, sources: sources.length }, 'demo site running');
      process.stdout.write(`  演示站点 demo site: ${demo.url}\n`);
    }

    if (!values['no-workers']) {
      // The children find the embedded database through the data folder (port file and password file) and join
      // the Redis this process uses, the private one included.
      workers = new WorkerProcesses({
        specs: DEFAULT_WORKER_PROCESSES,
        env: { ...process.env, ...overrides, REDIS_URL: runtime.redis.url },
        log,
      });
      workers.start();
      const started = workers;
      closers.push(() => started.close());
      await installSchedules(runtime);
      if (values.demo) {
        const queued = await crawlNeverRunNow(db, runtime.queues, config.timeZone);
        log.info({ sources: queued }, 'first crawl of new demo sources queued');
      }
    }

    const app = createDashboardApp({
      db: runtime.database.db,
      dbKind: runtime.database.kind,
      queues: runtime.queues,
      config,
    });
    const server = await listenDashboard(app, config.port, config.host);
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const where = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/`;
    log.info({ url: where, database: runtime.database.kind, ms: Date.now() - startedAt }, 'Yuqing is up');
    process.stdout.write(
      `  舆情监测 Yuqing is up: ${where}  (database: ${runtime.database.kind === 'embedded' ? `embedded PGlite in ${config.dataDir}/pglite` : 'PostgreSQL'})\n`,
    );
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
  // Keep running until a signal arrives.
  await new Promise<never>(() => {});
  return 0;
}
