import { networkInterfaces } from 'node:os';
import {
  createTestDatabase,
  http,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { ADMIN, ALICE, BOB, bearer, KEYS_ENV } from './support/keys.js';
import { MCP_ACCEPT } from './support/mcp-clients.js';

const call = { name: 'get_stock_price', arguments: { symbol: 'AAPL' } };
const tool = (name: string) => ({ name, description: 'a tool', parameters: [] });

/** An address of this machine that is not loopback, to be a "remote" client of a server bound to 0.0.0.0. */
function lanAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!found) throw new Error('this test needs a non-loopback IPv4 interface');
  return found.address;
}

describe('Security: keys, headers and CORS (real apps)', () => {
  describe('with ADMIN_API_KEY and API_KEYS set', () => {
    let databaseUrl: string;
    let servers: TestServers;

    beforeAll(async () => {
      databaseUrl = await createTestDatabase();
      servers = await startTestServers(databaseUrl, KEYS_ENV);
    });
    afterAll(() => servers?.stop());

    it('keeps /health, /info and GET /tools open', async () => {
      for (const path of ['/health', '/info', '/tools']) {
        expect((await http('GET', `${servers.a}${path}`)).status).toBe(200);
      }
    });

    it('answers a tool call with no key 401 and WWW-Authenticate: Bearer', async () => {
      const res = await http('POST', `${servers.a}/tools/call`, call);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+"$/);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    });

    it('answers an unknown key 401 invalid_token, and never echoes it', async () => {
      const wrong = `${ALICE}x`;
      const res = await http('POST', `${servers.a}/tools/call`, call, bearer(wrong));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(JSON.stringify(res.body)).not.toContain(wrong);
      const basic = await http('POST', `${servers.a}/tools/call`, call, {
        authorization: `Basic ${Buffer.from(`u:${ALICE}`).toString('base64')}`,
      });
      expect(basic.status).toBe(401);
    });

    it('lets a caller key or the admin key call tools (scheme case-insensitive)', async () => {
      for (const auth of [`Bearer ${ALICE}`, `bearer ${BOB}`, `BEARER ${ADMIN}`]) {
        const res = await http('POST', `${servers.a}/tools/call`, call, { authorization: auth });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ tool: 'get_stock_price' });
      }
    });

    it('protects /mcp the same way, with WWW-Authenticate', async () => {
      const init = { jsonrpc: '2.0', id: 1, method: 'ping' };
      for (const method of ['POST', 'GET', 'DELETE']) {
        const res = await http(method, `${servers.b}/mcp`, method === 'POST' ? init : undefined);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
      const withKey = await http('POST', `${servers.b}/mcp`, init, {
        ...bearer(ALICE),
        ...MCP_ACCEPT,
      });
      expect([401, 403]).not.toContain(withKey.status);
    });

    it('needs the admin key for every changing route: none 401, a caller key 403', async () => {
      const routes: Array<[string, string, unknown]> = [
        ['POST', '/tools', tool('guarded_tool')],
        ['POST', '/TOOLS/', tool('guarded_tool')],
        ['PATCH', '/tools/get_stock_price', { description: 'changed' }],
        ['DELETE', '/tools/get_stock_price', undefined],
        ['PUT', '/tools', tool('guarded_tool')],
        ['POST', '/tools/get_stock_price/disable', undefined],
      ];
      for (const [method, path, body] of routes) {
        const none = await http(method, `${servers.a}${path}`, body);
        expect([method, path, none.status]).toEqual([method, path, 401]);
        expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
        const caller = await http(method, `${servers.a}${path}`, body, bearer(ALICE));
        expect([method, path, caller.status]).toEqual([method, path, 403]);
        expect(caller.body).toMatchObject({ code: 'FORBIDDEN' });
      }
      const rows = await sql(databaseUrl, `SELECT name FROM tools WHERE name = 'guarded_tool'`);
      expect(rows).toHaveLength(0);
    });

    it('accepts the admin key on changing routes', async () => {
      const res = await http('POST', `${servers.a}/tools`, tool('admin_made'), bearer(ADMIN));
      expect(res.status).toBe(201);
    });

    it('leaves /docs open by default and keeps keys out of the OpenAPI document', async () => {
      const docs = await http('GET', `${servers.a}/docs`);
      expect(docs.status).toBe(200);
      const json = await http('GET', `${servers.a}/docs-json`);
      expect(json.status).toBe(200);
      const text = JSON.stringify(json.body);
      expect(text).toContain('bearer');
      for (const key of [ADMIN, ALICE, BOB]) expect(text).not.toContain(key);
    });
  });

  describe('with no keys, bound to 0.0.0.0, CORS for one origin', () => {
    let servers: TestServers;
    let remote: string;

    beforeAll(async () => {
      servers = await startTestServers(
        await createTestDatabase(),
        { SERVER_A_HOST: '0.0.0.0', CORS_ORIGINS: 'https://app.example.com' },
        ['a'],
      );
      remote = servers.a.replace('0.0.0.0', lanAddress());
    });
    afterAll(() => servers?.stop());

    it('accepts writes from loopback only, and says how to open them', async () => {
      const local = await http(
        'POST',
        `${servers.a.replace('0.0.0.0', '127.0.0.1')}/tools`,
        tool('from_loopback'),
      );
      expect(local.status).toBe(201);
      const far = await http('POST', `${remote}/tools`, tool('from_lan'));
      expect(far.status).toBe(403);
      expect(far.body).toMatchObject({ code: 'FORBIDDEN' });
      expect(String(far.body.message)).toContain('ADMIN_API_KEY');
    });

    it('still lets remote callers read and call tools when API_KEYS is not set', async () => {
      expect((await http('GET', `${remote}/tools`)).status).toBe(200);
      expect((await http('POST', `${remote}/tools/call`, call)).status).toBe(200);
    });

    it('sends security headers and no X-Powered-By', async () => {
      const res = await http('GET', `${remote}/tools`);
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('strict-transport-security')).toBeNull();
      const err = await http('POST', `${remote}/tools/call`, '{"broken');
      expect(err.status).toBe(400);
      expect(err.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it("gives data answers the API headers (nothing loads on their behalf), and pages helmet's", async () => {
      const pageOnly = ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-xss-protection'];
      for (const [method, path] of [
        ['GET', '/tools'],
        ['GET', '/docs-json'],
        ['GET', '/no-such-route'],
        ['DELETE', '/mcp'],
      ]) {
        const data = await http(method, `${remote}${path}`);
        expect(data.headers.get('content-security-policy')).toBe(
          "default-src 'none';frame-ancestors 'none'",
        );
        expect(data.headers.get('referrer-policy')).toBe('no-referrer');
        expect(data.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
        for (const name of pageOnly) expect(data.headers.get(name)).toBeNull();
      }
      const docs = await http('GET', `${remote}/docs`);
      expect(docs.headers.get('content-type')).toContain('text/html');
      expect(docs.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(docs.headers.get('x-frame-options')).toBe('DENY');
      // The console's own page policy is its own (console-static); the rest are the pages' set.
      for (const page of [docs, await http('GET', `${remote}/console/`)]) {
        for (const name of pageOnly) expect(page.headers.get(name)).not.toBeNull();
      }
    });

    it('allows the configured origin, with Authorization in preflight, and no other', async () => {
      const ok = await http('GET', `${remote}/tools`, undefined, {
        origin: 'https://app.example.com',
      });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const pre = await http('OPTIONS', `${remote}/mcp`, undefined, {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-session-id',
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'authorization',
      );
      const evil = await http('GET', `${remote}/tools`, undefined, {
        origin: 'https://evil.example',
      });
      expect(evil.status).toBe(200);
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('with default CORS (none) and DOCS_REQUIRE_AUTH=true', () => {
    let servers: TestServers;

    beforeAll(async () => {
      servers = await startTestServers(
        await createTestDatabase(),
        { API_KEYS: ALICE, DOCS_REQUIRE_AUTH: 'true' },
        ['b'],
      );
    });
    afterAll(() => servers?.stop());

    it('gives a foreign origin no Access-Control-Allow-Origin', async () => {
      const res = await http('GET', `${servers.b}/tools`, undefined, {
        origin: 'https://evil.example',
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('asks for a key on /docs and /docs-json, and accepts a bare caller key', async () => {
      expect((await http('GET', `${servers.b}/docs`)).status).toBe(401);
      expect((await http('GET', `${servers.b}/docs-json`)).status).toBe(401);
      expect((await http('GET', `${servers.b}/docs-json`, undefined, bearer(ALICE))).status).toBe(
        200,
      );
      expect((await http('GET', `${servers.b}/health`)).status).toBe(200);
    });
  });
});
