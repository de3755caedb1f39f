import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line (passwords, tokens, contact details, message bodies). */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'cookie',
  '*.cookie',
  'authorization',
  '*.authorization',
  'email',
  '*.email',
  'phone',
  '*.phone',
  'body',
  '*.body',
  'text',
  '*.text',
  'req.headers.cookie',
  'req.headers.authorization',
];

/** Logs go to stderr: stdout belongs to command output (`yq status --json`, `yq model predict`, `--out -`). */
const STDERR_FD = 2;

let root: Logger | undefined;
/** Loggers handed out so far; a later {@link configureLogger} sets their level too. */
const handedOut = new Set<WeakRef<Logger>>();

function rootLogger(): Logger {
  root ??= pino(baseOptions('info'), pino.destination({ dest: STDERR_FD, sync: true }));
  return root;
}

/**
 * A JSON logger for one component. Modules create theirs at import time, before the entry point has parsed
 * its configuration; {@link configureLogger} later adjusts every logger's level.
 */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  const logger = rootLogger().child({ component, ...bindings });
  handedOut.add(new WeakRef(logger));
  return logger;
}

/** Called once by an entry point after parsing its configuration. */
export function configureLogger(options: { level: string; destination?: number | string }): Logger {
  if (options.destination !== undefined) {
    root = pino(baseOptions(options.level), pino.destination({ dest: options.destination, sync: true }));
  } else {
    rootLogger().level = options.level;
  }
  for (const ref of handedOut) {
    const logger = ref.deref();
    if (logger) logger.level = options.level;
    else handedOut.delete(ref);
  }
  return rootLogger();
}

function baseOptions(level: string): LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}
