/**
 * Where a tool call comes from, built once at the edge (REST controller, MCP controller,
 * stdio) and carried unchanged to the tool: what audit, logs, metrics and rate limits know it by.
 */
export interface CallContext {
  transport: 'rest' | 'mcp';
  /** The HTTP request's id; over stdio, the JSON-RPC id. */
  requestId: string;
  /** The key's name, or `ip:<address>` for an anonymous caller, or `stdio`. */
  caller: string;
  /**
   * The OAuth scopes of the caller's access token; absent when nothing but the route's access
   * level limits the caller (an API key, a loopback caller, stdio).
   */
  scopes?: ReadonlySet<string>;
  /** Aborted when the client goes away before its answer. */
  signal?: AbortSignal;
}
