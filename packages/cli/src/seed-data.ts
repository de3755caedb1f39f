import { generatePassword, hashPassword } from '@yuqing/core';
import { countUsers, createUser, type Db } from '@yuqing/db';
import { enqueueCrawls, upsertSources } from '@yuqing/pipeline';
import { demoSourceDefinitions } from '@yuqing/demo-site';
import type { JobQueues } from '@yuqing/queue';

/**
 * Creates the first admin account (with `email`, YQ_ADMIN_EMAIL) if none exists; the password is returned once,
 * never logged.
 */
export async function seedAdmin(
  db: Db,
  password: string | undefined,
  email: string,
): Promise<{ created: boolean; username: string; password?: string }> {
  if ((await countUsers(db, { role: 'admin' })) > 0) return { created: false, username: 'admin' };
  const plain = password ?? generatePassword();
  await createUser(db, {
    username: 'admin',
    displayName: '系统管理员',
    email,
    passwordHash: await hashPassword(plain),
    role: 'admin',
  });
  return { created: true, username: 'admin', password: plain };
}

/** Upserts the demo sources pointing at the demo site at `baseUrl`. */
export async function seedDemoSources(db: Db, baseUrl: string) {
  return upsertSources(db, demoSourceDefinitions(baseUrl));
}

/**
 * Enqueues one crawl now per enabled source that never ran, so a fresh demo shows mentions within seconds.
 * Sources that ran before wait for their schedule: a restart must not re-queue every source (a source whose pages
 * are heavy would then be fetched again on every start). A due source gets the schedule's own job, which the
 * scheduler's first tick then does not enqueue a second time (two jobs for one source made the second wait on the
 * first's lease: a CRAWL_RUN_BUSY warning on every first start). Returns how many were queued.
 */
export async function crawlNeverRunNow(db: Db, queues: JobQueues, timeZone: string): Promise<number> {
  const queued = await enqueueCrawls({ db, queues, timeZone, now: new Date(), dueOnly: false, neverRunOnly: true });
  return queued.length;
}
