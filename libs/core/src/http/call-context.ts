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
  /** Aborted when the client goes away before its answer. */
  signal?: AbortSignal;
}
