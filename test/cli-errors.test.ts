import { describe, expect, it } from 'vitest';
import { runYq } from './helpers/yq.ts';

describe('yq with a bad environment', () => {
  it('names the bad variable, says what it expects, and exits non-zero without starting anything', async () => {
    const result = await runYq(['status', '--json'], { env: { PORT: 'abc', TZ: 'Mars/Base' } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/PORT: expected a TCP port number \(got "abc"\)/);
    expect(result.stderr).toMatch(/TZ: expected an IANA time zone/);
    expect(result.stderr).toMatch(/CONFIG_INVALID/);
    expect(result.stdout).toBe('');
  });

  it('gives a clear error for an unreachable database', async () => {
    const result = await runYq(['status', '--json'], {
      env: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/yuqing' },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1\/yuqing \(DATABASE_URL\)/);
    expect(result.stderr).toMatch(/DB_UNREACHABLE/);
  });

  it('says when the database named in DATABASE_URL does not exist', async () => {
    const result = await runYq(['db', 'migrate'], {
      env: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/yq_missing_database_for_test' },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/database does not exist/);
  });

  it('rejects an unknown command with usage', async () => {
    const result = await runYq(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/未知命令 "frobnicate"/);
  });
});
