import type { AccessLevel } from '../access.decorator.js';

/** The scopes this platform's resource servers understand. */
export const TOOLS_READ = 'tools:read';
export const TOOLS_CALL = 'tools:call';
export const TOOLS_ADMIN = 'tools:admin';
export const SUPPORTED_SCOPES: readonly string[] = [TOOLS_READ, TOOLS_CALL, TOOLS_ADMIN];

/** RFC 6749 §3.3: a scope token is printable ASCII without space, `"` or `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

/**
 * The scopes that admit an OAuth caller to a route of `level`, any one of them: `caller`
 * routes (tool calls, MCP) admit readers too, because MCP lists over the same route; a call
 * itself then needs `tools:call` (and the tool's own scope), checked where the tool is known.
 */
export function scopesOfLevel(level: AccessLevel): readonly string[] {
  switch (level) {
    case 'open':
      return [];
    case 'docs':
      return [TOOLS_READ];
    case 'caller':
      return [TOOLS_READ, TOOLS_CALL];
    case 'admin':
      return [TOOLS_ADMIN];
  }
}

/** The scopes a token grants: RFC 9068 `scope` (space-separated), or `scp` (a list, as some issuers write it). */
export function grantedScopes(claims: Readonly<Record<string, unknown>>): Set<string> {
  const granted = new Set<string>();
  const add = (value: unknown) => {
    const list = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
    for (const s of list) if (typeof s === 'string' && s) granted.add(s);
  };
  add(claims.scope);
  add(claims.scp);
  return granted;
}

/** The scopes of `required` that `granted` lacks. */
export function missingScopes(required: readonly string[], granted: ReadonlySet<string>): string[] {
  return required.filter((s) => !granted.has(s));
}
