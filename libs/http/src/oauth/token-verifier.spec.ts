import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  type CryptoKey as JoseKey,
  SignJWT,
} from 'jose';
import { AuthorizationServerUnavailableError, type OAuthSettings, ProviderSecret } from '@app/core';
import { InvalidTokenError, OAuthTokenVerifier } from './token-verifier.js';

const RESOURCE = 'http://127.0.0.1:3001/mcp';

interface Key {
  kid: string;
  alg: string;
  privateKey: JoseKey;
  jwk: JWK;
}

async function key(kid: string, alg = 'RS256'): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

/**
 * A fake authorization server (what is outside the unit): metadata at a chosen discovery
 * path, a key set, an introspection endpoint answering what the test says.
 */
class FakeIssuer {
  server!: Server;
  issuer = '';
  keys: Key[] = [];
  jwksFetches = 0;
  introspection: Record<string, unknown> = { active: false };
  introspectionAuth?: string;
  /** Which discovery document it serves. */
  discovery: 'oauth' | 'openid' = 'oauth';
  metadataIssuer?: string;

  async start(path = ''): Promise<void> {
    this.server = createServer((req, res) => this.answer(req, res.writeHead.bind(res), res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  private answer(
    req: IncomingMessage,
    head: (status: number, headers: Record<string, string>) => void,
    res: { end(body?: string): void },
  ): void {
    const origin = new URL(this.issuer).origin;
    const path = new URL(this.issuer).pathname.replace(/\/$/, '');
    const json = (status: number, body: unknown) => {
      head(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const metadata = {
      issuer: this.metadataIssuer ?? this.issuer,
      jwks_uri: `${origin}/jwks`,
      introspection_endpoint: `${origin}/introspect`,
    };
    if (
      this.discovery === 'oauth' &&
      req.url === `/.well-known/oauth-authorization-server${path}`
    ) {
      return json(200, metadata);
    }
    if (this.discovery === 'openid' && req.url === `${path}/.well-known/openid-configuration`) {
      return json(200, metadata);
    }
    if (req.url === '/jwks') {
      this.jwksFetches++;
      return json(200, { keys: this.keys.map((k) => k.jwk) });
    }
    if (req.url === '/introspect') {
      this.introspectionAuth = req.headers.authorization;
      return json(200, this.introspection);
    }
    json(404, {});
  }

  sign(claims: JWTPayload, signer: Key = this.keys[0]): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'at+jwt' })
      .sign(signer.privateKey);
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}

const now = () => Math.floor(Date.now() / 1000);

describe('OAuthTokenVerifier', () => {
  const fake = new FakeIssuer();
  let settings: OAuthSettings;
  let verifier: OAuthTokenVerifier;
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: fake.issuer,
    aud: RESOURCE,
    sub: 'alice',
    client_id: 'host',
    scope: 'tools:read tools:call',
    exp: now() + 300,
    ...extra,
  });
  const refusal = async (token: string) => {
    try {
      await verifier.verify(token);
      return 'accepted';
    } catch (err) {
      return err instanceof InvalidTokenError ? err.description : `${(err as Error).name}`;
    }
  };

  beforeAll(async () => {
    await fake.start();
    fake.keys = [await key('k1')];
  });
  beforeEach(() => {
    settings = {
      issuer: fake.issuer,
      algorithms: ['RS256', 'ES256'],
      leewaySeconds: 30,
    };
    verifier = new OAuthTokenVerifier(settings, () => RESOURCE);
  });
  afterAll(() => fake.stop());

  it('accepts a token of its issuer for its resource, naming subject, client and scopes', async () => {
    const token = await verifier.verify(await fake.sign(claims()));
    expect(token).toEqual({
      subject: 'alice',
      clientId: 'host',
      scopes: new Set(['tools:read', 'tools:call']),
    });
  });

  it('reads scopes written as an scp list too', async () => {
    const token = await verifier.verify(
      await fake.sign(claims({ scope: undefined, scp: ['tools:admin'] })),
    );
    expect(token.scopes).toEqual(new Set(['tools:admin']));
  });

  it('tolerates the clock leeway on exp and nbf, and no more', async () => {
    expect(await refusal(await fake.sign(claims({ exp: now() - 10 })))).toBe('accepted');
    expect(await refusal(await fake.sign(claims({ nbf: now() + 10 })))).toBe('accepted');
    expect(await refusal(await fake.sign(claims({ exp: now() - 60 })))).toBe(
      'The access token has expired',
    );
    expect(await refusal(await fake.sign(claims({ nbf: now() + 60 })))).toBe(
      'The access token is not valid yet',
    );
  });

  it('refuses a token without exp', async () => {
    expect(await refusal(await fake.sign(claims({ exp: undefined })))).toMatch(/exp/);
  });

  it('refuses a token for another resource or from another issuer', async () => {
    expect(await refusal(await fake.sign(claims({ aud: 'http://127.0.0.1:3002/mcp' })))).toBe(
      `The access token was not issued for ${RESOURCE}`,
    );
    expect(await refusal(await fake.sign(claims({ iss: 'http://evil.example' })))).toBe(
      'The access token was issued by another authorization server',
    );
  });

  it('refuses algorithms off the allow-list, alg none and HS256 among them', async () => {
    settings.algorithms = ['ES256'];
    expect(await refusal(await fake.sign(claims()))).toBe(
      'The access token is signed with an algorithm not accepted here',
    );
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const none = `${part({ alg: 'none' })}.${part(claims())}.`;
    expect(await refusal(none)).toMatch(/not accepted|malformed/);
    const hs = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    expect(await refusal(hs)).toBe(
      'The access token is signed with an algorithm not accepted here',
    );
  });

  it('refuses a signature made with a key the issuer does not hold', async () => {
    const impostor = await key('k1');
    expect(await refusal(await fake.sign(claims(), impostor))).toBe(
      'The access token signature is not valid',
    );
  });

  it('fetches the key set once, and again for an unknown kid after the cooldown (a rotation)', async () => {
    await verifier.verify(await fake.sign(claims()));
    await verifier.verify(await fake.sign(claims()));
    const fetched = fake.jwksFetches;
    const next = await key('k2');
    fake.keys = [next, ...fake.keys];
    // Within the cooldown an unknown kid waits; past it, the set is fetched again.
    expect(await refusal(await fake.sign(claims(), next))).toMatch(/does not publish|accepted/);
    const realNow = Date.now;
    Date.now = () => realNow() + 6000;
    try {
      expect(await refusal(await fake.sign(claims(), next))).toBe('accepted');
    } finally {
      Date.now = realNow;
    }
    expect(fake.jwksFetches).toBeGreaterThan(fetched);
    fake.keys = fake.keys.filter((k) => k.kid !== 'k2');
  });

  it('refuses an opaque token when no introspection is configured', async () => {
    expect(await refusal('opaque-token-value')).toMatch(/not a JWT/);
  });

  it('introspects opaque tokens as its own client (RFC 7662), holding them to the same rules', async () => {
    settings.introspection = { clientId: 'rs', clientSecret: new ProviderSecret('s3cret') };
    fake.introspection = {
      active: true,
      aud: RESOURCE,
      iss: fake.issuer,
      sub: 'svc',
      client_id: 'svc',
      scope: 'tools:call',
      exp: now() + 60,
    };
    expect(await verifier.verify('opaque-token-value')).toEqual({
      subject: 'svc',
      clientId: 'svc',
      scopes: new Set(['tools:call']),
    });
    expect(fake.introspectionAuth).toBe(`Basic ${Buffer.from('rs:s3cret').toString('base64')}`);
    fake.introspection = { ...fake.introspection, aud: 'http://other/mcp' };
    expect(await refusal('opaque-token-value')).toMatch(/not issued for/);
    fake.introspection = { active: false };
    expect(await refusal('opaque-token-value')).toBe('The access token is not active');
  });

  it('answers 503, not 401, while the issuer cannot be reached, and tries again next time', async () => {
    const gone = new OAuthTokenVerifier(
      { ...settings, issuer: 'http://127.0.0.1:1' },
      () => RESOURCE,
    );
    const err = await gone.verify(await fake.sign(claims())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthorizationServerUnavailableError);
    expect(err).toMatchObject({ status: 503 });
  });

  it('refuses metadata that names another issuer', async () => {
    fake.metadataIssuer = 'http://127.0.0.1:9';
    try {
      await expect(verifier.metadata()).rejects.toThrow(/names the issuer/);
    } finally {
      fake.metadataIssuer = undefined;
    }
  });
});

describe('OAuthTokenVerifier discovery of an issuer with a path', () => {
  it('falls back to OpenID discovery appended to the issuer', async () => {
    const fake = new FakeIssuer();
    fake.discovery = 'openid';
    await fake.start('/realms/tools');
    try {
      const verifier = new OAuthTokenVerifier(
        { issuer: fake.issuer, algorithms: ['RS256'], leewaySeconds: 0 },
        () => RESOURCE,
      );
      expect((await verifier.metadata()).jwks_uri).toBe(`${new URL(fake.issuer).origin}/jwks`);
    } finally {
      await fake.stop();
    }
  });
});
