import { inspect } from 'node:util';
import { loadConfig } from './environment.js';
import { KeyRing, parseApiKeys } from './api-keys.js';

const ADMIN = 'admin-key-0123456789abcdef';
const ALICE = 'alice-key-0123456789abcdef';

describe('parseApiKeys', () => {
  it('reads name:key entries and names bare keys by position', () => {
    expect(parseApiKeys(` alice:${ALICE} , ${ADMIN}x `)).toEqual([
      { name: 'alice', key: ALICE },
      { name: 'key-2', key: `${ADMIN}x` },
    ]);
  });
});

describe('KeyRing', () => {
  const ring = new KeyRing(ADMIN, [{ name: 'alice', key: ALICE }]);

  it('identifies the admin key and caller keys, and nothing else', () => {
    expect(ring.identify(ADMIN)).toEqual({ name: 'admin', role: 'admin' });
    expect(ring.identify(ALICE)).toEqual({ name: 'alice', role: 'caller' });
    expect(ring.identify(ALICE.slice(0, -1))).toBeUndefined();
    expect(ring.identify('')).toBeUndefined();
  });

  it('never prints a key, whether logged, inspected or serialised', () => {
    const shown = `${inspect(ring, { depth: 10, showHidden: true })} ${JSON.stringify({ ring })}`;
    expect(shown).not.toContain(ADMIN);
    expect(shown).not.toContain(ALICE);
    expect(shown).toContain('2 keys');
  });

  it('refuses a caller key equal to the admin key, and a repeated name', () => {
    expect(() => new KeyRing(ADMIN, [{ name: 'x', key: ADMIN }])).toThrow(/repeats/);
    expect(
      () =>
        new KeyRing(undefined, [
          { name: 'x', key: ALICE },
          { name: 'x', key: ADMIN },
        ]),
    ).toThrow(/twice/);
  });
});

describe('security configuration', () => {
  it('stops start-up on a weak admin key without echoing it', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: 'short-secret' })).toThrow(/ADMIN_API_KEY=\(hidden\)/);
    try {
      loadConfig({ ADMIN_API_KEY: 'short-secret', API_KEYS: 'a:tiny-secret' });
    } catch (err) {
      expect((err as Error).message).not.toMatch(/short-secret|tiny-secret/);
    }
  });

  it('requires a key before docs can require one, and both TLS files together', () => {
    expect(() => loadConfig({ DOCS_REQUIRE_AUTH: 'true' })).toThrow(/DOCS_REQUIRE_AUTH/);
    expect(() => loadConfig({ TLS_CERT_FILE: '/tmp/cert.pem' })).toThrow(/TLS_KEY_FILE/);
  });

  it('rejects a malformed CORS origin and accepts a list', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'javascript:alert(1)' })).toThrow(/CORS_ORIGINS/);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173/' }).security
        .corsOrigins,
    ).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it('defaults to safe values: no CORS, no keys, loopback-only writes, 30 s calls', () => {
    const c = loadConfig({});
    expect(c.security.corsOrigins).toEqual([]);
    expect(c.security.keys.size).toBe(0);
    expect(c.callTimeoutMs).toBe(30_000);
    expect(c.shutdownGraceMs).toBe(5000);
  });
});
