import type { AuthInfo, ServerContext } from '@modelcontextprotocol/server';
import type { CallContext } from '@app/core';

/** The caller of a stdio connection: the local process that started the server. */
export const STDIO_CALLER = 'stdio';

/**
 * Who sent one HTTP request, in the SDK's own per-request pass-through: `authInfo` given
 * to `createMcpHandler`'s `fetch` reaches every request handler as `ctx.http.authInfo`
 * (both protocol revisions), untouched by the SDK. The caller (a key's name, or
 * `ip:<address>`) is the client id; the request id rides in `extra`. The token is empty:
 * callers prove who they are to the pipeline before the endpoint, and no secret is passed on.
 */
export function mcpAuthInfo(caller: string, requestId: string | undefined): AuthInfo {
  const info: AuthInfo = { token: '', clientId: caller, scopes: [] };
  if (requestId !== undefined) info.extra = { requestId };
  return info;
}

/**
 * The {@link CallContext} of a tool call made through an SDK request handler: caller and
 * request id from {@link mcpAuthInfo} over HTTP; over stdio (no `authInfo`) the caller is
 * {@link STDIO_CALLER} and the request id the JSON-RPC id. The signal is the SDK's own for
 * the request: aborted when the exchange closes (the HTTP client went away, a stdio
 * `notifications/cancelled`, or shutdown).
 */
export function callContextOf(ctx: ServerContext): CallContext {
  const auth = ctx.http?.authInfo;
  const requestId = auth?.extra?.requestId;
  return {
    transport: 'mcp',
    caller: auth?.clientId ?? STDIO_CALLER,
    requestId: typeof requestId === 'string' ? requestId : String(ctx.mcpReq.id),
    signal: ctx.mcpReq.signal,
  };
}
