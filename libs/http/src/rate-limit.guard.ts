import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Address6 } from 'ip-address';
import { isIPv6 } from 'node:net';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '@app/core';
import { HTTP_PIPELINE_OPTIONS, type HttpPipelineOptions } from './pipeline.options.js';
import {
  createRateLimiter,
  RATE_LIMIT_STORE,
  RATE_LIMIT_WINDOW_SECONDS,
  type RateLimitStore,
} from './rate-limiter.js';
import { RouteMetadata } from './route-metadata.js';

export const RATE_LIMIT_METADATA = 'mcp-multi-server:rate-limit';

/** Counts a route's requests against its caller's RATE_LIMIT_PER_MINUTE (the tool-call routes). */
export const RateLimit = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_METADATA, true),
    ApiTooManyRequestsResponse({
      description: 'RATE_LIMITED: over RATE_LIMIT_PER_MINUTE for this caller; see Retry-After',
      headers: {
        'Retry-After': {
          description: 'Seconds until the next call is accepted',
          schema: { type: 'integer' },
        },
      },
    }),
  );

/**
 * The global guard (APP_GUARD, after the access guard, so it counts per key name) for the
 * routes marked `@RateLimit()`: a fixed one-minute window per key name, or per client address
 * for anonymous callers (an IPv6 client per /56, the block one subscriber usually holds). It
 * sends the `RateLimit-*` headers of draft-ietf-httpapi-ratelimit-headers-06, and a 429
 * RATE_LIMITED with `Retry-After` past the limit. The counters live in the store the server
 * provides under RATE_LIMIT_STORE (PostgreSQL: one budget across every process of the server;
 * see {@link createRateLimiter}), or in this process when none is provided.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limited: RouteMetadata<boolean>;
  private readonly limiter?: RateLimiterAbstract;
  private readonly limit: number;
  private readonly policy: string;

  constructor(
    reflector: Reflector,
    @Inject(HTTP_PIPELINE_OPTIONS) options: HttpPipelineOptions,
    @Optional() @Inject(RATE_LIMIT_STORE) store: RateLimitStore = { type: 'memory' },
  ) {
    this.limited = new RouteMetadata(reflector, RATE_LIMIT_METADATA);
    this.limit = options.rateLimitPerMinute;
    this.policy = `${this.limit};w=${RATE_LIMIT_WINDOW_SECONDS}`;
    if (this.limit > 0) this.limiter = createRateLimiter(store, this.limit);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.limiter || !this.limited.of(context)) return true;
    const http = context.switchToHttp();
    return this.consume(this.limiter, http.getRequest<Request>(), http.getResponse<Response>());
  }

  private async consume(
    limiter: RateLimiterAbstract,
    req: Request,
    res: Response,
  ): Promise<boolean> {
    const key = req.caller
      ? `key:${req.caller.name}`
      : `ip:${addressKey(req.socket.remoteAddress)}`;
    try {
      this.setHeaders(res, await limiter.consume(key));
      return true;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = this.setHeaders(res, rejection);
      res.setHeader('Retry-After', String(retryAfter));
      throw new RateLimitedError(this.limit, retryAfter);
    }
  }

  /** Sets the `RateLimit-*` headers; returns the seconds until the window resets. */
  private setHeaders(res: Response, state: RateLimiterRes): number {
    const reset = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    res.setHeader('RateLimit-Policy', this.policy);
    res.setHeader('RateLimit-Limit', String(this.limit));
    res.setHeader('RateLimit-Remaining', String(state.remainingPoints));
    res.setHeader('RateLimit-Reset', String(reset));
    return reset;
  }
}

/** The client address a budget is kept for: IPv4 as is, IPv6 by its /56 block. */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  return isIPv6(address) ? new Address6(`${address}/56`).networkForm() : address;
}
