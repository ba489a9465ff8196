import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { routeOf, type Step } from '@app/core';
import type { PlatformMetrics } from '@app/tools';

export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming id is kept only when it is short and made of safe characters (no log or header injection). */
const SANE_REQUEST_ID = /^[\w.:@=+/;-]{1,128}$/;

/** The caller's request id when it is safe to echo and log, otherwise a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

export interface RequestContextOptions {
  logger: Logger;
  metrics: PlatformMetrics;
}

/**
 * The first front-door step of every server (after the span, when tracing is on): gives
 * each request an id (echoed in `X-Request-Id`), and when the response ends records its
 * metrics and writes one access-log line. Lighter than pino-http: no per-request child logger, no serializers.
 */
export function requestContext({ logger, metrics }: RequestContextOptions): Step {
  return (req, res, next) => {
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
      const route = routeOf(req, res);
      metrics.observeRequest(method, route, status, seconds);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const q = path.indexOf('?');
      logger[level](
        {
          reqId: id,
          method,
          // Query strings may carry tokens; the path is enough to find the request.
          path: q === -1 ? path : path.slice(0, q),
          route,
          status,
          ms: Math.round(seconds * 1e6) / 1e3,
          trace_id: req.traceId,
        },
        'request completed',
      );
    });
    next();
  };
}
