#!/usr/bin/env tsx
// `yq`: the one command-line entry. Thin: pick the command, let it parse its flags, call a package, print.
import { setFlagsFromString } from 'node:v8';
import { errorCode, errorMessage, YuqingError } from '@yuqing/core';
import type { CommandModule } from './command.ts';

// Prisma's query compiler is WebAssembly. V8 first compiles it with its baseline compiler (Liftoff) and then
// recompiles hot functions with TurboFan on background threads, whose compile memory those threads' malloc arenas
// keep: measured on an analyse worker, 40–75 MB more peak RSS, while the CPU time of storing and analysing 3,000
// mentions stayed the same (1.90 s vs 1.92 s, mean of 3). Set before any command loads Prisma.
setFlagsFromString('--liftoff-only');

/** Every command, loaded lazily so `yq model predict` does not pay for Prisma, Express or Crawlee. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  start: {
    summary: '迁移、初始化并启动整个系统 (dashboard + scheduler + workers)',
    load: () => import('./commands/start.ts'),
  },
  worker: {
    summary: 'run queue workers only: yq worker --queues crawl,ingest,analyse',
    load: () => import('./commands/worker.ts'),
  },
  status: {
    summary: 'counts of sources, mentions, issues, queued jobs (--json)',
    load: () => import('./commands/status.ts'),
  },
  db: { summary: 'yq db migrate | yq db migration <name> | yq db status', load: () => import('./commands/db.ts') },
  seed: { summary: 'create the admin account and demo sources', load: () => import('./commands/seed.ts') },
  'demo-site': { summary: 'serve the built-in demo site alone', load: () => import('./commands/demo-site.ts') },
  crawl: {
    summary: 'yq crawl --source <id|file.json> --once [--out file.jsonl]',
    load: () => import('./commands/crawl.ts'),
  },
  extract: {
    summary: 'yq extract <url>: main content of any article as JSON',
    load: () => import('./commands/extract.ts'),
  },
  model: { summary: 'yq model train|predict|eval|retrain', load: () => import('./commands/model.ts') },
  detect: {
    summary: 'yq detect --input stream.jsonl|export.csv: replay a stream through clustering + hot-issue detection',
    load: () => import('./commands/detect.ts'),
  },
  digest: {
    summary: 'yq digest --date YYYY-MM-DD [--to addr] [--dry-run --out f.eml] [--docx f.docx]',
    load: () => import('./commands/digest.ts'),
  },
  user: { summary: 'yq user add|passwd|list', load: () => import('./commands/user.ts') },
  alert: {
    summary: 'yq alert channel add|list|remove, yq alert test --channel N, yq alert deliveries: 预警推送渠道',
    load: () => import('./commands/alert.ts'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `用法 usage: yq <command> [options]\n\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`yq: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
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
