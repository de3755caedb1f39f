import { writeSync } from 'node:fs';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { prettyFactory } from 'pino-pretty';

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
  'secret',
  '*.secret',
  'secretKey',
  '*.secretKey',
];

/** Logs go to stderr: stdout belongs to command output (`yq status --json`, `yq model predict`, `--out -`). */
const STDERR_FD = 2;

/** `pretty`: one readable line per entry, for people at a terminal (the default); `json`: pino's JSON lines. */
export type LogFormat = 'pretty' | 'json';

/**
 * Where every logger writes. Modules create their loggers when first imported, before the entry point has read
 * its configuration, so the format and the file descriptor are switched here rather than by replacing loggers.
 * Writes are synchronous: the last lines before an exit are never lost.
 */
class LogSink implements DestinationStream {
  format: LogFormat = 'pretty';
  fd = STDERR_FD;
  private prettify: ((line: string) => string) | undefined;

  write(line: string): void {
    if (this.format === 'json') {
      writeSync(this.fd, line);
      return;
    }
    this.prettify ??= prettyFactory({
      colorize: Boolean(process.stderr.isTTY),
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
      singleLine: true,
    });
    writeSync(this.fd, this.prettify(line));
  }
}

const sink = new LogSink();
let root: Logger | undefined;
/** Loggers handed out so far; a later {@link configureLogger} sets their level too. */
const handedOut = new Set<WeakRef<Logger>>();

function rootLogger(): Logger {
  root ??= pino(baseOptions('info'), sink);
  return root;
}

/**
 * A logger for one component. Modules create theirs at import time, before the entry point has parsed its
 * configuration; {@link configureLogger} later adjusts every logger's level and format.
 */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  const logger = rootLogger().child({ component, ...bindings });
  handedOut.add(new WeakRef(logger));
  return logger;
}

/**
 * Called once by an entry point after parsing its configuration.
 * @param options.destination a file descriptor (default stderr)
 * @param options.format `pretty` (default) or `json` (`LOG_FORMAT=json`)
 */
export function configureLogger(options: { level: string; destination?: number; format?: LogFormat }): Logger {
  if (options.destination !== undefined) sink.fd = options.destination;
  if (options.format !== undefined) sink.format = options.format;
  rootLogger().level = options.level;
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
