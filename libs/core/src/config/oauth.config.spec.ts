import { inspect } from 'node:util';
import { loadConfig } from './environment.js';
import { secretVariables } from './validate-environment.js';
import { PlatformVariables } from './environment.js';

const ISSUER = 'https://login.example.com/realms/tools';

describe('OAuth configuration', () => {
  it('is off unless OAUTH_ISSUER is set', () => {
    expect(loadConfig({}).security.oauth).toBeUndefined();
  });

  it('reads the issuer exactly (a trailing slash is part of it), with safe defaults', () => {
    expect(loadConfig({ OAUTH_ISSUER: 'https://tenant.auth0.com/' }).security.oauth).toEqual({
      issuer: 'https://tenant.auth0.com/',
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      leewaySeconds: 30,
      introspection: undefined,
    });
  });

  it.each([
    ['none', /"none" is never accepted/],
    ['RS256,HS256', /HS256 needs a secret shared with the issuer/],
    ['RS256,XY1', /XY1 is not one of/],
  ])('refuses OAUTH_ALGORITHMS=%s at start', (value, why) => {
    expect(() => loadConfig({ OAUTH_ISSUER: ISSUER, OAUTH_ALGORITHMS: value })).toThrow(why);
  });

  it('refuses an issuer that is not an http(s) URL, and a leeway past 300 s', () => {
    expect(() => loadConfig({ OAUTH_ISSUER: 'login.example.com' })).toThrow(/OAUTH_ISSUER/);
    expect(() => loadConfig({ OAUTH_ISSUER: ISSUER, OAUTH_CLOCK_LEEWAY_SECONDS: '301' })).toThrow(
      /OAUTH_CLOCK_LEEWAY_SECONDS/,
    );
  });

  it('needs both introspection credentials, and OAUTH_ISSUER for any OAuth setting', () => {
    expect(() => loadConfig({ OAUTH_ISSUER: ISSUER, OAUTH_INTROSPECTION_CLIENT_ID: 'rs' })).toThrow(
      /set both/,
    );
    expect(() => loadConfig({ OAUTH_INTROSPECTION_ENDPOINT: 'https://as/introspect' })).toThrow(
      /OAUTH_INTROSPECTION_ENDPOINT: needs OAUTH_ISSUER/,
    );
  });

  it('keeps the introspection secret hidden, in errors and in the config', () => {
    const secret = 'introspection-s3cret';
    const config = loadConfig({
      OAUTH_ISSUER: ISSUER,
      OAUTH_INTROSPECTION_CLIENT_ID: 'rs',
      OAUTH_INTROSPECTION_CLIENT_SECRET: secret,
    });
    expect(config.security.oauth?.introspection?.clientSecret.reveal()).toBe(secret);
    expect(JSON.stringify(config)).not.toContain(secret);
    expect(inspect(config, { depth: null })).not.toContain(secret);
    expect(secretVariables(PlatformVariables)).toContain('OAUTH_INTROSPECTION_CLIENT_SECRET');
    expect(() =>
      loadConfig({ OAUTH_ISSUER: ISSUER, OAUTH_INTROSPECTION_CLIENT_SECRET: 'has space' }),
    ).toThrow(/OAUTH_INTROSPECTION_CLIENT_SECRET=\(hidden\)/);
  });

  it('lets DOCS_REQUIRE_AUTH rely on tokens alone', () => {
    expect(
      loadConfig({ OAUTH_ISSUER: ISSUER, DOCS_REQUIRE_AUTH: 'true' }).security.docsRequireAuth,
    ).toBe(true);
  });
});
