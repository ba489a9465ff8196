import type { PlatformConfig } from './config/environment.js';
import type { ServerTracing } from './tracing/tracing.js';

export const SERVER_RUNTIME = Symbol('SERVER_RUNTIME');

/** Who this server is. */
export interface ServerIdentity {
  /** Stable id stored in `tools.server_id` (SERVER_A_NAME / SERVER_B_NAME). */
  id: string;
  /** Display name, e.g. "Server A". */
  name: string;
  host: string;
  port: number;
  version: string;
}

/** Everything a server instance is started with, resolved before Nest boots. */
export interface ServerRuntime {
  server: ServerIdentity;
  config: PlatformConfig;
  databaseUrl: string;
  startedAt: Date;
  /** Serving MCP over stdin/stdout (`--stdio`): no HTTP listener, logs on stderr only. */
  stdio?: boolean;
  /** OpenTelemetry traces of this server; absent when OTEL_EXPORTER_OTLP_ENDPOINT is not set. */
  tracing?: ServerTracing;
}
