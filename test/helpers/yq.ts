import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root (tests run `yq` from there, as users do). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = `${REPO_ROOT}packages/cli/src/main.ts`;

/** The environment a `yq` child gets: the parent's minus Yuqing's own variables, plus `env`. */
export function yqEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(DATABASE_URL|REDIS_URL|PORT|HOST|SMTP_URL|PUBLIC_URL|MAIL_FROM|LOG_LEVEL|YQ_.*)$/.test(key)) continue;
    base[key] = value;
  }
  return { ...base, DOTENV_CONFIG_QUIET: 'true', ...env };
}

/**
 * `node --import tsx main.ts`, not the tsx CLI: the CLI runs yq in a grandchild, so a signal sent to the
 * child (SIGKILL in particular) would miss the real process and leave it running.
 */
const NODE_ARGS = ['--import', 'tsx', MAIN];

/** Runs `yq <args>` to completion. */
export function runYq(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
      cwd: REPO_ROOT,
      env: yqEnv(options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Starts a long-running `yq` process (e.g. `start`); the caller stops it. */
export function spawnYq(
  args: string[],
  env: Record<string, string | undefined>,
  options: { launcher?: boolean } = {},
): ChildProcess & { output: () => string } {
  // `launcher`: through packages/cli/bin/yq.mjs and its bundle, as `pnpm yq` runs it for users.
  const entry = options.launcher ? [`${REPO_ROOT}packages/cli/bin/yq.mjs`] : NODE_ARGS;
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: REPO_ROOT,
    env: yqEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: () => string };
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.output = () => output;
  return child;
}
