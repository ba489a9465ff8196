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
  type?: string;
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
  // body-parser / raw-body errors carry a `type` and a 4xx status.
  switch (e.type) {
    case 'entity.parse.failed':
      return {
        status: 400,
        code: ErrorCode.MALFORMED_JSON,
        message: 'The request body is not valid JSON',
      };
    case 'entity.too.large':
      return {
        status: 413,
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        message: 'The request body is too large',
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        message: e.message ?? 'Unsupported encoding',
      };
    case 'request.aborted':
    case 'request.size.invalid':
      return {
        status: 400,
        code: ErrorCode.INVALID_REQUEST,
        message: 'The request body was incomplete',
      };
  }
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
