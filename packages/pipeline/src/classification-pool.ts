import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createLogger, errorMessage, NonRetryableError, RetryableError } from '@yuqing/core';
import type { MentionForAnalysis } from '@yuqing/db';
import type { ClassifiedMention } from './classify-and-feature.ts';
import type { AnalysisTask, ModelSpec } from './model-cache.ts';
import { bundleModule } from './module-bundle.ts';

const log = createLogger('classification-pool');

/** Message to a classification thread. */
export interface ClassifyRequest {
  id: number;
  specs: Record<AnalysisTask, ModelSpec>;
  mentions: MentionForAnalysis[];
}

/** A thread's answer: one item per mention, in order, or an error. */
export type ClassifyResponse =
  | { id: number; items: ClassifiedMention[] }
  | { id: number; error: { code: string; message: string; retryable: boolean } };

/** Mentions below which a group is not split between threads (the message costs more than it saves). */
const MIN_MENTIONS_PER_THREAD = 50;

interface ThreadSlot {
  worker: Worker;
  pending: Map<number, { resolve(items: ClassifiedMention[]): void; reject(error: unknown): void }>;
  /** The thread has answered once (it started properly). */
  answered: boolean;
}

const THREAD_YOUNG_GENERATION_MB = 8;
const THREAD_ENTRY = new URL('./classification-thread.ts', import.meta.url);

/** Options of a {@link ClassificationPool}. */
export interface ClassificationPoolOptions {
  /**
   * Run the threads from a JavaScript bundle of their code (see `bundleModule`) rather than through tsx: ~30 MB
   * less RSS per thread. Falls back to tsx when the bundle cannot be built. @defaultValue true
   */
  bundle?: boolean;
  /** Where the bundle is written. @defaultValue `<os tmpdir>/yuqing-threads` */
  bundleDir?: string;
  /**
   * Scheduling niceness of the threads alone (Linux; elsewhere ignored): classification is the CPU-heavy part of
   * analysis, while the process's main thread holds database transactions and must stay at normal priority (a
   * starved transaction holder blocks every other client of the embedded database). @defaultValue 0
   */
  threadNiceness?: number;
}

/** What a classification thread is started with (`workerData`). */
export interface ClassificationThreadData {
  niceness?: number;
}

/** Error code when the threads cannot start at all; callers classify in their own thread instead. */
export const POOL_UNAVAILABLE = 'CLASSIFIER_THREADS_UNAVAILABLE';

/**
 * Classification threads of one analysis worker process: jieba, the classifiers and feature extraction run
 * there, so the process's main thread keeps the database round trips and the clustering engine moving while
 * another core classifies. Each thread loads jieba and the models once. A thread that dies is replaced, and
 * the groups it held fail with a retryable error (their jobs retry).
 */
export class ClassificationPool {
  private readonly slots: ThreadSlot[] = [];
  /** Source code a thread starts from (set once the bundle is built or given up on). */
  private bootstrap: ThreadBootstrap | undefined;
  /** Threads started (they start once the bundle is ready). */
  private readonly started: Promise<void>;
  private nextId = 1;
  private closed = false;
  private readonly threadData: ClassificationThreadData;
  /** Why threads cannot start (one died before ever answering): set once, then callers classify themselves. */
  private unavailable: string | undefined;

  /** What the threads run: the bundle of their code or, when it could not be built, their TypeScript through tsx. */
  get startedFrom(): 'bundle' | 'tsx' | undefined {
    return this.bootstrap?.from;
  }

  /** True while threads can be used. */
  get available(): boolean {
    return !this.closed && this.unavailable === undefined;
  }

  constructor(threads: number, options: ClassificationPoolOptions = {}) {
    this.threadData = options.threadNiceness ? { niceness: options.threadNiceness } : {};
    this.started = this.start(threads, options);
  }

