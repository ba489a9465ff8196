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
export { ToolsModule, type ToolsModuleOptions } from './tools.module.js';
export { ToolsService } from './tools.service.js';
export { ToolRegistry, type RegisteredTool } from './executor/tool-registry.js';
export { SERVER_RUNTIME, type ServerIdentity, type ServerRuntime } from './server-runtime.js';
export * from './errors/tool-errors.js';
export {
  loadConfig,
  loadDotEnv,
  maskUrl,
  ConfigError,
  type PlatformConfig,
  type UtilitySettings,
} from './config/environment.js';
export {
  resolveDatabase,
  startEmbeddedDatabase,
  type DatabaseHandle,
} from './database/embedded-database.js';
export { createServerApp, type ServerDefinition } from './bootstrap/create-server.js';
export {
  runServers,
  startServers,
  type RunningServers,
  type StartOptions,
} from './bootstrap/run-servers.js';
export { PLATFORM_VERSION } from './version.js';
export { KeyRing, parseApiKeys, type ApiKeyEntry, type Caller } from './security/api-keys.js';
export { accessFor, type Access } from './security/access-policy.js';
export { callerOf, callerName } from './security/caller.js';
