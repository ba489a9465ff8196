export { Tool, toolDefinitionOf } from './tool.decorator.js';
export type {
  JsonSchema,
  ToolAnnotations,
  ToolArguments,
  ToolCallContext,
  ToolDefinition,
  ToolHandler,
  ToolParameter,
} from './tool.types.js';
export * from './tool.types.js';
export * from './tools.constants.js';
export * from './tools.service.js';
export * from './tools.controller.js';
export * from './tools.repository.js';
export * from './tool-change.listener.js';
export * from './audit/audit.service.js';
export * from './audit/stats.controller.js';
export * from './audit/stats.service.js';
export * from './database/database.js';
export * from './dto/call-request.pipe.js';
export * from './executor/http-executor.js';
export * from './executor/tool-registry.js';
export * from './health/health.controller.js';
export * from './limits/tool-body-limits.js';
export * from './metrics/metrics.controller.js';
export * from './metrics/metrics.js';
export * from './tool-suggestions.js';
export * from './offline-hint.js';
export * from './openapi/openapi-import.controller.js';
export * from './openapi/openapi-import.service.js';
export * from './openapi/openapi-reader.pool.js';
