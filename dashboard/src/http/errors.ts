import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import { createLogger, errorCode, errorMessage, YuqingError } from '@yuqing/core';

const log = createLogger('dashboard');

/** An error with the HTTP status and stable code the API reports. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The one error shape every API route returns. */
export interface ErrorBody {
  error: { message: string; code: string; status: number };
}

/** Maps the project's error codes (from @yuqing/db and the domain rules) to HTTP statuses. */
const STATUS_BY_CODE: Record<string, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID: 400,
  INVALID_CURSOR: 400,
  // multer
  LIMIT_FILE_SIZE: 413,
  LIMIT_UNEXPECTED_FILE: 400,
  LIMIT_FILE_COUNT: 400,
  LIMIT_FIELD_VALUE: 413,
};

/** Turns anything thrown into `{ error: { message, code, status } }`; 5xx details stay in the log. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof HttpError) return { error: { message: error.message, code: error.code, status: error.status } };
  if (error instanceof ZodError) {
    const message = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return { error: { message, code: 'VALIDATION_FAILED', status: 400 } };
  }
  const e = error as { type?: string; status?: number; statusCode?: number; code?: string; name?: string };
  if (e && typeof e === 'object' && typeof e.type === 'string' && (e.status ?? e.statusCode ?? 500) < 500) {
    // body-parser errors: malformed JSON, body too large, wrong charset.
    const status = e.status ?? e.statusCode ?? 400;
    return {
      error: {
        message:
          e.type === 'entity.too.large'
            ? '请求体过大 (request body too large)'
            : '请求格式错误 (malformed request body)',
        code: e.type.toUpperCase().replace(/\./g, '_'),
        status,
      },
    };
  }
  const code = errorCode(error);
  const mapped = STATUS_BY_CODE[code];
  if (mapped) {
    const message = code === 'LIMIT_FILE_SIZE' ? '文件过大 (file too large)' : errorMessage(error);
    return { error: { message, code, status: mapped } };
  }
  // A lost database answered 500 before its errors were classed as retryable: keep that answer.
  if (code === 'DB_UNAVAILABLE')
    return { error: { message: '服务器内部错误 (internal error)', code: 'INTERNAL', status: 500 } };
  if (error instanceof YuqingError && !error.retryable)
    return { error: { message: error.message, code: error.code, status: 400 } };
  if (error instanceof YuqingError) return { error: { message: error.message, code: error.code, status: 503 } };
  return { error: { message: '服务器内部错误 (internal error)', code: 'INTERNAL', status: 500 } };
}

/** Express error handler for /api: logs server faults, answers with the error shape. */
export function apiErrorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const body = toErrorBody(error);
  if (body.error.status >= 500)
    log.error(
      { err: errorMessage(error), code: errorCode(error), method: req.method, path: req.path },
      'request failed',
    );
  res.status(body.error.status).json(body);
}
