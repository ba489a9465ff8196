export * from './mcp-http.endpoint.js';
export * from './mcp-stdio.service.js';
export * from './mcp.middleware.js';
export * from './mcp.providers.js';
