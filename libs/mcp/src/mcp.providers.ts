import type { Provider } from '@nestjs/common';
import { McpAppViews } from './mcp-app-views.js';
import { McpHttpEndpoint } from './mcp-http.endpoint.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { McpStdioService } from './mcp-stdio.service.js';
import { McpToolCall } from './mcp-tool-call.js';
import { McpToolCatalog } from './mcp-tool-catalog.js';

/** Path of the Streamable HTTP endpoint on every server. */
export const MCP_PATH = 'mcp';

/** The MCP layer over the tool registry: catalogue, server factory, HTTP endpoint and stdio. */
export const MCP_PROVIDERS: Provider[] = [
  McpAppViews,
  McpToolCatalog,
  McpToolCall,
  McpServerFactory,
  McpHttpEndpoint,
  McpStdioService,
];
