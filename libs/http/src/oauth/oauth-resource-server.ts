import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import type { Caller, OAuthSettings } from '@app/core';
import { SUPPORTED_SCOPES } from './oauth-scopes.js';
import {
  type AuthorizationServerMetadata,
  OAuthTokenVerifier,
  type VerifiedToken,
} from './token-verifier.js';

/** RFC 9728 Protected Resource Metadata, as this server publishes it. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: readonly string[];
  bearer_methods_supported: ['header'];
  resource_name: string;
}

/**
 * One server in OAuth 2.1 resource-server mode: its resource identifier, the metadata it
 * publishes, the `WWW-Authenticate` challenges it answers with, and the token verifier.
 */
export class OAuthResourceServer {
  readonly verifier: OAuthTokenVerifier;

  constructor(
    readonly settings: OAuthSettings,
    /** The resource identifier: read when needed, since a server's port is known once it listens. */
    private readonly resourceOf: () => string,
    private readonly name: string,
  ) {
    this.verifier = new OAuthTokenVerifier(settings, resourceOf);
  }

  get resource(): string {
    return this.resourceOf();
  }

  /** Where the metadata is published: `/.well-known/oauth-protected-resource` plus the resource's path. */
  get metadataUrl(): string {
    return getOAuthProtectedResourceMetadataUrl(new URL(this.resource));
  }

  metadata(): ProtectedResourceMetadata {
    return {
      resource: this.resource,
      authorization_servers: [this.settings.issuer],
      scopes_supported: SUPPORTED_SCOPES,
      bearer_methods_supported: ['header'],
      resource_name: this.name,
    };
  }

  /** The issuer's own metadata (for the console's sign-in). */
  authorizationServer(): Promise<AuthorizationServerMetadata> {
    return this.verifier.metadata();
  }

  /** The caller a valid token names; rejects as {@link OAuthTokenVerifier.verify} does. */
  async authenticate(token: string): Promise<Caller> {
    return callerOf(await this.verifier.verify(token));
  }

  /** 401 without a token: where to learn how to get one, and the scope to ask for. */
  missingToken(scopes: readonly string[]): string {
    return challenge([
      ['resource_metadata', this.metadataUrl],
      ['scope', scopes.join(' ')],
    ]);
  }

  /** 401 for a token that is not valid here (RFC 6750 `invalid_token`). */
  invalidToken(description: string, scopes: readonly string[]): string {
    return challenge([
      ['error', 'invalid_token'],
      ['error_description', description],
      ['resource_metadata', this.metadataUrl],
      ['scope', scopes.join(' ')],
    ]);
  }

  /** 403 for a valid token without the scopes this needs (RFC 6750 `insufficient_scope`, MCP step-up). */
  insufficientScope(scopes: readonly string[], description: string): string {
    return challenge([
      ['error', 'insufficient_scope'],
      ['scope', scopes.join(' ')],
      ['resource_metadata', this.metadataUrl],
      ['error_description', description],
    ]);
  }
}

/** A verified token as the pipeline's caller: named by its subject, limited by its scopes. */
function callerOf(token: VerifiedToken): Caller {
  // Printable and bounded: the name goes into logs, audit rows and metric-free rate-limit keys.
  const who = (token.subject ?? token.clientId ?? 'unknown').replace(/[^\x21-\x7e]/g, '_');
  return {
    // 128 in all: the audit table's caller column.
    name: `oauth:${who.slice(0, 122)}`,
    role: 'caller',
    scopes: token.scopes,
    ...(token.clientId ? { clientId: token.clientId } : {}),
  };
}

/** `Bearer k="v", ...` with quoted-string escaping (RFC 9110 §5.6.4); empty values left out. */
function challenge(params: Array<[string, string]>): string {
  const quoted = params
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}="${v.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ')}"`);
  return `Bearer ${quoted.join(', ')}`;
}
