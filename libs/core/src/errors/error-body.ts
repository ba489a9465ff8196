import { STATUS_CODES } from 'node:http';
import { ErrorCode, PlatformError } from './platform-errors.js';

/** The one JSON shape of every error response. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: unknown;
  path?: string;
  timestamp: string;
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  message?: string;
}

/** Turns any thrown value into a status and an {@link ErrorBody}; unknown errors become a 500 without internals. */
export function toErrorBody(err: unknown, path?: string): ErrorBody {
  const { status, code, message, details } = classify(err);
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    code,
    message,
    ...(details === undefined ? {} : { details }),
    ...(path ? { path } : {}),
    timestamp: new Date().toISOString(),
  };
}

function classify(err: unknown): {
  status: number;
  code: string;
  message: string;
  details?: unknown;
} {
  if (err instanceof PlatformError) {
    return { status: err.status, code: err.code, message: err.message, details: err.details };
  }
  const e = (err ?? {}) as HttpLikeError;
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code =
      status === 404
        ? ErrorCode.ROUTE_NOT_FOUND
        : status === 413
          ? ErrorCode.PAYLOAD_TOO_LARGE
          : ErrorCode.INVALID_REQUEST;
    return { status, code, message: e.message ?? 'Bad request' };
  }
  return { status: 500, code: ErrorCode.INTERNAL_ERROR, message: 'Internal server error' };
}
