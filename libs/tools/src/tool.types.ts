/** A JSON Schema (draft 2020-12 subset used by MCP) describing an object. */
export type JsonSchema = Record<string, unknown>;

export const PARAMETER_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A parameter as the original REST API describes it. */
export interface ToolParameter {
  name: string;
  type: ParameterType;
  description: string;
  required: boolean;
}

/** MCP tool annotations (hints for clients; never trusted for security). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What a built-in tool declares about itself with `@Tool(...)`. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
  /** Largest request body a call to this tool may send, when above the server's MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Longest JSON array a call to this tool may send, when above MAX_JSON_ARRAY_LENGTH. */
  maxArrayLength?: number;
  /**
   * An OAuth scope a caller's access token must hold, besides `tools:call`, to see and call
   * this tool (API keys are not limited by it).
   */
  requiredScope?: string;
}

/** Who is calling and how; passed to every executor. */
export interface ToolCallContext {
  serverId: string;
  transport: 'rest' | 'mcp';
  requestId?: string;
  caller?: string;
  /** Aborted when the call's time budget runs out or the client goes away. */
  signal: AbortSignal;
  /** W3C `traceparent` of this call's span when tracing is on: HTTP tools send it upstream. */
  traceparent?: string;
}

/**
 * An HTTP endpoint that runs a tool. Header values may be `${ENV_NAME}` references,
 * resolved from the environment at call time so the secret is never stored.
 */
export interface HttpExecutorConfig {
  type: 'http';
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  timeoutMs: number;
}

/** How a runtime tool runs, as stored in `tools.executor`. */
export type ExecutorConfig = HttpExecutorConfig;

/** Something that runs a tool: a built-in handler or the executor of a runtime tool. */
export interface ToolExecutor {
  execute(args: ToolArguments, context: ToolCallContext): Promise<unknown> | unknown;
}

export type ToolArguments = Record<string, unknown>;

/** A built-in tool: an injectable class with `@Tool(...)` and one `execute` method. */
export type ToolHandler = ToolExecutor;
