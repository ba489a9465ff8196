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

/**
 * The platform's code for the HTTP status an error from elsewhere carries (Nest's exceptions,
 * Express's and its body parser's errors): one table for every such error.
 */
export function codeOfStatus(status: number): ErrorCode {
  if (status === 404) return ErrorCode.ROUTE_NOT_FOUND;
  if (status === 413) return ErrorCode.PAYLOAD_TOO_LARGE;
  if (status === 415) return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
  if (status >= 500) return ErrorCode.INTERNAL_ERROR;
  return ErrorCode.INVALID_REQUEST;
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
    return { status, code: codeOfStatus(status), message: e.message ?? 'Bad request' };
  }
  return { status: 500, code: ErrorCode.INTERNAL_ERROR, message: 'Internal server error' };
}
