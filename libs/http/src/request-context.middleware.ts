import type { NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER, requestIdFrom, routeOf } from '@app/core';

/** Where request metrics go (the server's Prometheus registry). */
export interface RequestMetrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/**
 * The first middleware of every request (after the span, when tracing is on), Nest route or
 * not (Swagger, console, 404): gives it an id (echoed in `X-Request-Id`), and when the response
 * ends records its metrics and writes one access-log line. Lighter than pino-http: no
 * per-request child logger, no serializers.
 */
export class RequestContextMiddleware implements NestMiddleware {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: RequestMetrics,
  ) {}

  readonly use = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const started = performance.now();
    // Read now: routers that mount sub-apps rewrite `req.url` while they handle the request.
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.id = id;
    // Written back so that handlers seeing only headers (the MCP SDK's web Request) read the same id.
    req.headers[REQUEST_ID_HEADER] = id;
    res.setHeader('X-Request-Id', id);
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.writableFinished ? res.statusCode : 499;
      const route = routeOf(req);
      this.metrics.observeRequest(method, route, status, seconds);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!this.logger.isLevelEnabled(level)) return;
      const q = path.indexOf('?');
      this.logger[level](
        {
          reqId: id,
          method,
          // Query strings may carry tokens; the path is enough to find the request.
          path: q === -1 ? path : path.slice(0, q),
          route,
          status,
          ms: Math.round(seconds * 1e6) / 1e3,
          trace_id: req.traceId,
          // Who, once the access guard knew: a key's name or `oauth:<sub>`, and the OAuth client.
          caller: req.caller?.name,
          client_id: req.caller?.clientId,
        },
        'request completed',
      );
    });
    next();
  };
}
