import { Worker } from 'node:worker_threads';
import { createLogger, NonRetryableError, RetryableError } from '@yuqing/core';
import type { AnalysisResult, MentionForAnalysis } from '@yuqing/db';
import type { AnalysedMention } from '@yuqing/nlp';
import { clusteringFeatures } from './issue-clustering.ts';
import { classifyMentions } from './mention-classifier.ts';
import type { AnalysisTask, LoadedModel, ModelSpec } from './model-cache.ts';

const log = createLogger('classification-pool');

/** A mention's classification and, when relevant, its clustering features. */
export interface ClassifiedMention {
  result: AnalysisResult & { negativity: number };
  features: AnalysedMention | null;
}

/** Message to a classification thread. */
export interface ClassifyRequest {
  id: number;
  specs: Record<AnalysisTask, ModelSpec>;
  mentions: MentionForAnalysis[];
}

/** A thread's answer: one item per mention, in order, or an error. */
export type ClassifyResponse = { id: number; items: ClassifiedMention[] } | { id: number; error: { code: string; message: string; retryable: boolean } };

/** Classifies mentions and computes the relevant ones' clustering features (the CPU part of analysis), in order. */
export function classifyAndFeature(mentions: readonly MentionForAnalysis[], models: Record<AnalysisTask, LoadedModel>): ClassifiedMention[] {
  const out: ClassifiedMention[] = [];
  classifyMentions(mentions, models, (result, prepared, i) => {
    // The classifier's cut serves clustering too: one jieba pass per mention (plus the HMM's recovery of names).
    out.push({ result, features: result.relevant ? clusteringFeatures(mentions[i]!, result.category ?? '其他', result.negativity, prepared) : null });
  });
  return out;
}

/** Mentions below which a group is not split between threads (the message costs more than it saves). */
const MIN_MENTIONS_PER_THREAD = 50;

interface ThreadSlot {
  worker: Worker;
  pending: Map<number, { resolve(items: ClassifiedMention[]): void; reject(error: unknown): void }>;
  /** The thread has answered once (it started properly). */
  answered: boolean;
}

const TSX_API = import.meta.resolve('tsx/esm/api');
const THREAD_YOUNG_GENERATION_MB = 8;
const THREAD_ENTRY = new URL('./classification-thread.ts', import.meta.url).href;

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
  private nextId = 1;
  private closed = false;
  /** Why threads cannot start (one died before ever answering): set once, then callers classify themselves. */
  private unavailable: string | undefined;

  /** True while threads can be used. */
  get available(): boolean {
    return !this.closed && this.unavailable === undefined;
  }

  constructor(private readonly threads: number) {
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  /** Classifies `mentions` with the models `specs` name, split across the threads; results in input order. */
  async classify(mentions: readonly MentionForAnalysis[], specs: Record<AnalysisTask, ModelSpec>): Promise<ClassifiedMention[]> {
    if (this.closed) throw new NonRetryableError('POOL_CLOSED', 'classification pool is closed');
    if (this.unavailable) throw new NonRetryableError(POOL_UNAVAILABLE, `classification threads cannot start: ${this.unavailable}`);
    const parts = Math.max(1, Math.min(this.slots.length, Math.floor(mentions.length / MIN_MENTIONS_PER_THREAD)));
    const size = Math.ceil(mentions.length / parts);
    const chunks = await Promise.all(Array.from({ length: parts }, (_, i) => this.send(this.slots[i]!, mentions.slice(i * size, (i + 1) * size), specs)));
    return chunks.flat();
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private send(slot: ThreadSlot, mentions: MentionForAnalysis[], specs: Record<AnalysisTask, ModelSpec>): Promise<ClassifiedMention[]> {
    if (mentions.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, specs, mentions } satisfies ClassifyRequest);
    });
  }

  private spawn(): ThreadSlot {
    // The thread runs TypeScript like the rest of yq. Node 20 does not hand a process's loader hooks (tsx) to
    // worker threads, so the thread registers tsx itself before importing its entry.
    const bootstrap = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_ENTRY)}); })`;
    // A small young generation keeps the thread's garbage from inflating the worker's RSS (measured −10 to −25 MB,
    // no consistent slowdown).
    const worker = new Worker(bootstrap, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } });
    const slot: ThreadSlot = { worker, pending: new Map(), answered: false };
    // Idle threads must not keep a finished process alive.
    worker.unref();
    worker.on('message', (response: ClassifyResponse) => {
      const waiter = slot.pending.get(response.id);
      if (!waiter) return;
      slot.pending.delete(response.id);
      slot.answered = true;
      if ('items' in response) waiter.resolve(response.items);
      else waiter.reject(response.error.retryable ? new RetryableError(response.error.code, response.error.message) : new NonRetryableError(response.error.code, response.error.message));
    });
    const fail = (why: string) => {
      for (const waiter of slot.pending.values()) waiter.reject(new RetryableError('CLASSIFIER_THREAD_DIED', `classification thread ${why}`));
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
