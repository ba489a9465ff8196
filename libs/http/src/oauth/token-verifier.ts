import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { AuthorizationServerUnavailableError, type OAuthSettings } from '@app/core';
import { grantedScopes } from './oauth-scopes.js';

/** What the resource server needs from RFC 8414 / OpenID discovery (the rest is kept for the console). */
export interface AuthorizationServerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  registration_endpoint?: string;
  [field: string]: unknown;
}

/** A token that passed every check: who sent it and what it allows. */
export interface VerifiedToken {
  /** `sub`: the user, or the client itself for client credentials. */
  subject?: string;
  clientId?: string;
  scopes: Set<string>;
}

/** The token is not acceptable here; `description` says why, for the challenge's `error_description`. */
export class InvalidTokenError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'InvalidTokenError';
  }
}

/** Time budget of one request to the authorization server. */
const AS_TIMEOUT_MS = 5000;
/**
 * After a key-set fetch, an unknown `kid` waits this long before the next one: a rotation at
 * the issuer is picked up within seconds, and tokens with made-up `kid`s cannot flood it.
 */
const JWKS_COOLDOWN_MS = 5000;
/** Keys are fetched again after this long even when every `kid` is known (a key withdrawn). */
const JWKS_MAX_AGE_MS = 10 * 60_000;

/**
 * Checks access tokens for one resource, as RFC 9068 and the MCP authorization specification
 * ask: JWTs by signature against the issuer's published keys (jose's remote key set, cached
 * and fetched again on an unknown `kid`), with `iss`, `aud` (this resource only), `exp` and
 * `nbf` (with leeway) and an algorithm allow-list; opaque tokens by RFC 7662 introspection
 * when it is configured. The issuer's metadata is discovered on first use and kept.
 */
export class OAuthTokenVerifier {
  private discovery?: Promise<AuthorizationServerMetadata>;
  private keys?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly settings: OAuthSettings,
    /** This server's resource identifier (known once it listens). */
    private readonly resource: () => string,
  ) {}

  /** The issuer's metadata (RFC 8414, else OpenID discovery), fetched once; a failure is retried next time. */
  metadata(): Promise<AuthorizationServerMetadata> {
    this.discovery ??= discover(this.settings.issuer).catch((err: unknown) => {
      this.discovery = undefined;
      throw err;
    });
    return this.discovery;
  }

  /** Resolves to the token's caller, or rejects with {@link InvalidTokenError} (or 503 when the issuer cannot be reached). */
  async verify(token: string): Promise<VerifiedToken> {
    if (!looksLikeJwt(token)) {
      if (this.settings.introspection) return this.introspect(token);
      throw new InvalidTokenError(
        'The access token is not a JWT, and no introspection is configured',
      );
    }
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.resource(),
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.leewaySeconds,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw whyRefused(err, this.resource());
    }
    return {
      subject: payload.sub,
      clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
      scopes: grantedScopes(payload),
    };
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys) return this.keys;
    const { jwks_uri } = await this.metadata();
    if (!jwks_uri) {
      throw new AuthorizationServerUnavailableError(
        `the issuer ${this.settings.issuer} publishes no jwks_uri`,
      );
    }
    this.keys ??= createRemoteJWKSet(new URL(jwks_uri), {
      timeoutDuration: AS_TIMEOUT_MS,
      cooldownDuration: JWKS_COOLDOWN_MS,
      cacheMaxAge: JWKS_MAX_AGE_MS,
    });
    return this.keys;
  }

  /** RFC 7662: asks the issuer about an opaque token, as this resource server's own client. */
  private async introspect(token: string): Promise<VerifiedToken> {
    const config = this.settings.introspection;
    if (!config) throw new InvalidTokenError('No introspection is configured');
    const endpoint = config.endpoint ?? (await this.metadata()).introspection_endpoint;
    if (!endpoint) {
      throw new AuthorizationServerUnavailableError(
        'set OAUTH_INTROSPECTION_ENDPOINT: the issuer publishes no introspection_endpoint',
      );
    }
    const basic = Buffer.from(
      `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret.reveal())}`,
    ).toString('base64');
    let answer: Record<string, unknown>;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal: AbortSignal.timeout(AS_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`introspection answered ${res.status}`);
      answer = (await res.json()) as Record<string, unknown>;
    } catch (err) {
      throw new AuthorizationServerUnavailableError((err as Error).message);
    }
    return this.checkIntrospection(answer);
  }

  private checkIntrospection(answer: Record<string, unknown>): VerifiedToken {
    if (answer.active !== true) throw new InvalidTokenError('The access token is not active');
    const now = Date.now() / 1000;
    const leeway = this.settings.leewaySeconds;
    if (typeof answer.exp === 'number' && answer.exp + leeway <= now) {
      throw new InvalidTokenError('The access token has expired');
    }
    if (typeof answer.nbf === 'number' && answer.nbf - leeway > now) {
      throw new InvalidTokenError('The access token is not valid yet');
    }
    if (answer.iss !== undefined && answer.iss !== this.settings.issuer) {
      throw new InvalidTokenError('The access token was issued by another authorization server');
    }
    const audience = Array.isArray(answer.aud) ? answer.aud : [answer.aud];
    if (!audience.includes(this.resource())) {
      throw new InvalidTokenError(`The access token was not issued for ${this.resource()}`);
    }
    return {
      subject: typeof answer.sub === 'string' ? answer.sub : undefined,
      clientId: typeof answer.client_id === 'string' ? answer.client_id : undefined,
      scopes: grantedScopes(answer),
    };
  }
}

