import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from './helpers/net.ts';
import { runYq, spawnYq } from './helpers/yq.ts';

// The whole system as `bash scripts/start.sh` runs it: embedded PGlite, demo site, crawlers fetching it over
// HTTP, analysis, dashboard. Only the ports, data folder and queue prefix are the test's own.
let dataDir: string;
let env: Record<string, string>;
let base: string;
let system: ReturnType<typeof spawnYq> | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'yq-e2e-'));
  const port = await freePort();
  const demoPort = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    YQ_DATA_DIR: dataDir,
    PORT: String(port),
    YQ_DEMO_PORT: String(demoPort),
    YQ_QUEUE_PREFIX: `yqtest-${randomUUID()}`,
    YQ_ADMIN_PASSWORD: 'e2e-admin-pass-2026',
    REDIS_URL: 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'warn',
  };
});

afterAll(async () => {
  if (system && system.exitCode === null) system.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function login(): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: env.YQ_ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: body.csrfToken };
}

describe('yq start --demo (embedded default)', () => {
  it('serves health, crawls the demo site, lists mentions after login, shares the database with other yq processes, and stops cleanly', async () => {
    system = spawnYq(['start', '--demo'], env, { launcher: true });
    const health = await waitFor(
      'the dashboard to answer /api/health',
      async () => {
        if (system!.exitCode !== null) throw new Error(`yq start exited early:\n${system!.output()}`);
        const res = await fetch(`${base}/api/health`).catch(() => undefined);
        return res?.status === 200 ? ((await res.json()) as Record<string, any>) : undefined;
      },
      240_000,
    );
    expect(health).toMatchObject({
      status: 'ok',
      database: { ok: true, kind: 'embedded' },
      redis: { ok: true },
      queues: { ok: true },
    });

    // Without a session the data is refused.
    expect((await fetch(`${base}/api/mentions`)).status).toBe(401);
    const { cookie } = await login();
    const mentions = await waitFor(
      'crawled demo mentions',
      async () => {
        const res = await fetch(`${base}/api/mentions?limit=50`, { headers: { cookie } });
        const body = (await res.json()) as { items: { title: string; url: string }[] };
        return body.items.length >= 5 ? body.items : undefined;
      },
      180_000,
      1000,
    );
    expect(mentions.every((m) => m.url.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(mentions.some((m) => /[\u4e00-\u9fff]/.test(m.title))).toBe(true);

    // Analysis files relevant mentions under issues.
    await waitFor(
      'issues from the analysis workers',
      async () => {
        const res = await fetch(`${base}/api/issues?limit=10`, { headers: { cookie } });
        const body = (await res.json()) as { items: unknown[] };
        return body.items.length > 0 ? body.items : undefined;
      },
      180_000,
      1000,
    );

    // Another yq process uses the same embedded database while the system runs.
    const status = await runYq(['status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const counts = JSON.parse(status.stdout) as { sources: number; mentions: number; issues: number; queued: number };
    expect(counts.sources).toBeGreaterThanOrEqual(4);
    expect(counts.mentions).toBeGreaterThanOrEqual(5);
    expect(counts.issues).toBeGreaterThan(0);
    expect(typeof counts.queued).toBe('number');

    system.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => system!.once('exit', (c) => resolve(c)));
    expect(code, system.output()).toBe(0);
  }, 600_000);

  it('keeps its data across a restart', async () => {
    const status = await runYq(['status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { mentions: number }).mentions).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
