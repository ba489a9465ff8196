import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthenticationRequiredError, ForbiddenError } from '@app/core';
import type { AccessLevel } from './access.decorator.js';
import { HTTP_PIPELINE_OPTIONS, type HttpPipelineOptions } from './pipeline.options.js';

const REALM = 'mcp-multi-server';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The level of a route without `@Access`: open for reads, admin for anything that may change state. */
export function defaultAccess(method: string | undefined): AccessLevel {
  return SAFE_METHODS.has(method ?? 'GET') ? 'open' : 'admin';
}

/** The bearer token of a request, if it sent one (the scheme is case-insensitive, RFC 9110). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** True when the TCP peer is this machine (proxy headers are deliberately not trusted). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/**
 * Who may do what (see {@link AccessLevel}), for the access guard, the docs middleware and
 * requests that match no route. A valid key names its caller on the request (`req.caller`)
 * whatever the level, so rate limits, logs and audit know it.
 */
@Injectable()
export class AccessPolicy {
  constructor(@Inject(HTTP_PIPELINE_OPTIONS) private readonly options: HttpPipelineOptions) {}

  /** Returns when the request may go on; throws the 401 or 403 to answer otherwise. */
  check(req: IncomingMessage, res: ServerResponse, level: AccessLevel): void {
    // A CORS preflight never carries credentials; it only asks what the real request may send.
    if (req.method === 'OPTIONS') return;
    const { keys, docsRequireAuth } = this.options;
    const token = bearerToken(req);
    const caller = token === undefined ? undefined : keys.identify(token);
    if (caller) req.caller = caller;
    switch (level) {
      case 'open':
        return;
      case 'caller':
        if (!keys.hasCallerKeys || caller) return;
        throw unauthenticated(res, token);
      case 'docs':
        if (!docsRequireAuth || caller) return;
        throw unauthenticated(res, token);
      case 'admin':
        if (!keys.hasAdminKey) {
          if (isLoopback(req.socket.remoteAddress)) return;
          throw new ForbiddenError(
            'Changes are accepted from this machine only: set ADMIN_API_KEY to manage tools remotely',
          );
        }
        if (!caller) throw unauthenticated(res, token, 'The admin API key is required');
        if (caller.role !== 'admin') {
          throw new ForbiddenError('This key may call tools but not change them');
        }
        return;
    }
  }
}

/** A 401 with its `WWW-Authenticate` challenge (RFC 6750), set now so every filter keeps it. */
function unauthenticated(
  res: ServerResponse,
  token: string | undefined,
  message?: string,
): AuthenticationRequiredError {
  res.setHeader(
    'WWW-Authenticate',
    token === undefined
      ? `Bearer realm="${REALM}"`
      : `Bearer realm="${REALM}", error="invalid_token", error_description="The API key is not valid"`,
  );
  return new AuthenticationRequiredError(message);
}
