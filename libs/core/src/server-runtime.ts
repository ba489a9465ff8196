import type { PlatformConfig } from './config/environment.js';
import type { Environment } from './config/validate-environment.js';
import type { ServerTracing } from './tracing/tracing.js';

export const SERVER_RUNTIME = Symbol('SERVER_RUNTIME');

/** Where one server listens and what it is called in the database, as its app's settings say. */
export interface ServerSettings {
  /** Stable id stored in `tools.server_id`, as the app's settings give it. */
  id: string;
  host: string;
  port: number;
  /**
   * The OAuth resource identifier of this server (its public MCP URL), when the app's
   * settings name one; `http://<host>:<port>/mcp` otherwise.
   */
  resource?: string;
}

/** Who this server is. */
export interface ServerIdentity extends ServerSettings {
  /** Display name, as the app gives it. */
  name: string;
  version: string;
}

/** Everything a server instance is started with, resolved before Nest boots. */
export interface ServerRuntime {
  server: ServerIdentity;
  config: PlatformConfig;
  /** The environment the launcher was given: the app's own config namespaces read it. */
  env: Environment;
  databaseUrl: string;
  startedAt: Date;
  /** Serving MCP over stdin/stdout (`--stdio`): no HTTP listener, logs on stderr only. */
  stdio?: boolean;
  /** OpenTelemetry traces of this server; absent when OTEL_EXPORTER_OTLP_ENDPOINT is not set. */
  tracing?: ServerTracing;
}
