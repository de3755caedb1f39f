// `yq digest subscription` as an administrator runs it (a separate process on PostgreSQL): shows a user's digest
// subscription and which scheduled reports (周报/月报/季报/年报) they receive, changes them, audits the change and
// refuses a report kind it does not know.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, findDigestRecipient, listAudit } from '@yuqing/db';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';
import { runYq } from './helpers/yq.ts';

/** Each case starts yq (tsx, Prisma): on 2 busy shared cores one start took over 100 s. */
const YQ_TEST_TIMEOUT_MS = 240_000;

let testDb: TestDatabase;
let leaderId = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const leader = await createUser(testDb.db, {
    username: 'leader',
    displayName: '王局长',
    email: 'leader@example.gov.cn',
    passwordHash: 'x',
    role: 'leader',
  });
  leaderId = leader.id;
});

afterAll(async () => {
  await testDb?.drop();
});

const yq = (args: string[]) =>
  runYq(['digest', 'subscription', ...args], {
    env: { DATABASE_URL: testDb.url, TZ: 'Asia/Shanghai' },
    timeoutMs: YQ_TEST_TIMEOUT_MS,
  });

describe('yq digest subscription', () => {
  it(
    'shows the defaults, keeps only the 季报 and 年报, then none; each change audited',
    async () => {
      const shown = await yq(['--user', 'leader']);
      expect(shown.stderr).toBe('');
      expect(shown.code).toBe(0);
      expect(shown.stdout).toBe(
        '王局长（leader）：已订阅舆情日报，08:00 发送；定期报告：周报、月报、季报、年报（默认设置）\n',
      );

      const changed = await yq(['--user', 'leader@example.gov.cn', '--reports', 'year,quarter', '--json']);
      expect(changed.code).toBe(0);
      expect(JSON.parse(changed.stdout)).toMatchObject({
        user: 'leader',
        subscription: { enabled: true, reportKinds: ['quarter', 'year'], isDefault: false },
      });
      expect((await findDigestRecipient(testDb.db, leaderId))?.subscription?.reportKinds).toEqual(['quarter', 'year']);

      const none = await yq(['--user', 'leader', '--reports', 'none']);
      expect(none.code).toBe(0);
      expect(none.stdout).toContain('定期报告：无');
      const audit = await listAudit(testDb.db, { entityType: 'DigestSubscription' });
      expect(audit.map((a) => [a.action, a.actorId, (a.details as { fields: string[] }).fields])).toEqual([
        ['digest.subscription.update', null, ['reportKinds']],
        ['digest.subscription.update', null, ['reportKinds']],
      ]);
    },
    YQ_TEST_TIMEOUT_MS * 3,
  );

  it(
    'refuses an unknown report kind and an unknown user, changing nothing',
    async () => {
      const bad = await yq(['--user', 'leader', '--reports', 'week,daily']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--reports expects week,month,quarter,year');
      const nobody = await yq(['--user', 'nobody', '--reports', 'week']);
      expect(nobody.code).not.toBe(0);
      expect(nobody.stderr).toContain('no user with e-mail or name nobody');
      expect((await findDigestRecipient(testDb.db, leaderId))?.subscription?.reportKinds).toEqual([]);
    },
    YQ_TEST_TIMEOUT_MS * 2,
  );
});
