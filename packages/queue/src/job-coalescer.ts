import { createLogger, errorMessage } from '@yuqing/core';

const log = createLogger('coalescer');

/** Options for {@link JobCoalescer}. */
export interface JobCoalescerOptions<TSubmission, TResult> {
  /** Name in logs. */
  name: string;
  /**
   * Processes several jobs' submissions at once and returns one result per submission, in order. Must be
   * idempotent per submission: a failed group is retried one submission at a time.
   */
  run(submissions: readonly TSubmission[]): Promise<TResult[]>;
  /** Size of a submission (items, mentions) counted against `maxItems`. @defaultValue one per submission */
  sizeOf?(submission: TSubmission): number;
  /** Most items one group takes (a group always takes at least one submission). @defaultValue 500 */
  maxItems?: number;
  /**
   * Groups run at once. Two let one group's CPU work overlap another's database round trips; the run function
   * must then be safe to call concurrently. @defaultValue 1
   */
  maxConcurrentGroups?: number;
}

interface Pending<TSubmission, TResult> {
  submission: TSubmission;
  size: number;
  resolve(result: TResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for queue jobs: the jobs a worker holds at once hand their items to one shared run instead of
 * each paying its own database round trips, lock and transaction. When idle, a job runs at once, alone (no
 * added latency); while a group runs, arriving jobs wait and then go together in the next group, so groups grow
 * with the load. Each job still completes, fails and retries on its own: when a group fails, its submissions
 * are run again one by one, so one bad batch cannot fail the jobs it happened to share a group with.
 */
export class JobCoalescer<TSubmission, TResult> {
  private readonly waiting: Pending<TSubmission, TResult>[] = [];
  private active = 0;
  private readonly maxItems: number;
  private readonly maxGroups: number;

  constructor(private readonly options: JobCoalescerOptions<TSubmission, TResult>) {
    this.maxItems = options.maxItems ?? 500;
    this.maxGroups = Math.max(1, options.maxConcurrentGroups ?? 1);
  }

  /** Submissions waiting for the next group (tests and metrics). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Processes `submission` in the next group; resolves with its own result. */
  submit(submission: TSubmission): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.waiting.push({ submission, size: this.options.sizeOf?.(submission) ?? 1, resolve, reject });
      this.pump();
    });
  }

  /** Starts groups while submissions wait and a slot is free; each finished group starts the next. */
  private pump(): void {
    while (this.waiting.length > 0 && this.active < this.maxGroups) {
      const group = this.takeGroup();
      this.active++;
      void this.runGroup(group).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private takeGroup(): Pending<TSubmission, TResult>[] {
    const group: Pending<TSubmission, TResult>[] = [];
    let size = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (group.length > 0 && size + next.size > this.maxItems) break;
      group.push(this.waiting.shift()!);
      size += next.size;
    }
    return group;
  }

  private async runGroup(group: Pending<TSubmission, TResult>[]): Promise<void> {
    const started = performance.now();
    try {
      const results = await this.options.run(group.map((p) => p.submission));
      log.debug(
        {
          coalescer: this.options.name,
          submissions: group.length,
          items: group.reduce((n, p) => n + p.size, 0),
          ms: Math.round(performance.now() - started),
        },
        'group done',
      );
      if (results.length !== group.length)
        throw new Error(`${this.options.name}: ${results.length} results for ${group.length} submissions`);
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      log.warn(
        { coalescer: this.options.name, submissions: group.length, err: errorMessage(error) },
        'group failed; running its submissions one by one',
      );
      for (const p of group) await this.runGroup([p]);
    }
  }
}
