import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider, { type AdapterPayload, type Configuration } from 'oidc-provider';

/** A signing key of the test issuer, public and private halves as JWKs. */
export interface TestKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** Makes an RS256 key pair with the given `kid`. */
export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateJwk, publicJwk };
}

/** The confidential client for client-credentials tests (service callers). */
export const SERVICE_CLIENT = { id: 'service-client', secret: 'service-client-secret-0123456789' };
/** A client for introspection: the resource server's own. */
export const INTROSPECTION_CLIENT = {
  id: 'resource-server',
  secret: 'resource-server-secret-0123456789',
};
/** Tokens for a resource on this host are opaque (introspected), not JWTs. */
export const OPAQUE_HOST = 'opaque.test';
export const SUPPORTED = ['tools:read', 'tools:call', 'tools:admin', 'finance:trade'];

export interface TestAuthorizationServer {
  issuer: string;
  /** The keys it signs with (first) and publishes (all). */
  keys: TestKey[];
  /** Replaces its keys (the first signs): a rotation, served at once by the same issuer URL. */
  rotate(keys: TestKey[]): Promise<void>;
  /** A client-credentials access token for `resource` (RFC 8707), as the service client. */
  clientCredentialsToken(resource: string, scope: string): Promise<string>;
  /** Signs any claims with one of its keys (or any key), for tokens it would never issue. */
  sign(claims: Record<string, unknown>, key?: TestKey): Promise<string>;
  /** How many times its key set was fetched. */
  jwksFetches(): number;
  stop(): Promise<void>;
}

/**
 * A real, certified OpenID provider (`oidc-provider`) on 127.0.0.1 for the OAuth tests: dynamic
 * client registration, authorization code with PKCE, client credentials, resource indicators
 * (RFC 8707) issuing RS256 JWT access tokens whose audience is the resource, and introspection.
 * Its login and consent pages are answered by the fixture itself, for the user `alice`,
 * granting what the client asked for: the consent a test answers for its user.
 */
export async function startAuthorizationServer(): Promise<TestAuthorizationServer> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  let jwksFetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/jwks') jwksFetches++;
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let keys = [await makeKey('key-1')];
  // One store for every provider instance: a rotation keeps clients, grants and tokens.
  const store: Store = { payloads: new Map(), index: new Map(), grants: new Map() };
  let provider = build(issuer, keys, store);

  const serve = (p: Provider) => {
    const callback = p.callback();
    handle = (req, res) => {
      if (req.url?.startsWith('/interaction/')) return void answerInteraction(p, req, res);
      // oidc-provider keeps registration same-origin; this issuer lets browser apps (the web
      // console) register themselves, as an issuer configured for them would.
      if (req.url === '/reg' && req.headers.origin) {
        res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            'Access-Control-Allow-Methods': 'POST',
            'Access-Control-Allow-Headers': 'content-type',
          });
          return void res.end();
        }
      }
      callback(req, res);
    };
  };
  serve(provider);

  return {
    issuer,
    get keys() {
      return keys;
    },
    async rotate(next) {
      keys = next;
      provider = build(issuer, keys, store);
      serve(provider);
    },
    async clientCredentialsToken(resource, scope) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${SERVICE_CLIENT.id}:${SERVICE_CLIENT.secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`token endpoint: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async sign(claims, key = keys[0]) {
      const { importJWK } = await import('jose');
      const privateKey = await importJWK(key.privateJwk, 'RS256');
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid })
        .sign(privateKey);
    },
    jwksFetches: () => jwksFetches,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function build(issuer: string, keys: TestKey[], store: Store): Provider {
  const configuration: Configuration = {
    adapter: memoryAdapter(store),
    jwks: { keys: keys.map((k) => k.privateJwk) },
    clients: [
      {
        client_id: SERVICE_CLIENT.id,
        client_secret: SERVICE_CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        scope: SUPPORTED.join(' '),
      },
      {
        client_id: INTROSPECTION_CLIENT.id,
        client_secret: INTROSPECTION_CLIENT.secret,
        grant_types: [],
        redirect_uris: [],
        response_types: [],
      },
    ],
    scopes: ['openid', 'offline_access', ...SUPPORTED],
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // A request that names no resource gets no access token for one.
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: SUPPORTED.join(' '),
          audience: resource,
          accessTokenTTL: 600,
          // Resources on the host `opaque.test` get opaque tokens, for the introspection tests.
          ...(new URL(resource).hostname === OPAQUE_HOST
            ? { accessTokenFormat: 'opaque' as const }
            : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: 'RS256' as const } } }),
        }),
      },
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      Grant: 3600,
      Interaction: 600,
      Session: 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key-0123456789'] },
  };
  return new Provider(issuer, configuration);
}

/** Logs `alice` in and grants every scope and resource the client asked for. */
async function answerInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session } = details;
    if (prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: 'alice' } });
      return;
    }
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) }))
      : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
}

/** Where every provider instance of one test issuer keeps its models. */
interface Store {
  payloads: Map<string, AdapterPayload>;
  /** `<model>:uid:<uid>` and `<model>:userCode:<code>` to ids. */
  index: Map<string, string>;
  /** Grant id to the keys of what it issued. */
  grants: Map<string, string[]>;
}

/** oidc-provider's storage interface over one {@link Store}, so models survive a provider rebuilt for a rotation. */
function memoryAdapter(store: Store) {
  return class MemoryAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    private lookup(index: string): AdapterPayload | undefined {
      const id = store.index.get(`${this.model}:${index}`);
      return id === undefined ? undefined : store.payloads.get(this.key(id));
    }
    async upsert(id: string, payload: AdapterPayload) {
      store.payloads.set(this.key(id), payload);
      if (payload.uid) store.index.set(`${this.model}:uid:${payload.uid}`, id);
      if (payload.userCode) store.index.set(`${this.model}:userCode:${payload.userCode}`, id);
      if (payload.grantId) {
        const keys = store.grants.get(payload.grantId) ?? [];
        store.grants.set(payload.grantId, [...keys, this.key(id)]);
      }
    }
    async find(id: string) {
      return store.payloads.get(this.key(id));
    }
    async findByUid(uid: string) {
      return this.lookup(`uid:${uid}`);
    }
    async findByUserCode(code: string) {
      return this.lookup(`userCode:${code}`);
    }
    async consume(id: string) {
      const payload = store.payloads.get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.payloads.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const key of store.grants.get(grantId) ?? []) store.payloads.delete(key);
      store.grants.delete(grantId);
    }
  };
}

/**
 * A user agent for the authorization-code flow: follows redirects from the authorization URL
 * through the login and consent interactions (keeping cookies), and stops at the client's
 * redirect URI, whose query (code, state, iss) it returns.
 */
export async function authorizeInBrowser(
  authorizationUrl: URL,
  redirectUri: string,
): Promise<URLSearchParams> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl.toString();
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(redirectUri)) return new URL(url).searchParams;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`stopped at ${url}: ${res.status} ${await res.text()}`);
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects');
}
