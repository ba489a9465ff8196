import type { IncomingMessage as Request, ServerResponse } from 'node:http';
import { clientGoneSignal } from './node-http.js';
import type { Caller } from '../config/api-keys.js';

const callers = new WeakMap<Request, Caller>();

/** Records who made a request once their key has been checked. */
export function setCaller(req: Request, caller: Caller): void {
  callers.set(req, caller);
}

/** The authenticated caller of a request, if it presented a valid key. */
export function callerOf(req: Request): Caller | undefined {
  return callers.get(req);
}

/** A stable name for logs, audit and rate limits: the key's name, else the client address. */
export function callerName(req: Request): string {
  return callers.get(req)?.name ?? `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * Where a tool call comes from: the request's id and caller (logs, audit) and a signal that
 * aborts when the client goes away before its answer (the call then ends as CALL_CANCELLED).
 */
export function callOrigin(
  req: Request,
  res: ServerResponse,
): { requestId?: string; caller: string; signal: AbortSignal } {
  return { requestId: req.id, caller: callerName(req), signal: clientGoneSignal(res) };
}
