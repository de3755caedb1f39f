import type { CrawlRunLease } from '@yuqing/db';

/** The lease a crawl holds on its run, for sinks that save checkpoints only while it holds. */
export interface RunLease {
  /** The lease as it should be written now (expiry = now + lease period). */
  current(): CrawlRunLease;
  /** Tells the crawl the run was taken over: it stops without finishing the run. */
  lost(): void;
}
