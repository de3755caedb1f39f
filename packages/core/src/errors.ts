/**
 * Error with a stable machine-readable code and a statement of whether retrying can help.
 * Queue workers use `retryable` to decide between a backoff retry and failing the job at once.
 */
export class YuqingError extends Error {
  /** Stable code, e.g. `FETCH_TIMEOUT`, `CONFIG_INVALID`. */
  readonly code: string;
  /** True when the same operation may succeed later (network, lock, a dead Redis). */
  readonly retryable: boolean;
  /** Optional details that are safe to log (no personal data). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'YuqingError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.details) this.details = options.details;
  }
}

/** An error that no retry can fix (bad input, bad configuration, a page that is not an article). */
export class NonRetryableError extends YuqingError {
  constructor(code: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, { ...options, retryable: false });
    this.name = 'NonRetryableError';
  }
}

/** A transient failure: the caller should retry with backoff. */
export class RetryableError extends YuqingError {
  constructor(code: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, { ...options, retryable: true });
    this.name = 'RetryableError';
  }
}

/** Invalid configuration: names the variable and what was expected. */
export class ConfigError extends NonRetryableError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFIG_INVALID', message, details ? { details } : {});
    this.name = 'ConfigError';
  }
}

/** True when `error` says a retry may help; unknown errors are treated as retryable. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof YuqingError) return error.retryable;
  return true;
}

/** The code of a Yuqing error, or `INTERNAL` for anything else. */
export function errorCode(error: unknown): string {
  if (error instanceof YuqingError) return error.code;
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    return (error as { code: string }).code;
  }
  return 'INTERNAL';
}

/** A one-line message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The record asked for does not exist (HTTP 404 at the dashboard). */
export class NotFoundError extends NonRetryableError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('NOT_FOUND', message, options);
    this.name = 'NotFoundError';
  }
}

/**
 * The change clashes with stored state: a duplicate, a record still referenced, a state that forbids it (HTTP 409).
 * `retryable` when the clash may be a race with another writer (a retry then sees the stored row).
 */
export class ConflictError extends YuqingError {
  constructor(
    message: string,
    options: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super('CONFLICT', message, options);
    this.name = 'ConflictError';
  }
}
