import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AuthenticationRequiredError,
  type Caller,
  ForbiddenError,
  InsufficientScopeError,
} from '@app/core';
import type { AccessLevel } from './access.decorator.js';
import type { OAuthResourceServer } from './oauth/oauth-resource-server.js';
import { scopesOfLevel } from './oauth/oauth-scopes.js';
import { InvalidTokenError } from './oauth/token-verifier.js';
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
 * whatever the level, so rate limits, logs and audit know it. In OAuth resource-server mode
 * (OAUTH_ISSUER) a bearer that is no key is an access token, checked against the issuer; the
 * caller it names is held to the level's scopes, and keys keep working beside it.
 */
@Injectable()
export class AccessPolicy {
  constructor(@Inject(HTTP_PIPELINE_OPTIONS) private readonly options: HttpPipelineOptions) {}

  /**
   * Returns when the request may go on, or a promise when an access token must be checked
   * first (so key and anonymous requests stay synchronous); throws, or rejects with, the 401
   * or 403 to answer otherwise.
   */
  check(req: IncomingMessage, res: ServerResponse, level: AccessLevel): void | Promise<void> {
    // A CORS preflight never carries credentials; it only asks what the real request may send.
    if (req.method === 'OPTIONS') return;
    const { keys, oauth } = this.options;
    const token = bearerToken(req);
    const caller = token === undefined ? undefined : keys.identify(token);
    if (caller) req.caller = caller;
    if (caller || !oauth || level === 'open' || !this.needsCredentials(level)) {
      return this.checkKey(req, res, level, token, caller);
    }
    if (token === undefined) {
      res.setHeader('WWW-Authenticate', oauth.missingToken(scopesOfLevel(level)));
      throw new AuthenticationRequiredError(
        `An access token for ${oauth.resource} is required: send Authorization: Bearer <token>`,
      );
    }
    return this.checkToken(oauth, token, req, res, level);
  }

  /** Whether `level` admits no one without a key or token (OAuth mode ends the loopback exception). */
  private needsCredentials(level: AccessLevel): boolean {
    const { keys, docsRequireAuth, oauth } = this.options;
    switch (level) {
      case 'open':
        return false;
      case 'docs':
        return docsRequireAuth;
      case 'caller':
        return keys.hasCallerKeys || oauth !== undefined;
      case 'admin':
        return keys.hasAdminKey || oauth !== undefined;
    }
  }

  private async checkToken(
    oauth: OAuthResourceServer,
    token: string,
    req: IncomingMessage,
    res: ServerResponse,
    level: AccessLevel,
  ): Promise<void> {
    const scopes = scopesOfLevel(level);
    try {
      req.caller = await oauth.authenticate(token);
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      res.setHeader('WWW-Authenticate', oauth.invalidToken(err.description, scopes));
      throw new AuthenticationRequiredError(err.description);
    }
    const granted = req.caller.scopes ?? new Set<string>();
    if (!scopes.some((s) => granted.has(s))) {
      throw new InsufficientScopeError(
        scopes,
        `This needs an access token with the scope ${scopes.join(' or ')}`,
      );
    }
  }

  /** The key rules: the only rules without OAuth, and the rules for keys beside it. */
  private checkKey(
    req: IncomingMessage,
    res: ServerResponse,
    level: AccessLevel,
    token: string | undefined,
    caller: Caller | undefined,
  ): void {
    const { keys, docsRequireAuth, oauth } = this.options;
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
        if (!keys.hasAdminKey && !oauth) {
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
