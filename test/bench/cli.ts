// `pnpm bench cli [--runs 5]`: how long a `yq` call takes, wall clock and CPU (user + system of the process and
// its children, from /usr/bin/time), the median of --runs calls, for `yq --help`, `yq status` and `yq user list`
// on PostgreSQL and `yq status` on the embedded PGlite database. Each command runs through the launcher users run
// (`pnpm yq`: packages/cli/bin/yq.mjs, the ahead-of-time bundle) and through the earlier path (`tsx main.ts`),
// alternating, in the same run, so both see the same load. Prints figures only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@yuqing/testkit';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(values.runs));

const PATHS = {
  bundle: ['node', 'packages/cli/bin/yq.mjs'],
  tsx: ['node_modules/.bin/tsx', 'packages/cli/src/main.ts'],
} as const;
type PathName = keyof typeof PATHS;

interface Sample {
  wallS: number;
  cpuS: number;
}

/** Runs one call under /usr/bin/time; throws when it fails, so a broken path never reports a fast time. */
function measure(path: PathName, args: string[], env: NodeJS.ProcessEnv): Sample {
  const [command, ...commandArgs] = PATHS[path];
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', 'YQ_BENCH_CPU %U %S', command!, ...commandArgs, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const match = /YQ_BENCH_CPU (\d+\.\d+) (\d+\.\d+)/.exec(result.stderr);
  if (result.status !== 0 || !match)
    throw new Error(`${path} yq ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-800)}`);
  return { wallS, cpuS: Number(match[1]) + Number(match[2]) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const database = await createTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'yq-bench-cli-'));
const base: NodeJS.ProcessEnv = {
  ...process.env,
  DOTENV_CONFIG_QUIET: 'true',
  YQ_QUEUE_PREFIX: `yqbenchcli${process.pid}`,
};
delete base.DATABASE_URL;
const postgres = { ...base, DATABASE_URL: database.url };
const embedded = { ...base, YQ_DATA_DIR: dataDir };
const cases: { name: string; args: string[]; env: NodeJS.ProcessEnv }[] = [
  { name: 'yq --help', args: ['--help'], env: postgres },
  { name: 'yq status (PostgreSQL)', args: ['status', '--json'], env: postgres },
  { name: 'yq user list (PostgreSQL)', args: ['user', 'list'], env: postgres },
  { name: 'yq status (embedded PGlite)', args: ['status', '--json'], env: embedded },
];
try {
  // Warm-up, not measured: builds the bundle if a source changed, and migrates the embedded database once.
  measure('bundle', ['status', '--json'], embedded);
  measure('bundle', ['status', '--json'], postgres);
  process.stdout.write(
    `yq calls, median of ${RUNS} (wall s / CPU s), bundle and tsx alternating; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}\n`,
  );
  process.stdout.write(`${'command'.padEnd(30)} ${'bundle (pnpm yq)'.padEnd(20)} tsx main.ts (before)\n`);
  for (const c of cases) {
    const samples: Record<PathName, Sample[]> = { bundle: [], tsx: [] };
    for (let i = 0; i < RUNS; i++)
      for (const path of Object.keys(PATHS) as PathName[]) samples[path].push(measure(path, c.args, c.env));
    const cell = (path: PathName) =>
      `${median(samples[path].map((s) => s.wallS)).toFixed(2)} / ${median(samples[path].map((s) => s.cpuS)).toFixed(2)}`;
    process.stdout.write(`${c.name.padEnd(30)} ${cell('bundle').padEnd(20)} ${cell('tsx')}\n`);
  }
} finally {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
