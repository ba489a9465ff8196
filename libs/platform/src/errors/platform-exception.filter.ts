import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  type LoggerService,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { sendError } from '../security/respond.js';
import { ErrorCode, PlatformError } from '@app/core';
import { toErrorBody } from '@app/core';

/** Turns every exception into the platform's one JSON error shape with the right status. */
@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    answerException(ctx.getRequest<Request>(), ctx.getResponse<Response>(), exception, this.logger);
  }
}

/**
 * Answers a request whose handler (or front-door step) threw: the platform's error shape with
 * its status ({@link sendError}: a JSON-RPC error on /mcp), and a log line with the stack when
 * the error was not one of the platform's own (a bug, not bad input). `where` ends the log line.
 */
export function answerException(
  req: IncomingMessage,
  res: ServerResponse,
  exception: unknown,
  logger: LoggerService,
  where = '',
): void {
  const error = fromNest(exception);
  if (!(exception instanceof PlatformError) && toErrorBody(error).statusCode >= 500) {
    logger.error(`${req.method} ${req.url} failed${where}`, (exception as Error)?.stack);
  }
  if (res.headersSent) return;
  sendError(req, res, error);
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
  const code =
    status === 404
      ? ErrorCode.ROUTE_NOT_FOUND
      : status === 413
        ? ErrorCode.PAYLOAD_TOO_LARGE
        : status >= 500
          ? ErrorCode.INTERNAL_ERROR
          : ErrorCode.INVALID_REQUEST;
  return new PlatformError(status, code, message);
}
