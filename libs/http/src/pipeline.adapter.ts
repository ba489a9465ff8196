import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Caller } from '@app/core';
import { BODY_BYTES } from './json-body.guard.js';

/**
 * Node's request with every field that Express, the body parser and the pipeline set on it
 * declared from the start. Express gives each request and response a new prototype; V8 then
 * makes every property added afterwards a new hidden class, about 10 µs each, which measured
 * as most of Express's own cost per request. Declared here, those writes change values only.
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
}

/**
 * Nest's Express adapter, serving with {@link PipelineRequest} and {@link PipelineResponse}
 * (Node's `IncomingMessage` and `ServerResponse` server options), over HTTPS when
 * `httpsOptions` are given. The pipeline has its own draining (InFlightRequests): Nest's
 * `return503OnClosing` and `forceCloseConnections` are not offered.
 */
export class PipelineExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.return503OnClosing || options?.forceCloseConnections) {
      throw new Error('PipelineExpressAdapter: use InFlightRequests to drain, not Nest options');
    }
    const classes = { IncomingMessage: PipelineRequest, ServerResponse: PipelineResponse };
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
