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
export function mcpAuthInfo(
  caller: string,
  requestId: string | undefined,
  scopes?: ReadonlySet<string>,
): AuthInfo {
  // `extra.scoped` tells an access token's scopes (which limit) from no scopes at all (a key).
  const info: AuthInfo = { token: '', clientId: caller, scopes: scopes ? [...scopes] : [] };
  const extra: Record<string, unknown> = {};
  if (requestId !== undefined) extra.requestId = requestId;
  if (scopes) extra.scoped = true;
  if (requestId !== undefined || scopes) info.extra = extra;
  return info;
}

/** The OAuth scopes limiting the caller of an SDK request, or undefined when none limit it. */
export function scopesOf(ctx: ServerContext): ReadonlySet<string> | undefined {
  const auth = ctx.http?.authInfo;
  return auth?.extra?.scoped === true ? new Set(auth.scopes) : undefined;
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
  const scopes = scopesOf(ctx);
  return {
    transport: 'mcp',
    caller: auth?.clientId ?? STDIO_CALLER,
    requestId: typeof requestId === 'string' ? requestId : String(ctx.mcpReq.id),
    signal: ctx.mcpReq.signal,
    ...(scopes ? { scopes } : {}),
  };
}
