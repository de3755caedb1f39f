// `yq seed` gives the first admin an e-mail address (YQ_ADMIN_EMAIL, default admin@localhost), so the
// admin can receive digests and notices from the start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByUsername } from '@yuqing/db';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';
import { runYq } from './helpers/yq.ts';

/** One `yq` call on a busy 2-core machine can take 15 s or more. */
const YQ_TIMEOUT_MS = 120_000;

const databases: TestDatabase[] = [];

beforeAll(async () => {
  databases.push(await createTestDatabase(), await createTestDatabase());
}, YQ_TIMEOUT_MS);

afterAll(async () => {
  for (const d of databases) await d.drop();
});

describe('yq seed: the first admin’s e-mail address', () => {
  it.each([
    ['the default', 0, undefined, 'admin@localhost'],
    ['YQ_ADMIN_EMAIL', 1, 'ops@hrss.example.gov.cn', 'ops@hrss.example.gov.cn'],
  ] as const)(
    'takes %s',
    async (_name, index, email, expected) => {
      const database = databases[index]!;
      const res = await runYq(['seed'], {
        env: { DATABASE_URL: database.url, YQ_ADMIN_PASSWORD: 'seed-password-123', YQ_ADMIN_EMAIL: email },
        timeoutMs: YQ_TIMEOUT_MS,
      });
      expect(res.code, res.stderr).toBe(0);
      expect((await findUserByUsername(database.db, 'admin'))?.email).toBe(expected);
    },
    YQ_TIMEOUT_MS,
  );
});
