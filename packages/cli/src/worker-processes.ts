// `yq start` runs its workers in child processes: a crawl that fetches and parses a 50 MB page, or the
// jieba/classifier work of a big analysis batch, must not stop the dashboard and the embedded database (both stay
// in the parent, whose event loop then only answers requests and SQL).
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@yuqing/core';
import type { QueueName } from '@yuqing/queue';

/** Exit code of a worker that stopped on purpose after its memory passed `--recycle-rss-mb`: restart it at once. */
export const RECYCLE_EXIT_CODE = 75;
/** First restart delay after a crash; doubles per crash in a row up to {@link MAX_RESTART_DELAY_MS}. */
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/**
 * Scheduling niceness of CPU-heavy work: on a small machine a crawl parsing a huge page or a big classification
 * batch takes a whole core, and the dashboard and the embedded database (this process) must get the CPU first.
 * A thread that holds database transactions must NOT be lowered: the embedded database is one session, and while a
 * starved low-priority transaction holder waits for the CPU every other client waits for it (measured with two busy
 * loops on two cores: a health probe waited 923 ms behind an analysis transaction held for 547 ms).
 */
const WORKER_NICENESS = 10;
/** A child that ran this long before it died is not crash-looping: its next restart starts from the first delay. */
const HEALTHY_RUN_MS = 60_000;
/** Jobs in hand get this long to finish on shutdown before the child is killed (BullMQ would re-queue them). */
const STOP_GRACE_MS = 30_000;

/** One supervised worker process. */
export interface WorkerProcessSpec {
  /** Name in logs, e.g. `crawl`. */
  name: string;
  queues: readonly QueueName[];
  /** V8 heap ceiling of the child (`--max-old-space-size`), so one huge page fails one crawl, not the machine. */
  maxOldSpaceMb?: number;
  /** The child finishes its jobs and exits to be restarted when its resident memory passes this. */
  recycleRssMb?: number;
  /** Niceness of the whole child (0: normal priority). */
  niceness: number;
  /** Environment the child gets on top of the parent's (unless the user set the same variable). */
  env?: Readonly<Record<string, string>>;
}

/** Options for {@link WorkerProcesses}. */
export interface WorkerProcessesOptions {
  specs: readonly WorkerProcessSpec[];
  /** Environment of the children (the parent's, with what `start` decided, e.g. the demo site's host). */
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/** The crawl child and the child for everything else, as `yq start` runs them. */
export const DEFAULT_WORKER_PROCESSES: readonly WorkerProcessSpec[] = [
  // Crawling is fetching and parsing; its database writes are single statements or short runs sent back to back.
  { name: 'crawl', queues: ['crawl'], maxOldSpaceMb: 1536, recycleRssMb: 600, niceness: WORKER_NICENESS },
  {
    name: 'pipeline',
    queues: ['ingest', 'analyse', 'alert', 'digest', 'maintenance'],
    maxOldSpaceMb: 2048,
    recycleRssMb: 1200,
    // Its main thread holds the clustering transaction: normal priority. Classification, the CPU-heavy part, runs
    // in threads that lower their own priority.
    niceness: 0,
    env: { YQ_ANALYSIS_THREAD_NICENESS: String(WORKER_NICENESS) },
  },
];

/**
 * What the children run: the script this process was started with (the `yq` launcher and its bundle, or main.ts
 * under tsx's loader, whose flags come along in execArgv), else main.ts beside this file.
 */
const ENTRY = process.argv[1] ?? fileURLToPath(new URL('./main.ts', import.meta.url));

interface Supervised {
  spec: WorkerProcessSpec;
  child: ChildProcess | undefined;
  startedAt: number;
  delayMs: number;
  restartTimer: NodeJS.Timeout | undefined;
  restarts: number;
}

/**
 * Starts `yq worker` children and keeps them running: a child that exits is started again (at once after a memory
 * recycle, with exponential back-off after a crash). Children hold an IPC channel to the parent and stop when it
 * closes, so a parent killed with SIGKILL leaves no orphans behind.
 */
export class WorkerProcesses {
  private readonly supervised: Supervised[];
  private stopping = false;

  constructor(private readonly options: WorkerProcessesOptions) {
    this.supervised = options.specs.map((spec) => ({
      spec,
      child: undefined,
      startedAt: 0,
      delayMs: FIRST_RESTART_DELAY_MS,
      restartTimer: undefined,
      restarts: 0,
    }));
  }

  start(): void {
    for (const s of this.supervised) this.launch(s);
  }

  private launch(s: Supervised): void {
    if (this.stopping) return;
    const { spec } = s;
    // The parent's loader flags (tsx) carry over; its own heap flag does not (each child gets its own ceiling).
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--max-old-space-size'));
    if (spec.maxOldSpaceMb) execArgv.push(`--max-old-space-size=${spec.maxOldSpaceMb}`);
    const args = [...execArgv, ENTRY, 'worker', '--queues', spec.queues.join(',')];
    if (spec.recycleRssMb) args.push('--recycle-rss-mb', String(spec.recycleRssMb));
    const child = spawn(process.execPath, args, {
      env: { ...spec.env, ...this.options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    s.child = child;
    s.startedAt = Date.now();
    if (child.pid !== undefined && spec.niceness > 0) {
      try {
        setPriority(child.pid, Math.min(constants.priority.PRIORITY_LOW, spec.niceness));
      } catch (error) {
        // Not fatal: without it the children compete with the dashboard on equal terms.
        this.options.log.warn({ worker: spec.name, err: (error as Error).message }, 'cannot lower worker priority');
      }
    }
    this.options.log.info({ worker: spec.name, pid: child.pid, queues: spec.queues }, 'worker process started');
    child.on('error', (error) =>
      this.options.log.error({ worker: spec.name, err: error.message }, 'worker process failed to start'),
    );
    child.once('exit', (code, signal) => this.exited(s, child, code, signal));
  }

  private exited(s: Supervised, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (s.child === child) s.child = undefined;
    if (this.stopping) return;
    const ranMs = Date.now() - s.startedAt;
    const recycled = code === RECYCLE_EXIT_CODE;
    if (recycled || ranMs >= HEALTHY_RUN_MS) s.delayMs = FIRST_RESTART_DELAY_MS;
    const delayMs = recycled ? 0 : s.delayMs;
    if (!recycled) s.delayMs = Math.min(MAX_RESTART_DELAY_MS, s.delayMs * 2);
    s.restarts++;
    const entry = { worker: s.spec.name, code, signal, ranMs, restartInMs: delayMs, restarts: s.restarts };
    if (recycled) this.options.log.info(entry, 'worker process recycled after passing its memory limit');
    else this.options.log.warn(entry, 'worker process exited; restarting');
    s.restartTimer = setTimeout(() => this.launch(s), delayMs);
  }

  /**
   * Children that exit from now on stay down. Called as soon as shutdown begins: Ctrl-C reaches the children too
   * (one process group), and they must not be restarted while the parent closes its other parts.
   */
  stopRestarting(): void {
    this.stopping = true;
    for (const s of this.supervised) clearTimeout(s.restartTimer);
  }

  /** Stops restarting, asks every child to finish its jobs (SIGTERM) and kills those still running after a grace. */
  async close(): Promise<void> {
    this.stopRestarting();
    await Promise.all(
      this.supervised.map(async (s) => {
        clearTimeout(s.restartTimer);
        const child = s.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
