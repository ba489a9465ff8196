import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeyRing } from '@app/core';
import type { AccessLevel } from './access.decorator.js';
import { AccessPolicy, bearerToken, defaultAccess, isLoopback } from './access.policy.js';
import type { HttpPipelineOptions } from './pipeline.options.js';

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
