import { All, Controller, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, JsonRpcExceptionFilter, RateLimit } from '@app/http';
import { ToolCallLimits } from '@app/tools';
import { McpHttpEndpoint } from './mcp-http.endpoint.js';
import { MCP_PATH } from './mcp.providers.js';

/**
 * The Streamable HTTP endpoint at `/mcp` (every method), behind the same pipeline as the REST
 * API: tool callers only, rate-limited per caller, bodies held to the called tool's limits, and
 * every error answered in JSON-RPC. The protocol itself is the endpoint's (the official SDK).
 */
@ApiExcludeController()
@Controller(MCP_PATH)
@Access('caller')
@RateLimit()
@ToolCallLimits()
@UseFilters(JsonRpcExceptionFilter)
export class McpController {
  constructor(private readonly endpoint: McpHttpEndpoint) {}

  @All()
  handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.endpoint.handle(req, res);
  }
}
