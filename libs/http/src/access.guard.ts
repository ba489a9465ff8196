import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ACCESS_METADATA, type AccessLevel } from './access.decorator.js';
import { AccessPolicy, defaultAccess } from './access.policy.js';
import { RouteMetadata } from './route-metadata.js';

/**
 * The global guard (APP_GUARD) that enforces `@Access(level)` on every route, first of all
 * guards: a caller refused here has had nothing read, counted or run. A route without the
 * decorator is open for reads and admin-only for anything else (deny by default).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly levels: RouteMetadata<AccessLevel>;

  constructor(
    reflector: Reflector,
    private readonly policy: AccessPolicy,
  ) {
    this.levels = new RouteMetadata(reflector, ACCESS_METADATA);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const level = this.levels.of(context) ?? defaultAccess(req.method);
    // Synchronous unless an access token has to be checked against its issuer.
    const checked = this.policy.check(req, http.getResponse<Response>(), level);
    return checked ? checked.then(() => true) : true;
  }
}
