import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { pathOf } from '@app/core';
import { AccessPolicy, defaultAccess } from './access.policy.js';
import { answerError, answerJsonRpcError } from './error-answers.js';
import { HTTP_PIPELINE_OPTIONS, type HttpPipelineOptions } from './pipeline.options.js';

/**
 * The global filter (APP_FILTER): every error of a REST route, and every error raised before
 * a request reached a route (the in-flight refusal while draining, the docs check, an unknown
 * route), is answered here in the platform's JSON error shape with its status. A request that
 * matches no route is first held to the default policy (admin for changing methods), so
 * probing for routes without a key gets 401/403, not a map of what exists. Requests to a
 * JSON-RPC path (`/mcp`) that fail before their route get the JSON-RPC shape; once routed,
 * the MCP controller's own filter answers them.
 */
@Catch()
@Injectable()
export class RestExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  private readonly jsonRpcPaths: Set<string>;

  constructor(
    private readonly policy: AccessPolicy,
    @Inject(HTTP_PIPELINE_OPTIONS) options: HttpPipelineOptions,
  ) {
    this.jsonRpcPaths = new Set(options.jsonRpcPaths.map((p) => p.toLowerCase()));
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    let error = exception;
    // Nest's router throws NotFoundException only when no route matched; routes throw the platform's errors.
    if (exception instanceof NotFoundException) {
      try {
        this.policy.check(req, res, defaultAccess(req.method));
      } catch (refusal) {
        error = refusal;
      }
    }
    if (this.isJsonRpcPath(pathOf(req))) answerJsonRpcError(req, res, error, this.logger);
    else answerError(req, res, error, this.logger);
  }

  /** Express ignores case and a trailing slash when it matches routes; so does this. */
  private isJsonRpcPath(path: string): boolean {
    if (this.jsonRpcPaths.size === 0) return false;
    const p = path.toLowerCase();
    return this.jsonRpcPaths.has(p.endsWith('/') ? p.slice(0, -1) : p);
  }
}

/**
 * The MCP controller's filter: every error of a request to /mcp (refused by a guard, a body
 * the parser or the tool's limits refuse, a failure of the endpoint) answered as a JSON-RPC
 * error, the only thing MCP clients parse.
 */
@Catch()
export class JsonRpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    answerJsonRpcError(
      http.getRequest<Request>(),
      http.getResponse<Response>(),
      exception,
      this.logger,
    );
  }
}
