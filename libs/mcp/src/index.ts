export * from './mcp-app-views.js';
export * from './mcp-http.endpoint.js';
export * from './mcp-stdio.service.js';
export * from './mcp.controller.js';
export * from './mcp.providers.js';
