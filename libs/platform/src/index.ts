export { ToolsModule, type ToolsModuleOptions } from './server.module.js';
export { createServerApp } from './bootstrap/create-server.js';
export type { DataProviderChoice, ServerDefinition } from './bootstrap/server-definition.js';
export { startupSummary, type StartedServer } from './bootstrap/startup-summary.js';
export {
  loadLaunchConfig,
  runServers,
  startServers,
  type LaunchConfig,
  type RunningServers,
  type StartOptions,
} from './bootstrap/run-servers.js';
