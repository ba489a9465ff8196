import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Caller, KeyRing } from '@app/core';
import type { AccessLevel } from './access.decorator.js';
import { AccessPolicy, bearerToken, defaultAccess, isLoopback } from './access.policy.js';
import type { HttpPipelineOptions } from './pipeline.options.js';
import { OAuthResourceServer } from './oauth/oauth-resource-server.js';
import { InvalidTokenError } from './oauth/token-verifier.js';

/** A resource server whose issuer knows two tokens (the verifier has its own spec). */
class FakeResourceServer extends OAuthResourceServer {
  constructor() {
    super(
      { issuer: 'https://as.example', algorithms: ['RS256'], leewaySeconds: 30 },
      () => 'http://127.0.0.1:3001/mcp',
      'Server A',
    );
  }
  override async authenticate(token: string): Promise<Caller> {
    const scopes: Record<string, string[]> = {
      reader: ['tools:read'],
      caller: ['tools:read', 'tools:call'],
      admin: ['tools:admin'],
    };
    if (!(token in scopes)) throw new InvalidTokenError('The access token has expired');
    return { name: `oauth:${token}`, role: 'caller', scopes: new Set(scopes[token]) };
  }
}

/** The status an OAuth-mode request is refused with, or 'ok', once any token check is done. */
async function settled(p: AccessPolicy, level: AccessLevel, r: ReturnType<typeof request>) {
  try {
    await p.check(r.req, r.res, level);
    return 'ok';
  } catch (err) {
    return (err as { status: number }).status;
  }
}

const ADMIN = 'admin-key-0123456789abcdef';
const ALICE = 'alice-key-0123456789abcdef';

function policy(keys: KeyRing, docsRequireAuth = false): AccessPolicy {
  return new AccessPolicy({ keys, docsRequireAuth } as HttpPipelineOptions);
}

function request(
  method: string,
  authorization?: string,
  remoteAddress = '127.0.0.1',
): { req: IncomingMessage; res: ServerResponse; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const req = {
    method,
    headers: authorization === undefined ? {} : { authorization },
    socket: { remoteAddress },
  } as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), {
    setHeader: (name: string, value: string) => (headers[name] = value),
  }) as unknown as ServerResponse;
  return { req, res, headers };
}

/** The status a request is refused with, or 'ok'. */
function outcome(p: AccessPolicy, level: AccessLevel, r: ReturnType<typeof request>) {
  try {
    p.check(r.req, r.res, level);
    return 'ok';
  } catch (err) {
    return (err as { status: number }).status;
  }
}

describe('AccessPolicy', () => {
  const keyed = policy(new KeyRing(ADMIN, [{ name: 'alice', key: ALICE }]));

  it('lets anyone through open routes and names a caller who sent a valid key', () => {
    const r = request('GET', `Bearer ${ALICE}`);
    expect(outcome(keyed, 'open', r)).toBe('ok');
    expect(r.req.caller).toEqual({ name: 'alice', role: 'caller' });
  });

  it('asks tool callers for a key when API_KEYS is set, with a Bearer challenge', () => {
    const none = request('POST');
    expect(outcome(keyed, 'caller', none)).toBe(401);
    expect(none.headers['WWW-Authenticate']).toBe('Bearer realm="mcp-multi-server"');
    const wrong = request('POST', `Bearer ${ALICE}x`);
    expect(outcome(keyed, 'caller', wrong)).toBe(401);
    expect(wrong.headers['WWW-Authenticate']).toContain('error="invalid_token"');
    expect(outcome(keyed, 'caller', request('POST', `bearer ${ALICE}`))).toBe('ok');
    expect(outcome(keyed, 'caller', request('POST', `Bearer ${ADMIN}`))).toBe('ok');
    expect(outcome(policy(new KeyRing(ADMIN, [])), 'caller', request('POST'))).toBe('ok');
  });

  it('needs the admin key for admin routes: none 401, a caller key 403', () => {
    expect(outcome(keyed, 'admin', request('POST'))).toBe(401);
    expect(outcome(keyed, 'admin', request('POST', `Bearer ${ALICE}`))).toBe(403);
    expect(outcome(keyed, 'admin', request('POST', `Bearer ${ADMIN}`))).toBe('ok');
  });

  it('without ADMIN_API_KEY, accepts changes from loopback only, never trusting proxy headers', () => {
    const open = policy(new KeyRing(undefined, []));
    expect(outcome(open, 'admin', request('POST', undefined, '127.0.0.1'))).toBe('ok');
    expect(outcome(open, 'admin', request('POST', undefined, '::1'))).toBe('ok');
    const far = request('POST', undefined, '192.0.2.7');
    far.req.headers['x-forwarded-for'] = '127.0.0.1';
    expect(outcome(open, 'admin', far)).toBe(403);
  });

  it('asks for a key on the docs only when DOCS_REQUIRE_AUTH is on', () => {
    expect(outcome(keyed, 'docs', request('GET'))).toBe('ok');
    const locked = policy(new KeyRing(undefined, [{ name: 'alice', key: ALICE }]), true);
    expect(outcome(locked, 'docs', request('GET'))).toBe(401);
    expect(outcome(locked, 'docs', request('GET', `Bearer ${ALICE}`))).toBe('ok');
  });

  it('lets a CORS preflight through whatever the level', () => {
    expect(outcome(keyed, 'admin', request('OPTIONS'))).toBe('ok');
  });
});

