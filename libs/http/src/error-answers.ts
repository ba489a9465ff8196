import { HttpException, type LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  codeOfStatus,
  ErrorCode,
  type ErrorBody,
  type ParsedRequest,
  PlatformError,
  sendJson,
  toErrorBody,
} from '@app/core';

/**
 * The error body of a failed request, logging the stack when the error is not one of the
 * platform's own and answers 5xx (a bug, not bad input).
 */
function errorBodyOf(req: IncomingMessage, exception: unknown, logger: LoggerService): ErrorBody {
  const { originalUrl } = req as IncomingMessage & { originalUrl?: string };
  const body = toErrorBody(fromNest(exception), originalUrl ?? req.url);
  if (!(exception instanceof PlatformError) && body.statusCode >= 500) {
    logger.error(`${req.method} ${req.url} failed`, (exception as Error)?.stack);
  }
  return body;
}

/** Answers with the platform's one JSON error shape and the error's status. */
export function answerError(
  req: IncomingMessage,
  res: ServerResponse,
  exception: unknown,
  logger: LoggerService,
): void {
  const body = errorBodyOf(req, exception, logger);
  if (!res.headersSent) sendJson(res, body.statusCode, body);
}

/**
 * Answers with a JSON-RPC error (what MCP clients parse) and the error's HTTP status:
 * `{jsonrpc, error: {code, message, data: {code}}, id}`, -32700 for malformed JSON,
 * -32000 otherwise, with the id of the request when its body was read far enough.
 */
export function answerJsonRpcError(
  req: ParsedRequest,
  res: ServerResponse,
  exception: unknown,
  logger: LoggerService,
): void {
  const body = errorBodyOf(req, exception, logger);
  if (res.headersSent) return;
  sendJson(res, body.statusCode, {
    jsonrpc: '2.0',
    error: {
      code: body.code === ErrorCode.MALFORMED_JSON ? -32700 : -32000,
      message: body.message,
      data: { code: body.code },
    },
    id: jsonRpcIdOf(req.body),
  });
}

/** The id of the JSON-RPC request refused, when its body was parsed far enough to have one. */
function jsonRpcIdOf(body: unknown): string | number | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { id } = body as { id?: unknown };
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/** Nest's own HttpExceptions (unknown route, wrong method...) mapped onto platform codes. */
function fromNest(exception: unknown): unknown {
  if (!(exception instanceof HttpException)) return exception;
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message =
    typeof response === 'object' && response !== null && 'message' in response
      ? String((response as { message: unknown }).message)
      : exception.message;
  return new PlatformError(status, codeOfStatus(status), message);
}
