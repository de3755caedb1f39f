import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line (passwords, tokens, contact details, message bodies). */
const REDACTED_PATHS = [
  'password', '*.password', 'passwordHash', '*.passwordHash', 'token', '*.token', 'cookie', '*.cookie',
  'authorization', '*.authorization', 'email', '*.email', 'phone', '*.phone', 'body', '*.body', 'text', '*.text',
  'req.headers.cookie', 'req.headers.authorization',
];

let root: Logger | undefined;

/**
 * The process-wide JSON logger. Level comes from the entry point's parsed config via {@link configureLogger};
 * before that, `info`. Child loggers carry a `component` name.
 */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  root ??= pino(baseOptions('info'));
  return root.child({ component, ...bindings });
}

/** Called once by an entry point after parsing its configuration. */
export function configureLogger(options: { level: string; destination?: number | string }): Logger {
  const destination = options.destination === undefined ? undefined : pino.destination({ dest: options.destination, sync: true });
  root = destination ? pino(baseOptions(options.level), destination) : pino(baseOptions(options.level));
  return root;
}

function baseOptions(level: string): LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}
