import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'crawlers/src/**/*.test.ts',
      'dashboard/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'data/**', 'test-artifacts/**'],
    setupFiles: ['test/setup/quiet-logs.ts'],
    // Real PostgreSQL, Redis, Chromium and nodejieba (~300 MB each) on 2 cores: two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a state (a page re-rendered after a POST, a job stored). Vitest's default gives up
    // after 1 s, less than one such round trip takes on this machine under load: the browser tests failed with
    // "expected 0 to be 1" and "expected '新发现' to be '已确认'" while the page was still on its way there.
    expect: { poll: { timeout: 20_000 } },
    env: { DOTENV_CONFIG_QUIET: 'true', TZ: 'Asia/Shanghai' },
  },
});
