import type { Request, Response } from 'express';
import { toErrorBody } from '../errors/error-body.js';

/**
 * Answers a request that is refused before reaching its route: the platform's JSON
 * error shape, or a JSON-RPC error on /mcp (MCP clients parse nothing else).
 */
export function sendError(req: Request, res: Response, err: unknown): void {
  const body = toErrorBody(err, req.originalUrl);
  if (isMcpPath(req.path)) {
    const code = body.code === 'MALFORMED_JSON' ? -32700 : -32000;
    res.status(body.statusCode).json({
      jsonrpc: '2.0',
      error: { code, message: body.message, data: { code: body.code } },
      id: jsonRpcIdOf(req.body),
    });
    return;
  }
  res.status(body.statusCode).json(body);
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
