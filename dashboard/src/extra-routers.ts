// The routers other packages contribute to the dashboard, built once so `yq start` and the test dashboard
// mount exactly the same thing.
import type { AppConfig, Clock } from '@yuqing/core';
import type { Db } from '@yuqing/db';
import { createDigestRouter } from '@yuqing/digest';
import type { JobQueues } from '@yuqing/queue';
import type { ExtraRouter } from './index.ts';
import { ROLES } from './auth/roles.ts';

/** Options for {@link defaultExtraRouters}. */
export interface DefaultExtraRouterOptions {
  db: Db;
  config: AppConfig;
  /** Lets admins re-queue failed digests. */
  queues: JobQueues;
  /** @defaultValue the wall clock */
  clock?: Clock;
}

/** The digest API at `/api/digests` (subscription, sent digests, 舆情日报 .docx, e-mail preview). */
export function defaultExtraRouters(options: DefaultExtraRouterOptions): ExtraRouter[] {
  const router = createDigestRouter({ db: options.db, config: options.config, queues: options.queues, ...(options.clock ? { clock: options.clock } : {}) });
  return [{ path: '/api/digests', router, roles: [...ROLES.digest], htmlDocuments: ['/preview'] }];
}
