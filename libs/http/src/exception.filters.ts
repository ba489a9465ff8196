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
import { InsufficientScopeError, pathOf } from '@app/core';
import type { OAuthResourceServer } from './oauth/oauth-resource-server.js';
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
  private readonly oauth?: OAuthResourceServer;

  constructor(
    private readonly policy: AccessPolicy,
    @Inject(HTTP_PIPELINE_OPTIONS) options: HttpPipelineOptions,
  ) {
    this.jsonRpcPaths = new Set(options.jsonRpcPaths.map((p) => p.toLowerCase()));
    this.oauth = options.oauth;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // Nest's router throws NotFoundException only when no route matched; routes throw the platform's errors.
    if (exception instanceof NotFoundException) {
      let checked: void | Promise<void>;
      try {
        checked = this.policy.check(req, res, defaultAccess(req.method));
      } catch (refusal) {
        return this.answer(req, res, refusal);
      }
      if (checked) {
        checked.then(
          () => this.answer(req, res, exception),
          (refusal: unknown) => this.answer(req, res, refusal),
        );
        return;
      }
    }
    this.answer(req, res, exception);
  }

  private answer(req: Request, res: Response, error: unknown): void {
    setScopeChallenge(res, error, this.oauth);
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
@Injectable()
export class JsonRpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  private readonly oauth?: OAuthResourceServer;

  constructor(@Inject(HTTP_PIPELINE_OPTIONS) options: HttpPipelineOptions) {
    this.oauth = options.oauth;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    setScopeChallenge(res, exception, this.oauth);
    answerJsonRpcError(http.getRequest<Request>(), res, exception, this.logger);
  }
}

/**
 * A 403 for a missing scope carries its `insufficient_scope` challenge wherever it was
 * raised (the access guard, a tool's own scope at call time), so a client can step up.
 */
function setScopeChallenge(
  res: Response,
  error: unknown,
  oauth: OAuthResourceServer | undefined,
): void {
  if (!oauth || !(error instanceof InsufficientScopeError) || res.headersSent) return;
  res.setHeader('WWW-Authenticate', oauth.insufficientScope(error.scopes, error.message));
}
