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
    env: { DOTENV_CONFIG_QUIET: 'true', TZ: 'Asia/Shanghai' },
  },
});
