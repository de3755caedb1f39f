#!/usr/bin/env tsx
// `yq`: the one command-line entry. Thin: pick the command, let it parse its flags, call a package, print.
import { setFlagsFromString } from 'node:v8';
import { errorCode, errorMessage, YuqingError } from '@yuqing/core';
import type { CommandModule } from './command.ts';
import { commandHelp, overviewHelp, wantsHelp, type CommandName } from './help.ts';

// Prisma's query compiler is WebAssembly. V8 first compiles it with its baseline compiler (Liftoff) and then
// recompiles hot functions with TurboFan on background threads, whose compile memory those threads' malloc arenas
// keep: measured on an analyse worker, 40–75 MB more peak RSS, while the CPU time of storing and analysing 3,000
// mentions stayed the same (1.90 s vs 1.92 s, mean of 3). Set before any command loads Prisma.
setFlagsFromString('--liftoff-only');

/** Every command, loaded lazily so `yq model predict` does not pay for Prisma, Express or Crawlee. */
const COMMANDS: Record<CommandName, () => Promise<CommandModule>> = {
  start: () => import('./commands/start.ts'),
  worker: () => import('./commands/worker.ts'),
  status: () => import('./commands/status.ts'),
  db: () => import('./commands/db.ts'),
  seed: () => import('./commands/seed.ts'),
  'demo-site': () => import('./commands/demo-site.ts'),
  crawl: () => import('./commands/crawl.ts'),
  extract: () => import('./commands/extract.ts'),
  model: () => import('./commands/model.ts'),
  detect: () => import('./commands/detect.ts'),
  digest: () => import('./commands/digest.ts'),
  user: () => import('./commands/user.ts'),
  alert: () => import('./commands/alert.ts'),
  token: () => import('./commands/token.ts'),
  mcp: () => import('./commands/mcp.ts'),
  report: () => import('./commands/report.ts'),
  replies: () => import('./commands/replies.ts'),
  policy: () => import('./commands/policy.ts'),
  source: () => import('./commands/source.ts'),
  import: () => import('./commands/import.ts'),
};

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overviewHelp());
    return name ? 0 : 2;
  }
  if (!isCommand(name)) {
    process.stderr.write(`yq：未知命令 ${JSON.stringify(name)}\n\n${overviewHelp()}`);
    return 2;
  }
  // Answered here, before the command and its packages load: every command and subcommand takes --help.
  if (wantsHelp(rest)) {
    process.stdout.write(commandHelp(name));
    return 0;
  }
  const command = await COMMANDS[name]();
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = errorCode(error);
    const hint = error instanceof YuqingError && error.retryable ? ' (temporary: retrying later may help)' : '';
    process.stderr.write(`yq: ${errorMessage(error)}${hint} [${code}]\n`);
    if (process.env.YQ_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = error instanceof YuqingError && error.code === 'USAGE' ? 2 : 1;
  },
);
