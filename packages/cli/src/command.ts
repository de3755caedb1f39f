import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NonRetryableError } from '@yuqing/core';

/** A `yq` subcommand: parses its own argv, returns the exit code. */
export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

/** `util.parseArgs` with a usage error that names the command (exit code 2). */
export function parseFlags<T extends ParseArgsConfig['options']>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new NonRetryableError('USAGE', `yq ${command}: ${(error as Error).message}`);
  }
}

/** True when stderr is an interactive terminal: progress is shown there and nowhere else. */
export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && process.env.CI !== 'true';
}
