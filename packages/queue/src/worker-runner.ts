import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { createLogger, errorCode, errorMessage, isRetryable } from '@yuqing/core';
import { parsePayload, type JobName, type ParsedJobPayload, type QueueName } from './catalog.ts';
import { createRedisConnection } from './connection.ts';

const log = createLogger('worker');

/** Processes one job of a given name; throw a non-retryable YuqingError to fail without retries. */
export type JobHandler<N extends JobName> = (payload: ParsedJobPayload<N>, job: Job) => Promise<unknown>;

/** Handlers by job name; a worker for a queue serves every job name of that queue it has a handler for. */
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

/** Options for {@link WorkerRunner}. */
export interface WorkerRunnerOptions {
  redisUrl: string;
  /** @defaultValue 'yq' */
  prefix?: string;
  /** Queues to serve. */
  queues: readonly QueueName[];
  handlers: JobHandlers;
  /** Jobs processed at once per queue. @defaultValue 4 */
  concurrency?: number | Partial<Record<QueueName, number>>;
  /** How often a stalled (crashed-worker) job is detected and re-queued. @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** Lock duration; a worker that dies loses its jobs to others after this. @defaultValue 30000 */
  lockDurationMs?: number;
  /** Install SIGTERM/SIGINT handlers that close gracefully. @defaultValue true */
  handleSignals?: boolean;
}

/**
 * Runs BullMQ workers for the chosen queues: payload validation, retry classification, stalled-job
 * recovery (a job whose worker died is picked up by another), and graceful shutdown.
 */
export class WorkerRunner {
  private readonly workers: Worker[] = [];
  private closing: Promise<void> | undefined;
  private readonly signalHandler = () => {
    log.info('signal received: finishing active jobs, then closing');
    void this.close().then(() => process.exit(0));
  };

  constructor(private readonly options: WorkerRunnerOptions) {}

  /** Starts one worker per queue (each with its own blocking connection). */
  start(): void {
    const prefix = this.options.prefix ?? 'yq';
    for (const queueName of this.options.queues) {
      const concurrency =
        typeof this.options.concurrency === 'number'
          ? this.options.concurrency
          : (this.options.concurrency?.[queueName] ?? 4);
      const worker = new Worker(queueName, (job) => this.process(job), {
        connection: createRedisConnection(this.options.redisUrl),
        prefix,
        concurrency,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        lockDuration: this.options.lockDurationMs ?? 30_000,
        maxStalledCount: 2,
        autorun: true,
      });
      worker.on('error', (error) => log.error({ queue: queueName, err: errorMessage(error) }, 'worker error'));
      worker.on('failed', (job, error) => {
        if (!job) return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
        log.warn(
          {
            queue: queueName,
            job: job.name,
            id: job.id,
            attempt: job.attemptsMade,
            final,
            code: errorCode(error),
            err: errorMessage(error),
          },
          final ? 'job failed' : 'job failed, will retry',
        );
      });
      this.workers.push(worker);
    }
    if (this.options.handleSignals !== false) {
      process.once('SIGTERM', this.signalHandler);
      process.once('SIGINT', this.signalHandler);
    }
    log.info({ queues: this.options.queues }, 'workers started');
  }

  private async process(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    const handler = this.options.handlers[name] as JobHandler<JobName> | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} on this worker`);
    let payload: ParsedJobPayload<JobName>;
    try {
      payload = parsePayload(name, job.data);
    } catch (error) {
      throw new UnrecoverableError(`invalid payload for ${job.name}: ${errorMessage(error)}`);
    }
    try {
      return await handler(payload, job);
    } catch (error) {
      // A job put back to wait (delayJob) is neither failed nor retried.
      if (error instanceof DelayedError) throw error;
      if (!isRetryable(error)) {
        const unrecoverable = new UnrecoverableError(`[${errorCode(error)}] ${errorMessage(error)}`);
        throw unrecoverable;
      }
      throw error;
    }
  }

  /** Waits for workers to connect (tests use this before enqueueing). */
  async waitUntilReady(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /** Lets active jobs finish, then closes every worker and its connection. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      process.removeListener('SIGTERM', this.signalHandler);
      process.removeListener('SIGINT', this.signalHandler);
      await Promise.all(this.workers.map((w) => w.close()));
      await Promise.all(this.workers.map(async (w) => (await w.client).disconnect()));
    })();
    return this.closing;
  }
}

/**
 * Puts the job being processed back to wait until `untilMs` without counting an attempt (an alert channel whose
 * circuit breaker is open), then ends its processing by throwing BullMQ's DelayedError, which the runner passes on.
 */
export async function delayJob(job: Job, untilMs: number): Promise<never> {
  await job.moveToDelayed(untilMs, job.token);
  throw new DelayedError();
}
