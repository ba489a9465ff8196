import { connectClient, type TestMcpClient } from './support/mcp-clients.js';
import { startHttpFixture, type HttpFixture } from './support/http-fixture.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

describe('an HTTP tool managed on one process, used over MCP on another', () => {
  let upstream: HttpFixture;
  let databaseUrl: string;
  let x: TestServers;
  let y: TestServers;
  let client: TestMcpClient;

  beforeAll(async () => {
    upstream = await startHttpFixture();
    databaseUrl = await createTestDatabase();
    const env = { HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.1:${upstream.port}` };
    x = await startTestServers(databaseUrl, env, ['b']);
    y = await startTestServers(databaseUrl, env, ['b']);
    client = await connectClient('2026-07-28', new URL(`${y.b}/mcp`));
    await client.listen();
  });

  afterAll(async () => {
    await client?.close();
    await Promise.all([x?.stop(), y?.stop()]);
    await upstream?.close();
  });

  const names = async () => (await client.listTools()).tools.map((t) => t.name);

  it('registers on x, lists and calls over MCP on y, disables, re-enables and deletes', async () => {
    const changed = client.nextToolsChanged();
    const created = await http('POST', `${x.b}/tools`, {
      name: 'echo_tool',
      description: 'Echoes its arguments',
      parameters: [{ name: 'word', type: 'string', required: true }],
      executor: { type: 'http', url: `${upstream.url}/echo` },
    });
    expect(created.status).toBe(201);
    await changed;
    expect(await names()).toContain('echo_tool');

    const result = await client.callTool('echo_tool', { word: 'hello' });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain('hello');

    const disabled = client.nextToolsChanged();
    await http('PATCH', `${x.b}/tools/echo_tool`, { enabled: false });
    await disabled;
    expect(await names()).not.toContain('echo_tool');
    const rest = await http('POST', `${y.b}/tools/call`, {
      name: 'echo_tool',
      arguments: { word: 'x' },
    });
    expect(rest.body.code).toBe('TOOL_DISABLED');

    const enabled = client.nextToolsChanged();
    await http('PATCH', `${x.b}/tools/echo_tool`, { enabled: true });
    await enabled;
    expect(await names()).toContain('echo_tool');

    const deleted = client.nextToolsChanged();
    expect((await http('DELETE', `${x.b}/tools/echo_tool`)).status).toBe(204);
    await deleted;
    expect(await names()).not.toContain('echo_tool');

    // y made one MCP call and one refused REST call; its /stats writes its buffer first.
    const stats = await http<{
      tools: Array<{ tool: string; byTransport: Record<string, number> }>;
    }>('GET', `${y.b}/stats?window=5m`);
    expect(stats.body.tools.find((t) => t.tool === 'echo_tool')?.byTransport).toEqual({
      mcp: 1,
      rest: 1,
    });
  });

  it('answers a slow upstream over MCP with an error result within the tool timeout', async () => {
    const heard = client.nextToolsChanged();
    const created = await http('POST', `${x.b}/tools`, {
      name: 'slow_tool',
      description: 'Never answers in time',
      executor: { type: 'http', url: `${upstream.url}/slow`, timeoutMs: 300 },
    });
    expect(created.status).toBe(201);
    await heard;
    expect(await names()).toContain('slow_tool');
    const started = Date.now();
    const result = await client.callTool('slow_tool', {});
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
    const stats = await http<{ calls: number; errorCodes: Record<string, number> }>(
      'GET',
      `${y.b}/tools/slow_tool/stats?window=5m`,
    );
    expect(stats.body).toMatchObject({ calls: 1, errorCodes: { UPSTREAM_TIMEOUT: 1 } });
  });
});
