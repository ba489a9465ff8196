import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { nameRoute } from '@app/core';
import { McpHttpEndpoint } from './mcp-http.endpoint.js';

/** Mounts the MCP endpoint at `/mcp` in the server's Nest middleware chain. */
@Injectable()
export class McpMiddleware implements NestMiddleware {
  constructor(private readonly endpoint: McpHttpEndpoint) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // Not a Nest route, so name it for the request metrics and the access log.
    nameRoute(res, '/mcp');
    this.endpoint.handle(req, res).catch(next);
  }
}
