import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorBody } from '@app/core';
import { type ParsedRequest, pathOf, sendJson } from '@app/core';

/**
 * Answers a request that is refused before reaching its route: the platform's JSON
 * error shape, or a JSON-RPC error on /mcp (MCP clients parse nothing else).
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const { originalUrl } = req as IncomingMessage & { originalUrl?: string };
  const body = toErrorBody(err, originalUrl ?? req.url);
  if (isMcpPath(pathOf(req))) {
    const code = body.code === 'MALFORMED_JSON' ? -32700 : -32000;
    sendJson(res, body.statusCode, {
      jsonrpc: '2.0',
      error: { code, message: body.message, data: { code: body.code } },
      id: jsonRpcIdOf((req as ParsedRequest).body),
    });
    return;
  }
  sendJson(res, body.statusCode, body);
}

function isMcpPath(path: string): boolean {
  const p = path.toLowerCase();
  return p === '/mcp' || p === '/mcp/' || p.startsWith('/mcp/');
}

/** The id of the JSON-RPC request refused, when its body was parsed far enough to have one. */
function jsonRpcIdOf(body: unknown): string | number | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { id } = body as { id?: unknown };
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}
