/** Default politeness per host when a source sets none. */
export const DEFAULT_REQUESTS_PER_SECOND_PER_HOST = 8;
export const DEFAULT_CONCURRENCY_PER_HOST = 4;

interface HostState {
  active: number;
  nextStartAt: number;
  waiters: Array<() => void>;
}

/**
 * Per-host rate and concurrency limits shared by every crawl in a process (two sources on one site share its
 * budget). Requests start at most `requestsPerSecond` per second and at most `concurrency` run at once.
 */
export class HostThrottle {
  private readonly hosts = new Map<string, HostState>();

  /** Runs `fn` when the host's budget allows. */
  async run<T>(
    host: string,
    limits: { requestsPerSecond?: number; concurrency?: number },
    fn: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const rps = limits.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND_PER_HOST;
    const concurrency = limits.concurrency ?? DEFAULT_CONCURRENCY_PER_HOST;
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, nextStartAt: 0, waiters: [] };
      this.hosts.set(host, state);
    }
    while (state.active >= concurrency) {
      await new Promise<void>((resolve) => state!.waiters.push(resolve));
    }
    state.active++;
    try {
      const interval = 1000 / rps;
      const now = Date.now();
      const startAt = Math.max(now, state.nextStartAt);
      state.nextStartAt = startAt + interval;
      if (startAt > now) await new Promise((resolve) => setTimeout(resolve, startAt - now));
      if (signal?.aborted) throw new Error('aborted');
      return await fn();
    } finally {
      state.active--;
      state.waiters.shift()?.();
      if (state.active === 0 && state.waiters.length === 0 && state.nextStartAt < Date.now()) this.hosts.delete(host);
    }
  }
}

/** The process-wide throttle used unless a crawl is given its own. */
export const sharedHostThrottle = new HostThrottle();