/** Three base64url parts: a JWS in compact form (an encrypted JWT has five and is not accepted). */
function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}

/** jose's refusal as the reason a client is told, or a 503 when the issuer's keys were out of reach. */
function whyRefused(err: unknown, resource: string): Error {
  if (err instanceof errors.JWTExpired)
    return new InvalidTokenError('The access token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'nbf':
        return new InvalidTokenError('The access token is not valid yet');
      case 'aud':
        return new InvalidTokenError(`The access token was not issued for ${resource}`);
      case 'iss':
        return new InvalidTokenError('The access token was issued by another authorization server');
      default:
        return new InvalidTokenError(`The access token's ${err.claim} claim is not acceptable`);
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new InvalidTokenError('The access token is signed with an algorithm not accepted here');
  }
  if (err instanceof errors.JWKSNoMatchingKey) {
    return new InvalidTokenError(
      'The access token is signed with a key the issuer does not publish',
    );
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('The access token signature is not valid');
  }
  if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
    return new AuthorizationServerUnavailableError(
      `the issuer's keys could not be fetched (${(err as Error).message})`,
    );
  }
  return new InvalidTokenError('The access token is malformed');
}

/**
 * RFC 8414 §3.1 metadata (`/.well-known/oauth-authorization-server`, inserted before the
 * issuer's path), then OpenID Connect discovery (appended to the issuer, and inserted, as the
 * MCP specification lists them). The first document whose `issuer` is the configured one wins.
 */
async function discover(issuer: string): Promise<AuthorizationServerMetadata> {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  const candidates = [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    ...(path
      ? [
          `${url.origin}/.well-known/openid-configuration${path}`,
          `${url.origin}${path}/.well-known/openid-configuration`,
        ]
      : [`${url.origin}/.well-known/openid-configuration`]),
  ];
  const problems: string[] = [];
  for (const candidate of candidates) {
    try {
      const res = await fetch(candidate, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(AS_TIMEOUT_MS),
      });
      if (!res.ok) {
        problems.push(`${candidate}: ${res.status}`);
        continue;
      }
      const metadata = (await res.json()) as AuthorizationServerMetadata;
      if (metadata.issuer !== issuer) {
        problems.push(`${candidate}: names the issuer ${JSON.stringify(metadata.issuer)}`);
        continue;
      }
      return metadata;
    } catch (err) {
      problems.push(`${candidate}: ${(err as Error).message}`);
    }
  }
  throw new AuthorizationServerUnavailableError(
    `no metadata of the issuer ${issuer} (${problems.join('; ')})`,
  );
}
