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
      id: null,
    });
    return;
  }
  res.status(body.statusCode).json(body);
}

function isMcpPath(path: string): boolean {
  const p = path.toLowerCase();
  return p === '/mcp' || p === '/mcp/' || p.startsWith('/mcp/');
}
