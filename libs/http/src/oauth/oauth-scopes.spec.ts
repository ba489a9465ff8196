import { grantedScopes, missingScopes, SCOPE_TOKEN, scopesOfLevel } from './oauth-scopes.js';

describe('OAuth scopes', () => {
  it('admits readers and callers on caller routes, readers on docs, admins on admin routes', () => {
    expect(scopesOfLevel('open')).toEqual([]);
    expect(scopesOfLevel('docs')).toEqual(['tools:read']);
    expect(scopesOfLevel('caller')).toEqual(['tools:read', 'tools:call']);
    expect(scopesOfLevel('admin')).toEqual(['tools:admin']);
  });

  it('reads a space-separated scope claim and an scp list, ignoring anything else', () => {
    expect(grantedScopes({ scope: 'tools:read  tools:call' })).toEqual(
      new Set(['tools:read', 'tools:call']),
    );
    expect(grantedScopes({ scp: ['tools:admin', 7] })).toEqual(new Set(['tools:admin']));
    expect(grantedScopes({ scope: 42 })).toEqual(new Set());
  });

  it('names the scopes a grant lacks, in the order required', () => {
    expect(missingScopes(['tools:call', 'finance:trade'], new Set(['tools:call']))).toEqual([
      'finance:trade',
    ]);
  });

  it('accepts RFC 6749 scope tokens only', () => {
    expect(['finance:trade', 'https://x/y.read'].every((s) => SCOPE_TOKEN.test(s))).toBe(true);
    expect(['has space', 'quo"te', 'back\\slash', ''].some((s) => SCOPE_TOKEN.test(s))).toBe(false);
  });
});
