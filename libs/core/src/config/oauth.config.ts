import { IsOptional, Matches } from 'class-validator';
import { IsHttpUrl, IsIntegerBetween, toList } from './env-rules.js';
import { ProviderSecret } from './provider-secret.js';
import { ConfigError, Secret } from './validate-environment.js';

/** Signature algorithms a resource server may accept: asymmetric ones, checked with the issuer's public keys. */
export const OAUTH_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type OAuthAlgorithm = (typeof OAUTH_ALGORITHMS)[number];

const ALGORITHM_LIST = /^\s*[A-Za-z0-9]+(\s*,\s*[A-Za-z0-9]+)*\s*$/;
const CLIENT_ID = /^[\x21-\x7e]{1,255}$/;

/**
 * The OAuth 2.1 resource-server variables, the same for every server of a process (each
 * server's resource identifier is the app's own variable, `OAUTH_RESOURCE_A`...).
 */
export class OAuthVariables {
  /** The authorization server's issuer URL; setting it turns resource-server mode on. */
  @IsOptional()
  @IsHttpUrl('must be the http(s) issuer URL of the authorization server')
  OAUTH_ISSUER?: string;
  /** Signature algorithms accepted on access tokens. */
  @Matches(ALGORITHM_LIST, { message: 'must be a comma-separated list of JWS algorithm names' })
  OAUTH_ALGORITHMS = 'RS256,PS256,ES256,EdDSA';
  /** Clock difference tolerated on `exp` and `nbf`, in seconds. */
  @IsIntegerBetween(0, 300) OAUTH_CLOCK_LEEWAY_SECONDS: number = 30;
  /** RFC 7662 endpoint for opaque tokens; the issuer's `introspection_endpoint` when not set. */
  @IsOptional()
  @IsHttpUrl('must be the http(s) URL of the introspection endpoint')
  OAUTH_INTROSPECTION_ENDPOINT?: string;
  /** This resource server's client at the authorization server, for introspection. */
  @IsOptional()
  @Matches(CLIENT_ID, { message: 'must be 1 to 255 printable ASCII characters' })
  OAUTH_INTROSPECTION_CLIENT_ID?: string;
  @Secret()
  @IsOptional()
  @Matches(/^\S{1,512}$/, { message: 'must be 1 to 512 characters without spaces' })
  OAUTH_INTROSPECTION_CLIENT_SECRET?: string;
}

/** Resource-server mode: which issuer's tokens are accepted and how they are checked. */
export interface OAuthSettings {
  /** The issuer, exactly as its tokens' `iss` and its metadata's `issuer` say. */
  issuer: string;
  algorithms: OAuthAlgorithm[];
  leewaySeconds: number;
  /** RFC 7662 introspection of opaque tokens; absent when not configured. */
  introspection?: { endpoint?: string; clientId: string; clientSecret: ProviderSecret };
}

/** Reads the OAuth variables (already validated one by one); undefined when OAUTH_ISSUER is not set. */
export function oauthSettings(vars: OAuthVariables): OAuthSettings | undefined {
  const problems: string[] = [];
  const algorithms: OAuthAlgorithm[] = [];
  for (const name of toList(vars.OAUTH_ALGORITHMS)) {
    if (name.toLowerCase() === 'none') {
      problems.push('OAUTH_ALGORITHMS: "none" is never accepted: tokens must be signed');
    } else if (/^HS\d+$/i.test(name)) {
      problems.push(
        `OAUTH_ALGORITHMS: ${name} needs a secret shared with the issuer; only its published public keys are used`,
      );
    } else if ((OAUTH_ALGORITHMS as readonly string[]).includes(name)) {
      algorithms.push(name as OAuthAlgorithm);
    } else {
      problems.push(`OAUTH_ALGORITHMS: ${name} is not one of ${OAUTH_ALGORITHMS.join(', ')}`);
    }
  }
  const { OAUTH_INTROSPECTION_CLIENT_ID: clientId, OAUTH_INTROSPECTION_CLIENT_SECRET: secret } =
    vars;
  if (Boolean(clientId) !== Boolean(secret)) {
    problems.push(
      'OAUTH_INTROSPECTION_CLIENT_ID and OAUTH_INTROSPECTION_CLIENT_SECRET: set both to introspect opaque tokens, or neither',
    );
  }
  const dependent = ['OAUTH_INTROSPECTION_ENDPOINT', 'OAUTH_INTROSPECTION_CLIENT_ID'] as const;
  if (!vars.OAUTH_ISSUER) {
    for (const name of dependent) {
      if (vars[name]) problems.push(`${name}: needs OAUTH_ISSUER`);
    }
  }
  if (vars.OAUTH_INTROSPECTION_ENDPOINT && !clientId) {
    problems.push('OAUTH_INTROSPECTION_ENDPOINT: needs OAUTH_INTROSPECTION_CLIENT_ID and _SECRET');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (!vars.OAUTH_ISSUER) return undefined;
  return {
    // Kept exactly as given: `iss` is compared as a string, and some issuers end in a slash.
    issuer: vars.OAUTH_ISSUER,
    algorithms,
    leewaySeconds: vars.OAUTH_CLOCK_LEEWAY_SECONDS,
    introspection:
      clientId && secret
        ? {
            endpoint: vars.OAUTH_INTROSPECTION_ENDPOINT,
            clientId,
            clientSecret: new ProviderSecret(secret),
          }
        : undefined,
  };
}
