// `yq --help` and every command's and subcommand's `--help`, through the launcher users run (`pnpm yq` runs
// packages/cli/bin/yq.mjs: the ahead-of-time bundle, rebuilt here when a source is newer).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, yqEnv } from './helpers/yq.ts';

const LAUNCHER = `${REPO_ROOT}packages/cli/bin/yq.mjs`;

/** Nothing answers here: a `--help` that opened the database or Redis would fail. */
const UNREACHABLE = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/yuqing', REDIS_URL: 'redis://127.0.0.1:1' };

function launch(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: REPO_ROOT,
      env: yqEnv({ ...UNREACHABLE, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const COMMANDS = [
  'start',
  'worker',
  'status',
  'db',
  'seed',
  'demo-site',
  'crawl',
  'extract',
  'model',
  'detect',
  'digest',
  'user',
  'token',
  'mcp',
];
const SUBCOMMANDS = [
  ['user', 'add'],
  ['user', 'passwd'],
  ['user', 'list'],
  ['model', 'train'],
  ['model', 'predict'],
  ['model', 'eval'],
  ['model', 'retrain'],
  ['db', 'migrate'],
  ['db', 'migration'],
  ['token', 'create'],
  ['token', 'list'],
  ['token', 'revoke'],
];

describe('yq --help', () => {
  it('lists every command in Chinese', async () => {
    const result = await launch(['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^用法：yq <命令> \[选项\]/);
    for (const name of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    // One language: the summaries are Chinese, no English sentence is mixed in.
    expect(result.stdout).not.toMatch(/usage|run |only|counts of/i);
  }, 120_000);

  it.each(COMMANDS.map((name) => [name]))(
    'yq %s --help answers in Chinese without touching the database',
    async (name) => {
      const result = await launch([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('用法：');
      expect(result.stdout).toContain(`yq ${name}`);
      expect(result.stdout).not.toMatch(/usage/i);
    },
    120_000,
  );

  it.each(SUBCOMMANDS)(
    'yq %s %s --help answers with its command’s help',
    async (name, action) => {
      const result = await launch([name, action!, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`yq ${name} ${action}`);
    },
    120_000,
  );

  it('a wrong flag still fails as a usage error (exit 2)', async () => {
    const result = await launch(['status', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/frobnicate/);
  }, 120_000);

  it('runs the TypeScript through tsx with YQ_NO_BUNDLE=1', async () => {
    const result = await launch(['user', '--help'], { YQ_NO_BUNDLE: '1' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('yq user add');
  }, 120_000);
});
