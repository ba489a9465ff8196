import type { IncomingMessage, ServerResponse } from 'node:http';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id: the caller's `X-Request-Id` when sane, otherwise a fresh UUID. */
    id?: string;
    /** The request span's trace id, set only when tracing is on. */
    traceId?: string;
  }
}

/** A request whose JSON body has been read (by the call lane or by Express's body parser). */
export type ParsedRequest = IncomingMessage & { body?: unknown };

/**
 * One step of the front door: Node's own request and response, so that the same step runs
 * in front of Express (see bootstrap/front-door.ts) and, were it mounted there, inside it.
 * It either answers or calls `next`; `next(err)` answers `err` as a platform error.
 */
export type Step = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void | Promise<void>;

/** The path of a request, without its query string (Express's `req.path`). */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Answers with a JSON body, as Express's `res.status(status).json(body)` does. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

const ROUTE = Symbol('route');
type Named = ServerResponse & { [ROUTE]?: string };

/** Names the route of a response served outside Nest's router (/mcp, the call lane). */
export function nameRoute(res: ServerResponse, route: string): void {
  (res as Named)[ROUTE] = route;
}

/**
 * The route pattern, not the URL, keeps metric label sets and span names bounded: Nest's
 * route when Express matched one, else the name given with {@link nameRoute}, else `unmatched`.
 */
export function routeOf(req: IncomingMessage, res: ServerResponse): string {
  const { route, baseUrl } = req as IncomingMessage & {
    route?: { path: unknown };
    baseUrl?: string;
  };
  if (route) return `${baseUrl ?? ''}${String(route.path)}`;
  return (res as Named)[ROUTE] ?? 'unmatched';
}

/** Aborts when the client goes away before its answer is written (a call then ends as CALL_CANCELLED). */
export function clientGoneSignal(res: ServerResponse): AbortSignal {
  const clientGone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) clientGone.abort(new Error('The client closed the request'));
  });
  return clientGone.signal;
}
