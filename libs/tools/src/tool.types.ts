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
   * The settings of its app that make this tool answer without the network (its provider
   * variable set to `simulated`): named to the caller when its data provider fails.
   */
  offline?: Record<string, string>;
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
  /** The endpoint; for an imported operation the API's base URL, its path in `request.path`. */
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  timeoutMs: number;
  /**
   * Where each argument goes (imported OpenAPI operations). Without it, the arguments are
   * the JSON body (POST) or the query string (GET).
   */
  request?: HttpRequestMapping;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How an OpenAPI operation's arguments become a request: path, query, headers and JSON body. */
export interface HttpRequestMapping {
  /** Appended to `url`, with `{name}` templates filled from path parameters. */
  path: string;
  parameters: HttpParameterMapping[];
  /**
   * The JSON body: the argument named `argument` as it is, or the object made of the
   * arguments named in `properties` (a body flattened into the tool's arguments).
   */
  body?: { argument: string } | { properties: string[] };
}

/** One path, query or header parameter, serialised as its document's `style` and `explode` say. */
export interface HttpParameterMapping {
  name: string;
  in: 'path' | 'query' | 'header';
  style: 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  explode: boolean;
  /** RFC 3986 reserved characters go unencoded in a query value (OpenAPI `allowReserved`). */
  allowReserved?: boolean;
}

/** The operation of an OpenAPI document an imported tool runs. */
export interface ImportedOperation {
  operationId: string;
  method: string;
  path: string;
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
