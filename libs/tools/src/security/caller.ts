import type { IncomingMessage as Request } from 'node:http';
import type { Caller } from './api-keys.js';

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

/** Who asked and in which request: what a tool call carries into logs and audit. */
export function requestOrigin(req: Request): { requestId?: string; caller: string } {
  return { requestId: req.id, caller: callerName(req) };
}
