import type { IncomingMessage, ServerResponse } from 'node:http';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RateLimitedError } from '@app/core';
import { pathOf, type Step } from '@app/core';
import { isRateLimited } from './access-policy.js';
import { callerOf } from '@app/core';
import { sendError } from './respond.js';

/**
 * Per-caller limit on tool calls (`/tools/call`, `/mcp`): a fixed one-minute window
 * per key name, or per client address for anonymous callers. Counters live in this
 * process: with N replicas behind a load balancer a caller gets up to N times the limit.
 * It runs in front of Express (a front-door step): with the key, skip and answer given here,
 * express-rate-limit reads only what Node's request and response have.
 */
export function rateLimitMiddleware(perMinute: number): Step {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    // Keys come from the socket address, never from X-Forwarded-For, so these checks do not apply.
    validate: { xForwardedForHeader: false, trustProxy: false },
    skip: (req: IncomingMessage) => !isRateLimited(req.method ?? 'GET', pathOf(req)),
    keyGenerator: (req: IncomingMessage) => {
      const caller = callerOf(req);
      return caller ? `key:${caller.name}` : `ip:${ipKeyGenerator(req.socket.remoteAddress ?? '')}`;
    },
    handler: (req: IncomingMessage, res: ServerResponse) => {
      const retryAfter = Number(res.getHeader('Retry-After')) || 60;
      sendError(req, res, new RateLimitedError(perMinute, retryAfter));
    },
  });
  return limiter as unknown as Step;
}