describe('AccessPolicy in OAuth resource-server mode', () => {
  const metadata = 'http://127.0.0.1:3001/.well-known/oauth-protected-resource/mcp';
  const oauthPolicy = (keys = new KeyRing(undefined, []), docsRequireAuth = false) =>
    new AccessPolicy({
      keys,
      docsRequireAuth,
      oauth: new FakeResourceServer(),
    } as HttpPipelineOptions);

  it('challenges a caller without a token with the metadata URL and the scopes to ask for', async () => {
    const r = request('POST');
    expect(await settled(oauthPolicy(), 'caller', r)).toBe(401);
    expect(r.headers['WWW-Authenticate']).toBe(
      `Bearer resource_metadata="${metadata}", scope="tools:read tools:call"`,
    );
  });

  it('answers an invalid token 401 invalid_token with the reason', async () => {
    const r = request('POST', 'Bearer stale');
    expect(await settled(oauthPolicy(), 'caller', r)).toBe(401);
    expect(r.headers['WWW-Authenticate']).toBe(
      `Bearer error="invalid_token", error_description="The access token has expired", resource_metadata="${metadata}", scope="tools:read tools:call"`,
    );
  });

  it('admits by scope and names the caller; a token without the scope gets 403 insufficient_scope', async () => {
    const caller = request('POST', 'Bearer caller');
    expect(await settled(oauthPolicy(), 'caller', caller)).toBe('ok');
    expect(caller.req.caller).toMatchObject({ name: 'oauth:caller' });
    expect(await settled(oauthPolicy(), 'caller', request('POST', 'Bearer reader'))).toBe('ok');
    expect(await settled(oauthPolicy(), 'admin', request('POST', 'Bearer caller'))).toBe(403);
    expect(await settled(oauthPolicy(), 'admin', request('POST', 'Bearer admin'))).toBe('ok');
    expect(await settled(oauthPolicy(), 'caller', request('POST', 'Bearer admin'))).toBe(403);
  });

  it('ends the loopback exception for changes: a token or the admin key is needed', async () => {
    expect(await settled(oauthPolicy(), 'admin', request('POST', undefined, '127.0.0.1'))).toBe(
      401,
    );
    const keyed = oauthPolicy(new KeyRing(ADMIN, [{ name: 'alice', key: ALICE }]));
    expect(await settled(keyed, 'admin', request('POST', `Bearer ${ADMIN}`))).toBe('ok');
    expect(await settled(keyed, 'admin', request('POST', `Bearer ${ALICE}`))).toBe(403);
  });

  it('keeps keys synchronous and open routes free of token checks', () => {
    const keyed = oauthPolicy(new KeyRing(ADMIN, []));
    expect(keyed.check(request('POST', `Bearer ${ADMIN}`).req, request('POST').res, 'caller')).toBe(
      undefined,
    );
    const open = request('GET', 'Bearer anything');
    expect(keyed.check(open.req, open.res, 'open')).toBe(undefined);
    expect(open.req.caller).toBeUndefined();
  });

  it('asks for tools:read on the docs only when DOCS_REQUIRE_AUTH is on', async () => {
    expect(await settled(oauthPolicy(), 'docs', request('GET'))).toBe('ok');
    const locked = oauthPolicy(undefined, true);
    const r = request('GET');
    expect(await settled(locked, 'docs', r)).toBe(401);
    expect(r.headers['WWW-Authenticate']).toContain('scope="tools:read"');
    expect(await settled(locked, 'docs', request('GET', 'Bearer reader'))).toBe('ok');
  });
});

describe('defaultAccess', () => {
  it.each([
    ['GET', 'open'],
    ['HEAD', 'open'],
    ['OPTIONS', 'open'],
    ['POST', 'admin'],
    ['PUT', 'admin'],
    ['PATCH', 'admin'],
    ['DELETE', 'admin'],
    ['PROPFIND', 'admin'],
  ])('%s without @Access needs %s', (method, level) => {
    expect(defaultAccess(method)).toBe(level);
  });
});

describe('bearerToken', () => {
  it('reads a Bearer token in any case of the scheme, and nothing else', () => {
    expect(bearerToken(request('GET', 'Bearer abc').req)).toBe('abc');
    expect(bearerToken(request('GET', 'bEaReR\tabc ').req)).toBe('abc');
    expect(bearerToken(request('GET', 'Basic abc').req)).toBeUndefined();
    expect(bearerToken(request('GET', 'Bearer a b').req)).toBeUndefined();
    expect(bearerToken(request('GET').req)).toBeUndefined();
  });
});

describe('isLoopback', () => {
  it('accepts only this machine, in IPv4, IPv6 and mapped forms', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['192.0.2.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
