import type { IncomingMessage } from 'node:http';
import { AuthenticationRequiredError, ForbiddenError, type PlatformError } from '@app/core';
import { pathOf, type Step } from '@app/core';
import { accessFor } from './access-policy.js';
import type { KeyRing } from '@app/core';
import { setCaller } from '@app/core';
import { sendError } from './respond.js';

export interface AuthOptions {
  keys: KeyRing;
  docsRequireAuth: boolean;
}

const REALM = 'mcp-multi-server';

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
 * Front-door step run before any route (REST, Swagger and MCP alike), so a route
 * added later is covered by the same rules; see {@link accessFor} for which route needs what.
 */
export function authMiddleware(options: AuthOptions): Step {
  const { keys } = options;
  return (req, res, next) => {
    const access = accessFor(req.method ?? 'GET', pathOf(req));
    const token = bearerToken(req);
    const caller = token === undefined ? undefined : keys.identify(token);
    if (caller) setCaller(req, caller);

    const deny = (error: PlatformError) => {
      if (error.status === 401) {
        res.setHeader(
          'WWW-Authenticate',
          token === undefined
            ? `Bearer realm="${REALM}"`
            : `Bearer realm="${REALM}", error="invalid_token", error_description="The API key is not valid"`,
        );
      }
      sendError(req, res, error);
    };

    switch (access) {
      case 'open':
        return next();
      case 'caller':
        if (!keys.hasCallerKeys || caller) return next();
        return deny(new AuthenticationRequiredError());
      case 'docs':
        if (!options.docsRequireAuth || caller) return next();
        return deny(new AuthenticationRequiredError());
      case 'admin':
        if (!keys.hasAdminKey) {
          if (isLoopback(req.socket.remoteAddress)) return next();
          return deny(
            new ForbiddenError(
              'Changes are accepted from this machine only: set ADMIN_API_KEY to manage tools remotely',
            ),
          );
        }
        if (!caller) return deny(new AuthenticationRequiredError('The admin API key is required'));
        if (caller.role !== 'admin') {
          return deny(new ForbiddenError('This key may call tools but not change them'));
        }
        return next();
    }
  };
}
