import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  jobCatalog,
  parsePayload,
  QUEUE_NAMES,
  queueOf,
  type JobName,
  type JobPayload,
  type QueueName,
} from './catalog.ts';

/** Retries with exponential backoff unless a job says otherwise; old jobs are trimmed, failures kept longer. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  // Retryable failures (database or network away) back off 2 s, 4 s, … 512 s: the tenth try comes ~17 minutes
  // after the first, so a restart or failover of PostgreSQL loses no job; a job failing for good shows in Bull Board.
  attempts: 10,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Options for {@link JobQueues}. */
export interface JobQueuesOptions {
  /** Shared connection (not used for blocking commands, so one is enough for all producers). */
  connection: Redis;
  /** BullMQ key prefix; tests use a unique one. @defaultValue 'yq' */
  prefix?: string;
}

/** Typed producers for every queue in the catalog. */
export class JobQueues {
  readonly prefix: string;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly connection: Redis;

  constructor(options: JobQueuesOptions) {
    this.connection = options.connection;
    this.prefix = options.prefix ?? 'yq';
  }

  /** The shared connection, for small state workers share beside the queues (alert channels' circuit breakers). */
  redis(): Redis {
    return this.connection;
  }

  /** The BullMQ queue object for `name` (Bull Board and counts use it). */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', () => {
        // Connection errors are logged once by the shared connection's listener.
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** All queues of the catalog. */
  all(): Queue[] {
    return QUEUE_NAMES.map((name) => this.queue(name));
  }

  /**
   * Validates and enqueues one job. `jobId` makes enqueueing idempotent (BullMQ ignores a second add
   * with the same id while the first exists); ':' in it is replaced by '_'.
   */
  async add<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: JobsOptions = {},
  ): Promise<string | undefined> {
    const data = parsePayload(name, payload);
    // BullMQ reserves ':' in custom ids (its key separator); callers may still write natural ids like
    // `digest:12:2026-11-27`.
    const jobOptions =
      options.jobId === undefined ? options : { ...options, jobId: options.jobId.replaceAll(':', '_') };
    const job = await this.queue(queueOf(name)).add(name, data, jobOptions);
    return job.id;
  }

  /** Jobs waiting, delayed or active across all queues. */
  async pendingCount(): Promise<number> {
    const counts = await Promise.all(
      this.all().map((q) => q.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children')),
    );
    return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
  }

  /** Per-queue counts for health and the dashboard. */
  async counts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const q of this.all())
      out[q.name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

export { jobCatalog };
