import type { IncomingMessage as Request, ServerResponse } from 'node:http';
import type { CallContext } from './call-context.js';
import { clientGoneSignal, REQUEST_ID_HEADER, requestIdFrom } from './node-http.js';

/** A stable name for logs, audit and rate limits: the key's name, else the client address. */
export function callerName(req: Request): string {
  return req.caller?.name ?? `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

/** The request's id (set by the request-context middleware; made here from the header if not). */
export function requestIdOf(req: Request): string {
  return (req.id ??= requestIdFrom(req.headers[REQUEST_ID_HEADER]));
}

/** The one context of a tool call made over HTTP: request id, caller and client-gone signal. */
export function callContext(
  req: Request,
  res: ServerResponse,
  transport: CallContext['transport'],
): CallContext {
  return new HttpCallContext(transport, requestIdOf(req), callerName(req), res, req.caller?.scopes);
}

/**
 * Its signal is made on first read: a call that answers synchronously (most built-in tools)
 * never reads it, and so costs no controller and no listener on the response.
 */
class HttpCallContext implements CallContext {
  readonly #res: ServerResponse;
  #signal?: AbortSignal;

  constructor(
    readonly transport: CallContext['transport'],
    readonly requestId: string,
    readonly caller: string,
    res: ServerResponse,
    readonly scopes?: ReadonlySet<string>,
  ) {
    this.#res = res;
  }

  get signal(): AbortSignal {
    return (this.#signal ??= clientGoneSignal(this.#res));
  }
}
