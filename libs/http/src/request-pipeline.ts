import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsOptions } from 'cors';
import helmet, { type HelmetOptions } from 'helmet';
import type { RequestMiddleware, SecurityConfig } from '@app/core';
import { DocsAccessMiddleware } from './docs-access.middleware.js';
import { InFlightRequests } from './in-flight.middleware.js';
import type { RequestContextMiddleware } from './request-context.middleware.js';

/** Headers a browser client of /mcp must be allowed to send and to read. */
const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
  'Last-Event-ID',
  'X-Request-Id',
];
const CORS_EXPOSED_HEADERS = [
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
  'WWW-Authenticate',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'X-Request-Id',
];

export interface RequestPipelineMiddleware {
  /** The request's span, when tracing is on. */
  tracing?: RequestMiddleware;
  requestContext: RequestContextMiddleware;
  security: Pick<SecurityConfig, 'tls' | 'corsOrigins'>;
  /** Where Swagger UI and the OpenAPI document are served, held to DOCS_REQUIRE_AUTH. */
  docsPaths: string[];
  /** Where HTML pages are served (Swagger UI, the console): they get {@link pageHeaders}. */
  pagePaths: string[];
}

/**
 * Puts the middleware every request meets on the application, in this order: the span,
 * request id + access log + metrics, the in-flight count, security headers (helmet's, see
 * {@link constantHeaders}: {@link apiHeaders} on every answer, {@link pageHeaders} on pages), CORS
 * (for the configured origins only), then the docs check on the docs paths. Application-level
 * (`app.use`), not a module's `configure()`: module middleware is mounted when the application
 * initialises, after Swagger UI and the console, which would then go without them. Call it
 * first, before anything else is mounted; the guards, pipes and filters come with
 * {@link httpPipelineProviders}.
 */
export function useRequestPipeline(app: INestApplication, m: RequestPipelineMiddleware): void {
  if (m.tracing) app.use(m.tracing);
  app.use(m.requestContext.use);
  app.use(app.get(InFlightRequests).use);
  app.use(constantHeaders(helmet(apiHeaders(m.security))));
  app.use(m.pagePaths, constantHeaders(helmet(pageHeaders(m.security))));
  if (m.security.corsOrigins.length > 0) app.enableCors(corsOptions(m.security.corsOrigins));
  app.use(m.docsPaths, app.get(DocsAccessMiddleware).use);
}

/**
 * The headers of a data answer (JSON, an event stream, YAML), which no browser renders as a
 * page: nothing may be loaded or run on its behalf (`default-src 'none'`), framed, sniffed as
 * another type or sent a referrer, plus the resource policy and HSTS under TLS. helmet's
 * other headers (opener policy, origin-agent cluster, DNS prefetch, IE download options,
 * Adobe policies, the XSS auditor switch) govern how a page behaves and are left to pages:
 * each costs every answer its bytes, and every MCP listening stream keeps them for its life.
 */
function apiHeaders(security: RequestPipelineMiddleware['security']): HelmetOptions {
  return {
    ...bothSets(security),
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  };
}

/** helmet's headers for HTML pages, with framing denied (the console sets its own policy on top). */
function pageHeaders(security: RequestPipelineMiddleware['security']): HelmetOptions {
  return {
    ...bothSets(security),
    contentSecurityPolicy: {
      directives: {
        'frame-ancestors': ["'none'"],
        // Over plain HTTP on a LAN address, upgrading would break the Swagger UI assets.
        'upgrade-insecure-requests': security.tls ? [] : null,
      },
    },
  };
}

/** What data answers and pages are both given: no framing, the resource policy, HSTS under TLS. */
function bothSets({ tls, corsOrigins }: RequestPipelineMiddleware['security']) {
  return {
    frameguard: { action: 'deny' as const },
    strictTransportSecurity: tls ? undefined : false,
    crossOriginResourcePolicy: {
      policy: corsOrigins.length > 0 ? ('cross-origin' as const) : ('same-origin' as const),
    },
  };
}

function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  };
}

/**
 * helmet's headers here depend on the configuration only (no nonces, no per-request
 * directives), so helmet runs once, at start-up, against a recorder, and every response gets
 * the recorded headers: one loop instead of a dozen nested middleware calls per request.
 */
export function constantHeaders(
  middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
): RequestMiddleware {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: string | number) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let finished = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => {
    finished = true;
  });
  if (!finished) throw new Error('the security headers middleware did not finish synchronously');
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