  private async start(threads: number, options: ClassificationPoolOptions): Promise<void> {
    this.bootstrap = await threadBootstrap(options);
    if (this.closed) return;
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  /** Classifies `mentions` with the models `specs` name, split across the threads; results in input order. */
  async classify(
    mentions: readonly MentionForAnalysis[],
    specs: Record<AnalysisTask, ModelSpec>,
  ): Promise<ClassifiedMention[]> {
    if (this.closed) throw new NonRetryableError('POOL_CLOSED', 'classification pool is closed');
    await this.started;
    if (this.closed) throw new NonRetryableError('POOL_CLOSED', 'classification pool is closed');
    if (this.unavailable)
      throw new NonRetryableError(POOL_UNAVAILABLE, `classification threads cannot start: ${this.unavailable}`);
    const parts = Math.max(1, Math.min(this.slots.length, Math.floor(mentions.length / MIN_MENTIONS_PER_THREAD)));
    const size = Math.ceil(mentions.length / parts);
    const chunks = await Promise.all(
      Array.from({ length: parts }, (_, i) =>
        this.send(this.slots[i]!, mentions.slice(i * size, (i + 1) * size), specs),
      ),
    );
    return chunks.flat();
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    await this.started;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private send(
    slot: ThreadSlot,
    mentions: MentionForAnalysis[],
    specs: Record<AnalysisTask, ModelSpec>,
  ): Promise<ClassifiedMention[]> {
    if (mentions.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, specs, mentions } satisfies ClassifyRequest);
    });
  }

  private spawn(): ThreadSlot {
    // A small young generation keeps the thread's garbage from inflating the worker's RSS (measured −10 to −25 MB,
    // no consistent slowdown).
    const worker = new Worker(this.bootstrap!.code, {
      eval: true,
      workerData: this.threadData,
      resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB },
    });
    const slot: ThreadSlot = { worker, pending: new Map(), answered: false };
    // Idle threads must not keep a finished process alive.
    worker.unref();
    worker.on('message', (response: ClassifyResponse) => {
      const waiter = slot.pending.get(response.id);
      if (!waiter) return;
      slot.pending.delete(response.id);
      slot.answered = true;
      if ('items' in response) waiter.resolve(response.items);
      else
        waiter.reject(
          response.error.retryable
            ? new RetryableError(response.error.code, response.error.message)
            : new NonRetryableError(response.error.code, response.error.message),
        );
    });
    const fail = (why: string) => {
      for (const waiter of slot.pending.values())
        waiter.reject(new RetryableError('CLASSIFIER_THREAD_DIED', `classification thread ${why}`));
      slot.pending.clear();
      if (this.closed) return;
      if (!slot.answered) {
        // Dying before the first answer means it cannot start here (missing build, no memory): stop respawning.
        this.unavailable ??= why;
        return;
      }
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
    };
    worker.on('error', (error) => {
      log.error({ err: error.message }, 'classification thread failed; starting another');
      fail(`failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (!this.closed && this.slots.includes(slot)) {
        log.error({ code }, 'classification thread exited; starting another');
        fail(`exited with code ${code}`);
      }
    });
    return slot;
  }
}

interface ThreadBootstrap {
  from: 'bundle' | 'tsx';
  /** Evaluated by the new thread. */
  code: string;
}

/**
 * The code a classification thread starts from: an import of the bundled thread code or, when no bundle can be
 * built, tsx's registration followed by an import of the TypeScript entry (Node 20 does not hand a process's
 * loader hooks to worker threads, so the thread registers tsx itself).
 */
async function threadBootstrap(options: ClassificationPoolOptions): Promise<ThreadBootstrap> {
  if (options.bundle ?? true) {
    try {
      const bundle = await bundleModule(
        THREAD_ENTRY,
        options.bundleDir ?? join(tmpdir(), 'yuqing-threads'),
        'classification-thread',
      );
      return { from: 'bundle', code: `import(${JSON.stringify(bundle.href)})` };
    } catch (error) {
      log.warn(
        { err: errorMessage(error) },
        'cannot bundle the classification thread; running it through tsx (~30 MB more per thread)',
      );
    }
  }
  return {
    from: 'tsx',
    code: `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_ENTRY.href)}); })`,
  };
}
