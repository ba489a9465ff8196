import {
  Client,
  ClientCredentialsProvider,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  http,
  type Json,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { eventually } from './support/eventually.js';
import { ADMIN, bearer } from './support/keys.js';
import { MCP_ACCEPT, rawToolsCall } from './support/mcp-clients.js';
import {
  authorizeInBrowser,
  INTROSPECTION_CLIENT,
  makeKey,
  OPAQUE_HOST,
  SERVICE_CLIENT,
  startAuthorizationServer,
  type TestAuthorizationServer,
} from './support/oauth-provider.js';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const CATALOG = join(tmpdir(), `inspector-catalog-${process.pid}.json`);
/**
 * MCP Inspector 2.x needs Node 22.19+: like the conformance suites it is not a dependency but
 * installed on first use, with a Node 22 beside this Node 20, by scripts/node22-tools.mjs.
 */
const INSPECTOR_PACKAGE = '@modelcontextprotocol/inspector@2.12.0';

/**
 * What an MCP host keeps for one server: registration, PKCE verifier and tokens in memory.
 * `redirectToAuthorization` stands for opening the browser: the test's user agent does it.
 */
class MemoryOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  stored?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;

  get redirectUrl(): string {
    return REDIRECT_URI;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'e2e MCP host',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: OAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The official v2 client on `url` with an auth provider. */
async function connect(url: string, authProvider: OAuthClientProvider): Promise<Client> {
  const client = new Client({ name: 'e2e-oauth', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { authProvider }));
  return client;
}

/** A JWT of `alg: none`: a header and claims with no signature. */
function unsigned(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'at+jwt' })}.${part(claims)}.`;
}

const now = () => Math.floor(Date.now() / 1000);
const call = { name: 'get_stock_price', arguments: { symbol: 'AAPL' } };

describe('OAuth 2.1 resource-server mode (real authorization server)', () => {
  let as: TestAuthorizationServer;
  let servers: TestServers;
  let resourceA: string;
  let resourceB: string;
  let databaseUrl: string;

  beforeAll(async () => {
    as = await startAuthorizationServer();
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(databaseUrl, {
      OAUTH_ISSUER: as.issuer,
      ADMIN_API_KEY: ADMIN,
    });
    resourceA = `${servers.a}/mcp`;
    resourceB = `${servers.b}/mcp`;
  });
  afterAll(async () => {
    await servers?.stop();
    await as?.stop();
  });

  describe('discovery', () => {
    it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
      'publishes the protected resource metadata at %s',
      async (path) => {
        const res = await http<Json>('GET', `${servers.a}${path}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          resource: resourceA,
          authorization_servers: [as.issuer],
          scopes_supported: ['tools:read', 'tools:call', 'tools:admin'],
          bearer_methods_supported: ['header'],
          resource_name: 'Server A',
        });
      },
    );

    it("gives each server its own resource: Server B's is its own MCP URL", async () => {
      const res = await http<Json>('GET', `${servers.b}/.well-known/oauth-protected-resource/mcp`);
      expect(res.body.resource).toBe(resourceB);
    });

    it('challenges a request without a token with 401 and the metadata URL, REST and MCP alike', async () => {
      const expected = `Bearer resource_metadata="${servers.a}/.well-known/oauth-protected-resource/mcp", scope="tools:read tools:call"`;
      const rest = await http<Json>('POST', `${servers.a}/tools/call`, call);
      expect(rest.status).toBe(401);
      expect(rest.headers.get('www-authenticate')).toBe(expected);
      expect(rest.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      const raw = rawToolsCall(1, 'get_time', {});
      const mcp = await http<Json>('POST', `${servers.a}/mcp`, raw.body, raw.headers);
      expect(mcp.status).toBe(401);
      expect(mcp.headers.get('www-authenticate')).toBe(expected);
      // Refused before its body is read: the JSON-RPC error cannot name the request's id.
      expect(mcp.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    });

    it('asks for tools:admin on management routes, with no loopback exception', async () => {
      const res = await http('DELETE', `${servers.a}/tools/nope`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        `Bearer resource_metadata="${servers.a}/.well-known/oauth-protected-resource/mcp", scope="tools:admin"`,
      );
    });

    it('keeps open routes open and API keys working beside tokens', async () => {
      expect((await http('GET', `${servers.a}/tools`)).status).toBe(200);
      const res = await http('POST', `${servers.a}/tools/call`, call, bearer(ADMIN));
      expect(res.status).toBe(200);
    });
  });

  describe('the official SDK client, unchanged', () => {
    it('gets the 401, reads the metadata, registers, runs code + PKCE, then lists and calls tools', async () => {
      const provider = new MemoryOAuthProvider();
      await expect(connect(servers.a, provider)).rejects.toBeInstanceOf(UnauthorizedError);
      // It registered itself dynamically and sent the user to the issuer with PKCE and the resource.
      expect(provider.client?.client_id).toEqual(expect.any(String));
      const url = provider.authorizationUrl!;
      expect(url.origin).toBe(as.issuer);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('resource')).toBe(resourceA);
      expect(url.searchParams.get('scope')).toBe('tools:read tools:call');

      const callback = await authorizeInBrowser(url, REDIRECT_URI);
      const transport = new StreamableHTTPClientTransport(new URL(resourceA), {
        authProvider: provider,
      });
      await transport.finishAuth(callback);
      expect(provider.stored?.access_token).toEqual(expect.any(String));

      const client = await connect(servers.a, provider);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('get_stock_price');
      const result = await client.callTool({
        name: 'get_stock_price',
        arguments: { symbol: 'AAPL' },
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ symbol: 'AAPL' });
      await client.close();
      // The token's subject is the caller audit records (the user who consented, not the app).
      const audited = await eventually(async () => {
        const rows = await sql(
          databaseUrl,
          `SELECT caller FROM tool_calls WHERE tool_name = 'get_stock_price' AND transport = 'mcp'`,
        );
        return rows.some((r) => r.caller === 'oauth:alice');
      });
      expect(audited).toBe(true);

      // The same token, minted for Server A, is refused by Server B.
      const token = provider.stored!.access_token;
      const onB = await http('POST', `${servers.b}/tools/call`, call, bearer(token));
      expect(onB.status).toBe(401);
      expect(onB.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(onB.headers.get('www-authenticate')).toContain(`not issued for ${resourceB}`);
    });

    it('serves a service caller with client credentials (the SDK provider)', async () => {
      const provider = new ClientCredentialsProvider({
        clientId: SERVICE_CLIENT.id,
        clientSecret: SERVICE_CLIENT.secret,
        scope: 'tools:read tools:call',
        expectedIssuer: as.issuer,
      });
      const client = await connect(servers.b, provider);
      const result = await client.callTool({ name: 'get_time', arguments: { timezone: 'UTC' } });
      expect(result.structuredContent).toMatchObject({ timezone: 'UTC' });
      await client.close();
    });
  });

  describe('tokens that must be refused', () => {
    const challenge = (res: { headers: Headers }) => res.headers.get('www-authenticate') ?? '';
    const claims = () => ({
      iss: as.issuer,
      aud: resourceA,
      sub: 'mallory',
      scope: 'tools:read tools:call',
      iat: now(),
      exp: now() + 300,
    });

    it.each([
      ['expired', async () => as.sign({ ...claims(), exp: now() - 120 }), 'has expired'],
      ['not yet valid', async () => as.sign({ ...claims(), nbf: now() + 600 }), 'not valid yet'],
      [
        'wrongly signed',
        async () => as.sign(claims(), { ...(await makeKey('key-1')) }),
        'signature is not valid',
      ],
      [
        'for another audience',
        async () => as.sign({ ...claims(), aud: 'http://127.0.0.1:1/mcp' }),
        'not issued for',
      ],
      ['unsigned (alg none)', async () => unsigned(claims()), 'algorithm not accepted'],
      [
        'from another issuer',
        async () => as.sign({ ...claims(), iss: 'http://127.0.0.1:2' }),
        'another authorization server',
      ],
    ])('refuses a token %s with 401 invalid_token', async (_what, make, why) => {
      const token = await make();
      for (const res of [
        await http('POST', `${servers.a}/tools/call`, call, bearer(token)),
        await http('POST', `${servers.a}/mcp`, rawToolsCall(2, 'get_time', {}).body, {
          ...rawToolsCall(2, 'get_time', {}).headers,
          ...bearer(token),
        }),
      ]) {
        expect(res.status).toBe(401);
        expect(challenge(res)).toMatch(
          new RegExp(
            `^Bearer error="invalid_token", error_description="[^"]*${why}[^"]*", resource_metadata="${servers.a}/.well-known/oauth-protected-resource/mcp", scope="tools:read tools:call"$`,
          ),
        );
      }
    });

    it('answers a token without tools:call 403 insufficient_scope on a call, REST and MCP', async () => {
      const token = await as.clientCredentialsToken(resourceA, 'tools:read');
      const rest = await http<Json>('POST', `${servers.a}/tools/call`, call, bearer(token));
      expect(rest.status).toBe(403);
      expect(challenge(rest)).toMatch(
        /^Bearer error="insufficient_scope", scope="tools:call", resource_metadata="[^"]+", error_description="[^"]+"$/,
      );
      expect(rest.body).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
      const raw = rawToolsCall(3, 'get_stock_price', { symbol: 'AAPL' });
      const mcp = await http<Json>('POST', `${servers.a}/mcp`, raw.body, {
        ...raw.headers,
        ...bearer(token),
      });
      expect(mcp.status).toBe(403);
      expect(challenge(mcp)).toContain('error="insufficient_scope", scope="tools:call"');
      expect(mcp.body).toMatchObject({
        jsonrpc: '2.0',
        id: 3,
        error: { data: { code: 'INSUFFICIENT_SCOPE' } },
      });
    });

    it('answers a caller token on a management route 403 insufficient_scope tools:admin', async () => {
      const token = await as.clientCredentialsToken(resourceA, 'tools:read tools:call');
      const res = await http('DELETE', `${servers.a}/tools/nope`, undefined, bearer(token));
      expect(res.status).toBe(403);
      expect(challenge(res)).toContain('error="insufficient_scope", scope="tools:admin"');
    });
  });

  describe("a tool's own scope", () => {
    it('hides the tool from tools/list and refuses its call without the scope; shows and runs it with', async () => {
      const admin = await as.clientCredentialsToken(resourceA, 'tools:admin');
      const created = await http(
        'POST',
        `${servers.a}/tools`,
        {
          name: 'trade_desk',
          description: 'Only for traders',
          parameters: [],
          requiredScope: 'finance:trade',
        },
        bearer(admin),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ requiredScope: 'finance:trade' });

      const list = async (scope: string) => {
        const token = await as.clientCredentialsToken(resourceA, scope);
        const provider = new MemoryOAuthProvider();
        provider.stored = { access_token: token, token_type: 'Bearer' };
        const client = await connect(servers.a, provider);
        const names = (await client.listTools()).tools.map((t) => t.name);
        await client.close();
        return { token, names };
      };
      const plain = await list('tools:read tools:call');
      expect(plain.names).toContain('get_stock_price');
      expect(plain.names).not.toContain('trade_desk');
      const raw = rawToolsCall(4, 'trade_desk', {});
      const refused = await http('POST', `${servers.a}/mcp`, raw.body, {
        ...raw.headers,
        ...bearer(plain.token),
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toContain(
        'error="insufficient_scope", scope="tools:call finance:trade"',
      );
      const trader = await list('tools:read tools:call finance:trade');
      expect(trader.names).toContain('trade_desk');
      // Past the scope check: the tool has nothing to run it, which the tool itself answers.
      const ran = await http<Json>(
        'POST',
        `${servers.a}/tools/call`,
        { name: 'trade_desk', arguments: {} },
        bearer(trader.token),
      );
      expect(ran.status).toBe(501);
    });
  });

  describe('key rotation at the issuer', () => {
    it('keeps serving connected clients and accepts tokens signed with the new key', async () => {
      const client = await connect(
        servers.b,
        new ClientCredentialsProvider({
          clientId: SERVICE_CLIENT.id,
          clientSecret: SERVICE_CLIENT.secret,
          scope: 'tools:read tools:call',
          expectedIssuer: as.issuer,
        }),
      );
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      const before = await as.clientCredentialsToken(resourceB, 'tools:call');
      const fetches = as.jwksFetches();
      // Rotation: a new signing key, the old one still published while its tokens live.
      await as.rotate([await makeKey('key-2'), ...as.keys]);
      const after = await as.clientCredentialsToken(resourceB, 'tools:call');
      expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()).kid).toBe(
        'key-2',
      );
      const tool = { name: 'get_time', arguments: { timezone: 'UTC' } };
      // The verifier waits up to 5 s after a fetch before fetching for an unknown key: the new
      // key's token is accepted as soon as that pause allows, and no later than just after it.
      const accepted = async () =>
        (await http('POST', `${servers.b}/tools/call`, tool, bearer(after))).status === 200;
      expect(await eventually(accepted, 5_200)).toBe(true);
      expect(as.jwksFetches()).toBeGreaterThan(fetches);
      expect((await http('POST', `${servers.b}/tools/call`, tool, bearer(before))).status).toBe(
        200,
      );
      // The client connected before the rotation goes on working.
      expect((await client.callTool(tool)).isError).toBeFalsy();
      await client.close();
    }, 30_000);
  });

  describe("MCP Inspector's CLI", () => {
    let NODE_22 = '';
    let INSPECTOR = '';
    beforeAll(async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['scripts/node22-tools.mjs', 'mcp-inspector', INSPECTOR_PACKAGE],
        { timeout: 280_000 },
      );
      const { node, modules } = JSON.parse(stdout) as { node: string; modules: string };
      NODE_22 = node;
      INSPECTOR = join(modules, '@modelcontextprotocol/inspector/clients/launcher/build/index.js');
    }, 300_000);

    const inspect = async (token: string | undefined, ...args: string[]) => {
      const headers = token ? ['--header', `Authorization: Bearer ${token}`] : [];
      try {
        const { stdout } = await promisify(execFile)(
          NODE_22,
          [INSPECTOR, '--cli', resourceA, '--transport', 'http', ...headers, ...args],
          // Its catalog file goes to a temporary place, not the user's home.
          { timeout: 30_000, env: { ...process.env, MCP_CATALOG_PATH: CATALOG } },
        );
        return { ok: true, out: stdout };
      } catch (err) {
        const { stdout, stderr } = err as { stdout: string; stderr: string };
        return { ok: false, out: `${stdout}${stderr}` };
      }
    };

    it('is installed and runs under Node 22', () => {
      expect(existsSync(NODE_22) && existsSync(INSPECTOR)).toBe(true);
    });

    it('lists and calls tools with a bearer header, and is refused without one', async () => {
      const token = await as.clientCredentialsToken(resourceA, 'tools:read tools:call');
      const listed = await inspect(token, '--method', 'tools/list');
      expect(listed.ok).toBe(true);
      expect(JSON.parse(listed.out).tools.map((t: { name: string }) => t.name)).toContain(
        'get_stock_price',
      );
      const called = await inspect(
        token,
        '--method',
        'tools/call',
        '--tool-name',
        'get_stock_price',
        '--tool-arg',
        'symbol=AAPL',
      );
      expect(called.ok).toBe(true);
      expect(JSON.parse(called.out).structuredContent).toMatchObject({ symbol: 'AAPL' });
      const refused = await inspect(undefined, '--method', 'tools/list');
      expect(refused.ok).toBe(false);
      expect(refused.out).toMatch(/401|Unauthorized|auth/i);
    }, 60_000);
  });

  describe('opaque tokens (RFC 7662 introspection)', () => {
    let opaque: TestServers;
    const resource = `http://${OPAQUE_HOST}/mcp`;

    beforeAll(async () => {
      opaque = await startTestServers(
        await createTestDatabase(),
        {
          OAUTH_ISSUER: as.issuer,
          OAUTH_RESOURCE_A: resource,
          OAUTH_INTROSPECTION_CLIENT_ID: INTROSPECTION_CLIENT.id,
          OAUTH_INTROSPECTION_CLIENT_SECRET: INTROSPECTION_CLIENT.secret,
        },
        ['a'],
      );
    });
    afterAll(() => opaque?.stop());

    it('accepts an opaque token the issuer says is active for this resource, and no other', async () => {
      const token = await as.clientCredentialsToken(resource, 'tools:call');
      expect(token.split('.')).toHaveLength(1);
      const ok = await http('POST', `${opaque.a}/tools/call`, call, bearer(token));
      expect(ok.status).toBe(200);
      const forged = await http('POST', `${opaque.a}/tools/call`, call, bearer(`${token}x`));
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toContain('The access token is not active');
      // A JWT for another resource is still refused by its audience.
      const other = await as.clientCredentialsToken(resourceA, 'tools:call');
      expect((await http('POST', `${opaque.a}/tools/call`, call, bearer(other))).status).toBe(401);
    });
  });

  it('never accepts MCP_ACCEPT-only requests without a token (no loopback pass on /mcp)', async () => {
    const res = await http('GET', `${servers.a}/mcp`, undefined, MCP_ACCEPT);
    expect(res.status).toBe(401);
  });
});
