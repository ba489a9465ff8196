import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../config/api-keys.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id: the caller's `X-Request-Id` when sane, otherwise a fresh UUID. */
    id?: string;
    /** The request span's trace id, set only when tracing is on. */
    traceId?: string;
    /** Who sent the request, when it presented a valid API key (set by the access guard). */
    caller?: Caller;
  }
}

/** A request whose JSON body has been read by the body parser. */
export type ParsedRequest = IncomingMessage & { body?: unknown };

export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming id is kept only when it is short and made of safe characters (no log or header injection). */
const SANE_REQUEST_ID = /^[\w.:@=+/;-]{1,128}$/;

/** The caller's request id when it is safe to echo and log, otherwise a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

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

/**
 * The route pattern, not the URL, keeps metric label sets and span names bounded: the
 * route Express matched (every Nest route, Swagger's), else `unmatched`.
 */
export function routeOf(req: IncomingMessage): string {
  const { route, baseUrl } = req as IncomingMessage & {
    route?: { path: unknown };
    baseUrl?: string;
  };
  return route ? `${baseUrl ?? ''}${String(route.path)}` : 'unmatched';
}

/**
 * Aborts when the client goes away before its answer is written (a call then ends as
 * CALL_CANCELLED); already aborted when it has gone before this is asked.
 */
export function clientGoneSignal(res: ServerResponse): AbortSignal {
  const gone = () => new Error('The client closed the request');
  if (res.destroyed && !res.writableFinished) return AbortSignal.abort(gone());
  const clientGone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) clientGone.abort(gone());
  });
  return clientGone.signal;
}
