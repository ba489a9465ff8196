import { ConfigError } from '@app/core';
import type { RunningServers } from '@app/platform';
import { serverA } from '../apps/server-a/src/server-a.js';
import { serverB } from '../apps/server-b/src/server-b.js';
import {
  createTestDatabase,
  http,
  type Json,
  sql,
  startTestDefinitions,
  urlOf,
} from './support/harness.js';
import {
  connectClient,
  listAllTools,
  registerAndHear,
  REVISIONS,
  type Revision,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { serverC } from './support/server-c/server-c.js';

/**
 * Adding a server is one app folder and its settings: Server C (test/support/server-c) is
 * built like apps/server-a and apps/server-b, with its own PORT_C, SERVER_C_NAME and a tool
 * of its own, and the launcher starts it beside them with no change in libs/.
 */
describe('a third server from its own app folder (real launcher, real PostgreSQL)', () => {
  let databaseUrl: string;
  let running: RunningServers;
  let a: string;
  let c: string;
  const env = {
    PORT_A: '0',
    PORT_B: '0',
    PORT_C: '0',
    SERVER_C_NAME: 'server_c',
    ECHO_PREFIX: 'C says ',
    // Lets the tests register HTTP tools, to see which secrets they may refer to.
    HTTP_TOOL_ALLOWED_HOSTS: '127.0.0.1:9',
  };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    running = await startTestDefinitions(databaseUrl, [serverA, serverB, serverC], env);
    a = urlOf(running, serverA);
    c = urlOf(running, serverC);
  });

  afterAll(async () => {
    await running?.stop();
  });

  const names = async (url: string, which: 'all' | 'builtin' = 'all') =>
    (await http<{ tools: Json[] }>('GET', `${url}/tools`)).body.tools
      .filter((t) => which === 'all' || t.builtin === true)
      .map((t) => t.name as string)
      .sort();

  it('listens on its own port under its own id and name', async () => {
    expect(new URL(c).port).not.toBe(new URL(a).port);
    const health = await http<Json>('GET', `${c}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'healthy', server: 'Server C' });
    expect(health.body.port).toBe(Number(new URL(c).port));
    const info = await http<Json>('GET', `${c}/info`);
    expect(info.body).toMatchObject({ server: 'Server C', id: 'server_c' });
    // Tools other tests register at runtime may be there too; no tool of another server is.
    expect(info.body.tools).toContain('echo');
    expect(info.body.tools).not.toContain('get_stock_price');
    expect(info.body.tools).not.toContain('get_time');
  });

  it('serves only its own tools over REST, configured through its own namespace', async () => {
    expect(await names(c, 'builtin')).toEqual(['echo']);
    expect(await names(a)).not.toContain('echo');
    const call = await http<Json>('POST', `${c}/tools/call`, {
      name: 'echo',
      arguments: { text: 'hello' },
    });
    expect(call.status).toBe(200);
    expect(call.body.result).toEqual({ echoed: 'C says hello' });
    const elsewhere = await http<Json>('POST', `${a}/tools/call`, {
      name: 'echo',
      arguments: { text: 'hello' },
    });
    expect(elsewhere.status).toBe(404);
    const foreign = await http<Json>('POST', `${c}/tools/call`, {
      name: 'get_stock_price',
      arguments: { symbol: 'AAPL' },
    });
    expect(foreign.status).toBe(404);
  });

  it('keeps a tool registered on it over REST off Server A, and the other way round', async () => {
    const register = (url: string, name: string) =>
      http('POST', `${url}/tools`, { name, description: `registered on ${url}`, parameters: [] });
    expect((await register(c, 'only_on_c')).status).toBe(201);
    expect((await register(a, 'only_on_a')).status).toBe(201);
    // The same name is free on another server: names are unique per server only.
    expect((await register(a, 'only_on_c')).status).toBe(201);
    expect(await names(c)).toEqual(expect.arrayContaining(['echo', 'only_on_c']));
    expect(await names(c)).not.toContain('only_on_a');
    expect(await names(a)).toEqual(expect.arrayContaining(['only_on_a', 'only_on_c']));
    expect(await names(a)).not.toContain('echo');
    expect((await http('DELETE', `${a}/tools/only_on_c`)).status).toBe(204);
    expect(await names(c)).toContain('only_on_c');
  });

  it('shares the database: every server id is in the tools table', async () => {
    const ids = await sql<{ server_id: string }>(
      databaseUrl,
      'SELECT DISTINCT server_id FROM tools ORDER BY server_id',
    );
    expect(ids.map((r) => r.server_id)).toEqual(['server_a', 'server_b', 'server_c']);
    const [row] = await sql<{ n: number }>(
      databaseUrl,
      "SELECT COUNT(*)::int AS n FROM tools WHERE server_id = 'server_c' AND name = 'echo'",
    );
    expect(row.n).toBe(1);
  });

  describe.each(REVISIONS)('over MCP, a %s client', (revision: Revision) => {
    let client: TestMcpClient;
    let onA: TestMcpClient;

    beforeAll(async () => {
      client = await connectClient(revision, new URL(`${c}/mcp`));
      onA = await connectClient(revision, new URL(`${a}/mcp`));
    });

    afterAll(async () => {
      await client?.close();
      await onA?.close();
    });

    it('lists and calls only its own tools', async () => {
      const tools = (await listAllTools(client)).map((t) => t.name);
      expect(tools).toContain('echo');
      expect(tools).not.toContain('get_stock_price');
      expect((await listAllTools(onA)).map((t) => t.name)).not.toContain('echo');
      const result = await client.callTool('echo', { text: revision });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({ echoed: `C says ${revision}` });
    });

    it('lists a tool registered on it over REST at once, and Server A does not', async () => {
      await client.listen();
      const name = `runtime_c_${revision.replace(/-/g, '_')}`;
      await registerAndHear(client, c, {
        name,
        description: 'registered at runtime',
        parameters: [],
      });
      expect((await listAllTools(client)).map((t) => t.name)).toContain(name);
      expect((await listAllTools(onA)).map((t) => t.name)).not.toContain(name);
    });
  });

  it("keeps every server's own variables out of reach of HTTP tools, on every server", async () => {
    const steal = (url: string, variable: string) =>
      http<Json>('POST', `${url}/tools`, {
        name: `steal_${variable.toLowerCase()}`,
        description: 'tries to read a server setting',
        parameters: [],
        executor: {
          type: 'http',
          url: 'http://127.0.0.1:9/',
          headers: { 'X-Steal': `\${${variable}}` },
        },
      });
    for (const [url, variable] of [
      [a, 'ECHO_SIGNING_KEY'],
      [a, 'SERVER_C_NAME'],
      [c, 'FINNHUB_API_KEY'],
      [c, 'WEATHER_PROVIDER'],
      [c, 'DATABASE_URL'],
    ]) {
      const { status, body } = await steal(url, variable);
      expect({ variable, status }).toEqual({ variable, status: 400 });
      expect(body.message).toContain(`\${${variable}} is one of the servers' own settings`);
    }
  });
});

describe("a third server's settings are validated before anything starts", () => {
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });

  const start = (env: Record<string, string>) =>
    startTestDefinitions(databaseUrl, [serverA, serverC], { PORT_A: '0', PORT_C: '0', ...env });

  it('stops start-up naming each bad variable, and never shows a secret', async () => {
    const error = await start({ PORT_C: 'abc', ECHO_SIGNING_KEY: 'has a s3cret' }).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT_C="abc": /),
        expect.stringMatching(/^ECHO_SIGNING_KEY=\(hidden\): /),
      ]),
    );
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('refuses two servers that would share one id', async () => {
    await expect(start({ SERVER_C_NAME: 'server_a' })).rejects.toThrow(
      "Server A and Server C would share the server id 'server_a'",
    );
  });
});
