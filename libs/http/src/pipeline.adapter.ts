import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import {
  createServer,
  IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Caller } from '@app/core';
import { BODY_BYTES } from './json-body.guard.js';

/**
 * Node's request with every field that Express, the body parser and the pipeline set on it
 * declared from the start, so those writes change values only, never the request's hidden
 * class: each such change cost about 10 µs, measured as most of Express's own cost per request.
 */
export class PipelineRequest extends IncomingMessage {
  // EventEmitter's listener count: 0 on its prototype until the first listener (the body parser's).
  _eventsCount = 0;
  // Express and its router
  res?: ServerResponse = undefined;
  next?: unknown = undefined;
  baseUrl?: string = undefined;
  originalUrl?: string = undefined;
  _parsedUrl?: unknown = undefined;
  params?: unknown = undefined;
  route?: unknown = undefined;
  // body-parser, and the byte count the JSON body guard records
  body?: unknown = undefined;
  [BODY_BYTES]?: number = undefined;
  // the platform's own (declared on IncomingMessage in @app/core)
  override id?: string = undefined;
  override traceId?: string = undefined;
  override caller?: Caller = undefined;
}

/** Node's response with the fields Express sets on it declared from the start (see {@link PipelineRequest}). */
export class PipelineResponse extends ServerResponse<PipelineRequest> {
  locals?: Record<string, unknown> = undefined;
  override statusCode = 200;
  // Set by writeHead. Node types it a string, yet it is undefined until then, as here.
  override statusMessage = undefined as unknown as string;

  /**
   * Set on a long-lived stream (see {@link sendHeadersAtOnce}): its headers go out as soon as
   * they are written. They open the stream, so the client learns at once that it is listening;
   * and sent alone they are sent as one flat string, while sent with the first event Node keeps
   * them for the stream's life as a rope of some 70 pieces (about 2 KB per MCP subscription).
   * Other responses send their headers with their first bytes: one write, not two.
   */
  sendHeadersAtOnce?: boolean = false;

  override writeHead(
    statusCode: number,
    messageOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    if (typeof messageOrHeaders === 'string')
      super.writeHead(statusCode, messageOrHeaders, headers);
    else super.writeHead(statusCode, messageOrHeaders);
    if (this.sendHeadersAtOnce) this.flushHeaders();
    return this;
  }
}

/** Marks `res` as a long-lived stream whose headers go out as soon as they are written. */
export function sendHeadersAtOnce(res: ServerResponse): void {
  if ('sendHeadersAtOnce' in res) (res as PipelineResponse).sendHeadersAtOnce = true;
}

/**
 * A subclass of `base` whose prototype takes the place of Express's `app.request` (or
 * `app.response`): Express's methods behind it, `base`'s methods and the application's own
 * properties on it. Express sets every request's prototype to `app.request` (and every
 * response's to `app.response`); on an instance born with it, that is a no-op. Otherwise V8
 * gives each request a hidden class of its own, with its own descriptor array (about 1.2 KB),
 * kept as long as the request lives: a real cost for the thousands of MCP listening streams a
 * server holds.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript's rule for a class extended by a generic base (a mixin)
function adopted<T extends new (...args: any[]) => object>(base: T, expressPrototype: object): T {
  const Adopted = class extends base {};
  Object.setPrototypeOf(Adopted.prototype, Object.getPrototypeOf(expressPrototype) as object);
  // `base`'s own methods stay (their `super` is still Node's), then the application's properties.
  const { constructor: _, ...methods } = Object.getOwnPropertyDescriptors(base.prototype);
  Object.defineProperties(Adopted.prototype, methods);
  Object.defineProperties(Adopted.prototype, Object.getOwnPropertyDescriptors(expressPrototype));
  return Adopted;
}

/**
 * Nest's Express adapter, serving with {@link PipelineRequest} and {@link PipelineResponse}
 * (Node's `IncomingMessage` and `ServerResponse` server options) born with Express's
 * prototypes, over HTTPS when `httpsOptions` are given. The pipeline has its own draining (InFlightRequests): Nest's
 * `return503OnClosing` and `forceCloseConnections` are not offered.
 */
export class PipelineExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.return503OnClosing || options?.forceCloseConnections) {
      throw new Error('PipelineExpressAdapter: use InFlightRequests to drain, not Nest options');
    }
    const app = this.getInstance<{ request: object; response: object }>();
    const classes = {
      IncomingMessage: adopted(PipelineRequest, app.request),
      ServerResponse: adopted(PipelineResponse, app.response),
    };
    app.request = classes.IncomingMessage.prototype;
    app.response = classes.ServerResponse.prototype;
    this.httpServer = options?.httpsOptions
      ? createHttpsServer({ ...options.httpsOptions, ...classes }, this.getInstance())
      : createServer(classes, this.getInstance());
  }

  /**
   * Nest closes the server after `beforeApplicationShutdown`, that is after InFlightRequests
   * has drained: whatever connection is still open then is idle, a call past
   * SHUTDOWN_GRACE_MS or a stream its owner did not end, and is cut so the close completes.
   */
  override close(): Promise<unknown> | undefined {
    const closed = super.close();
    this.httpServer?.closeAllConnections();
    return closed;
  }
}
