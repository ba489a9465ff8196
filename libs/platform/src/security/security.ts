import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import helmet from 'helmet';
import type { SecurityConfig } from '@app/core';
import type { Step } from '@app/core';
import { authMiddleware } from './auth.middleware.js';
import { rateLimitMiddleware } from './rate-limit.js';

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

/**
 * What every request meets, in order, before its route: security headers, CORS (only for
 * the configured origins), authentication, then the per-caller rate limit (after
 * authentication, so it counts per key name).
 */
export function securitySteps(security: SecurityConfig): Step[] {
  const steps: Step[] = [
    fixedHeaders(
      helmet({
        contentSecurityPolicy: {
          directives: {
            'frame-ancestors': ["'none'"],
            // Over plain HTTP on a LAN address, upgrading would break the Swagger UI assets.
            'upgrade-insecure-requests': security.tls ? [] : null,
          },
        },
        frameguard: { action: 'deny' },
        strictTransportSecurity: security.tls ? undefined : false,
        crossOriginResourcePolicy: {
          policy: security.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin',
        },
      }),
    ),
  ];
  if (security.corsOrigins.length > 0) {
    steps.push(
      cors({
        origin: security.corsOrigins.includes('*') ? '*' : security.corsOrigins,
        methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
        allowedHeaders: CORS_ALLOWED_HEADERS,
        exposedHeaders: CORS_EXPOSED_HEADERS,
        maxAge: 600,
      }),
    );
  }
  steps.push(authMiddleware({ keys: security.keys, docsRequireAuth: security.docsRequireAuth }));
  if (security.rateLimitPerMinute > 0) steps.push(rateLimitMiddleware(security.rateLimitPerMinute));
  return steps;
}

/**
 * Helmet's headers here depend on the configuration only (no nonces, no per-request
 * directives), so helmet runs once, at start-up, against a recorder, and every response
 * gets the recorded headers: one loop instead of a dozen middleware steps per request.
 */
export function fixedHeaders(
  middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
): Step {
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
