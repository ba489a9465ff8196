/**
 * What a request needs before it reaches a route:
 * - `open`: nothing (health, info, tool listing, CORS preflight);
 * - `caller`: a caller or admin key when API_KEYS is set (tool calls, MCP);
 * - `docs`: a key when DOCS_REQUIRE_AUTH=true;
 * - `admin`: the admin key, or a loopback caller when ADMIN_API_KEY is not set.
 */
export type Access = 'open' | 'caller' | 'docs' | 'admin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Express matches routes case-insensitively and ignores a trailing slash, so the
 * policy does too. Anything unusual (encoded characters, double slashes, unknown
 * methods) falls through to `admin` for a changing method: deny by default.
 */
export function normalizePath(path: string): string {
  const lower = path.toLowerCase();
  const trimmed = lower.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Classifies a request by method and path (without the query string). */
export function accessFor(method: string, rawPath: string): Access {
  const m = method.toUpperCase();
  if (m === 'OPTIONS') return 'open';
  const path = normalizePath(rawPath);
  if (path === '/mcp' || path.startsWith('/mcp/')) return 'caller';
  if (path === '/tools/call' && m === 'POST') return 'caller';
  if (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-')) return 'docs';
  return SAFE_METHODS.has(m) ? 'open' : 'admin';
}

/** True for requests subject to the per-caller rate limit. */
export function isRateLimited(method: string, rawPath: string): boolean {
  return accessFor(method, rawPath) === 'caller';
}
