export { ToolsModule, type ToolsModuleOptions } from './server.module.js';
export { createServerApp, type ServerDefinition } from './bootstrap/create-server.js';
export {
  runServers,
  startServers,
  type RunningServers,
  type StartOptions,
} from './bootstrap/run-servers.js';
