import {
  createTestDatabase,
  http,
  type Json,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';

describe('REST API of both servers (real apps, real PostgreSQL)', () => {
  let databaseUrl: string;
  let servers: TestServers;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(databaseUrl);
  });

  afterAll(async () => {
    await servers?.stop();
  });

  // The document's example of a runtime tool.
  const newTool = {
    name: 'new_tool',
    description: 'Description of the new tool',
    parameters: [
      { name: 'param1', type: 'string', description: 'Parameter description', required: true },
    ],
  };

  // Runtime tools a test registers are removed after it, so each test starts from the built-ins
  // and needs no other test to have run before it.
  const registered: Array<{ server: string; name: string }> = [];
  const register = async (server: string, tool: { name: string; description: string }) => {
    const res = await http('POST', `${server}/tools`, tool);
    if (res.status === 201) registered.push({ server, name: tool.name });
    return res;
  };
  afterEach(async () => {
    for (const { server, name } of registered.splice(0)) {
      await http('DELETE', `${server}/tools/${name}`);
    }
  });

  describe('GET /health', () => {
    it('reports each server healthy with its database connected', async () => {
      const a = await http('GET', `${servers.a}/health`);
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({
        status: 'healthy',
        server: 'Server A',
        database: 'connected',
      });
      expect(a.body.port).toBe(Number(new URL(servers.a).port));
      expect(new Date(a.body.timestamp as string).toISOString()).toBe(a.body.timestamp);
      const b = await http('GET', `${servers.b}/health`);
      expect(b.body).toMatchObject({
        status: 'healthy',
        server: 'Server B',
        database: 'connected',
      });
    });
  });

  describe('GET /info', () => {
    it('names the server, its MCP endpoint and its tools', async () => {
      const { status, body } = await http('GET', `${servers.a}/info`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        server: 'Server A',
        id: 'server_a',
        version: '1.0.0',
        toolCount: 3,
      });
      expect(body.mcpEndpoint).toBe(`${servers.a}/mcp`);
      expect(body.tools).toEqual(['calculate_portfolio', 'get_financial_news', 'get_stock_price']);
      expect(typeof body.uptimeSeconds).toBe('number');
    });
  });

  describe('GET /tools', () => {
    it("lists only each server's own built-in tools with JSON Schemas", async () => {
      const a = await http<{ tools: Array<Record<string, unknown>> }>('GET', `${servers.a}/tools`);
      const b = await http<{ tools: Array<Record<string, unknown>> }>('GET', `${servers.b}/tools`);
      expect(a.body.tools.map((t) => t.name)).toEqual([
        'calculate_portfolio',
        'get_financial_news',
        'get_stock_price',
      ]);
      expect(b.body.tools.map((t) => t.name)).toEqual([
        'data_processor',
        'get_time',
        'get_weather',
        'text_analyzer',
      ]);
      const portfolio = a.body.tools.find((t) => t.name === 'calculate_portfolio')!;
      expect(portfolio).toMatchObject({
        enabled: true,
        inputSchema: { type: 'object', required: ['holdings'] },
      });
      expect(portfolio.parameters).toContainEqual(
        expect.objectContaining({ name: 'holdings', type: 'array', required: true }),
      );
    });

    it('answers 304 to If-None-Match until the catalogue changes, then the new list', async () => {
      const first = await http('GET', `${servers.b}/tools`);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^W\/"tools-.+"$/);
      const same = await http('GET', `${servers.b}/tools`, undefined, { 'if-none-match': etag! });
      expect(same.status).toBe(304);
      expect(same.body).toBeUndefined();
      const created = await register(servers.b, {
        name: 'etag_probe',
        description: 'changes the catalogue',
      });
      expect(created.status).toBe(201);
      const changed = await http<{ tools: Array<{ name: string }> }>(
        'GET',
        `${servers.b}/tools`,
        undefined,
        { 'if-none-match': etag! },
      );
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(changed.body.tools.map((t) => t.name)).toContain('etag_probe');
      expect((await http('DELETE', `${servers.b}/tools/etag_probe`)).status).toBe(204);
    });

    it('does not hash every response body into an ETag', async () => {
      const res = await http('POST', `${servers.b}/tools/call`, {
        name: 'get_time',
        arguments: { timezone: 'UTC' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBeNull();
    });
  });

  describe('POST /tools', () => {
    it('registers the document example and returns the stored tool with its JSON Schema', async () => {
      const { status, body } = await register(servers.a, newTool);
      expect(status).toBe(201);
      expect(body).toMatchObject({
        name: 'new_tool',
        server: 'server_a',
        enabled: true,
        version: 1,
      });
      expect(body.inputSchema).toMatchObject({
        type: 'object',
        properties: { param1: { type: 'string', description: 'Parameter description' } },
        required: ['param1'],
      });
      const list = await http<{ tools: Array<{ name: string }> }>('GET', `${servers.a}/tools`);
      expect(list.body.tools.map((t) => t.name)).toContain('new_tool');
    });

    it('refuses the same name again on the same server with 409', async () => {
      expect((await register(servers.a, newTool)).status).toBe(201);
      const { status, body } = await http('POST', `${servers.a}/tools`, newTool);
      expect(status).toBe(409);
      expect(body.code).toBe('TOOL_ALREADY_EXISTS');
    });

    it('accepts the same name on the other server, which keeps its own catalogue', async () => {
      expect((await register(servers.a, newTool)).status).toBe(201);
      const { status } = await register(servers.b, newTool);
      expect(status).toBe(201);
    });

    it.each([
      ['a name with spaces', { ...newTool, name: 'bad name' }, 'name'],
      ['an empty name', { ...newTool, name: '' }, 'name'],
      ['a name too long', { ...newTool, name: 'x'.repeat(129) }, 'name'],
      ['no description', { name: 'ok_name', parameters: [] }, 'description'],
      ['an empty description', { ...newTool, name: 'ok_name', description: '' }, 'description'],
      [
        'a blank description',
        { ...newTool, name: 'ok_name', description: '\uFEFF \t' },
        'description',
      ],
      [
        'an unknown parameter type',
        { ...newTool, name: 'ok_name', parameters: [{ name: 'p', type: 'date' }] },
        'parameters[0].type',
      ],
      [
        'parameters that are not a list',
        { ...newTool, name: 'ok_name', parameters: 'p' },
        'parameters',
      ],
      ['an unknown field', { ...newTool, name: 'ok_name', extra: 1 }, 'extra'],
      ['null parameters', { ...newTool, name: 'ok_name', parameters: null }, 'parameters'],
      ['a null title', { ...newTool, name: 'ok_name', title: null }, 'title'],
      ['a null executor', { ...newTool, name: 'ok_name', executor: null }, 'executor'],
      [
        'an executor with null headers',
        {
          ...newTool,
          name: 'ok_name',
          executor: { type: 'http', url: 'http://127.0.0.1:9/x', headers: null },
        },
        'headers',
      ],
      [
        'a repeated parameter name',
        {
          ...newTool,
          name: 'ok_name',
          parameters: [
            { name: 'p', type: 'string' },
            { name: 'p', type: 'number' },
          ],
        },
        'parameters[1].name',
      ],
    ])('rejects %s with 400 naming the field', async (_label, payload, field) => {
      const { status, body } = await http('POST', `${servers.a}/tools`, payload);
      expect(status).toBe(400);
      expect(body.code).toBe('INVALID_REQUEST');
      expect(body.message).toContain(field);
    });
  });

  describe('POST /tools/call', () => {
    it('runs the document example with operation execute', async () => {
      const { status, body } = await http<{ result: Record<string, unknown> }>(
        'POST',
        `${servers.a}/tools/call`,
        {
          name: 'get_stock_price',
          arguments: { operation: 'execute', symbol: 'AAPL' },
        },
      );
      expect(status).toBe(200);
      expect(body.result).toMatchObject({ symbol: 'AAPL', currency: 'USD', source: 'simulated' });
      expect(typeof body.result.price).toBe('number');
    });

    it('defaults operation to execute', async () => {
      const { status, body } = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'msft' },
      });
      expect(status).toBe(200);
      expect(body.operation).toBe('execute');
    });

    it('rejects a missing required argument with 400 naming it', async () => {
      const { status, body } = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_stock_price',
        arguments: {},
      });
      expect(status).toBe(400);
      expect(body).toMatchObject({ code: 'INVALID_ARGUMENTS' });
      expect(body.message).toContain('arguments.symbol');
    });

    it('rejects a wrong argument type with 400 naming it', async () => {
      const { status, body } = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 42 },
      });
      expect(status).toBe(400);
      expect(body.message).toContain('arguments.symbol');
    });

    it("answers 404 for an unknown tool and for the other server's tool", async () => {
      const unknown = await http('POST', `${servers.a}/tools/call`, {
        name: 'nope',
        arguments: {},
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('TOOL_NOT_FOUND');
      const other = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_time',
        arguments: {},
      });
      expect(other.status).toBe(404);
    });

    it('answers 501 for a registered tool with nothing to execute it', async () => {
      const created = await register(servers.a, {
        name: 'no_executor',
        description: 'nothing behind it',
      });
      expect(created.status).toBe(201);
      const { status, body } = await http('POST', `${servers.a}/tools/call`, {
        name: 'no_executor',
        arguments: {},
      });
      expect(status).toBe(501);
      expect(body.code).toBe('TOOL_NOT_IMPLEMENTED');
    });

    it('validates a runtime tool against the schema built from its parameters', async () => {
      expect((await register(servers.a, newTool)).status).toBe(201);
      const { status, body } = await http('POST', `${servers.a}/tools/call`, {
        name: 'new_tool',
        arguments: { param1: 5 },
      });
      expect(status).toBe(400);
      expect(body.message).toContain('arguments.param1');
    });

    it.each([
      ['malformed JSON', '{"name":', 400, 'MALFORMED_JSON'],
      [
        'arguments that are not an object',
        { name: 'get_stock_price', arguments: [1] },
        400,
        'INVALID_REQUEST',
      ],
      ['no name', { arguments: {} }, 400, 'INVALID_REQUEST'],
      [
        'a body over the limit',
        { name: 'x', arguments: { blob: 'x'.repeat(1_100_000) } },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ])('answers %s with a JSON %i', async (_label, payload, status, code) => {
      const res = await http('POST', `${servers.a}/tools/call`, payload);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(typeof res.body.message).toBe('string');
    });

    it('still serves requests after refusing malformed and oversized bodies', async () => {
      expect((await http('POST', `${servers.a}/tools/call`, '{"name":')).status).toBe(400);
      const blob = 'x'.repeat(1_100_000);
      const oversized = await http('POST', `${servers.a}/tools/call`, {
        name: 'x',
        arguments: { blob },
      });
      expect(oversized.status).toBe(413);
      expect((await http('GET', `${servers.a}/health`)).status).toBe(200);
    });
  });

  describe('unknown routes and the OpenAPI document', () => {
    it('answers an unknown route with the JSON error shape', async () => {
      const { status, body } = await http('GET', `${servers.a}/nope`);
      expect(status).toBe(404);
      expect(body.code).toBe('ROUTE_NOT_FOUND');
    });

    it('serves Swagger UI at /docs and every route in /docs-json', async () => {
      const ui = await fetch(`${servers.a}/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui');
      const { body } = await http<{ paths: Record<string, Record<string, unknown>> }>(
        'GET',
        `${servers.b}/docs-json`,
      );
      expect(Object.keys(body.paths)).toEqual(
        expect.arrayContaining(['/health', '/info', '/tools', '/tools/call']),
      );
      expect(body.paths['/tools'].post).toBeDefined();
      // POST /tools/call documents the very schema that checks its body.
      const call = body.paths['/tools/call'].post as Json;
      expect(call.requestBody.content['application/json'].schema).toMatchObject({
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 128 },
          arguments: { type: 'object' },
        },
      });
      const refused = await http<Json>('POST', `${servers.b}/tools/call`, {
        name: 'get_time',
        extra: true,
      });
      expect(refused.status).toBe(400);
    });
  });

  describe('the database', () => {
    it("answers the original document's queries", async () => {
      expect((await register(servers.a, newTool)).status).toBe(201);
      expect((await register(servers.b, newTool)).status).toBe(201);
      const noExecutor = { name: 'no_executor', description: 'nothing behind it' };
      expect((await register(servers.a, noExecutor)).status).toBe(201);
      const servers_ = await sql<{ server_id: string }>(
        databaseUrl,
        'SELECT DISTINCT server_id FROM tools ORDER BY 1',
      );
      expect(servers_.map((r) => r.server_id)).toEqual(['server_a', 'server_b']);
      const counts = await sql<{ server_id: string; tool_count: string }>(
        databaseUrl,
        'SELECT server_id, COUNT(*) as tool_count FROM tools GROUP BY server_id ORDER BY 1',
      );
      // 3 and 4 built-ins, plus new_tool on both and no_executor on A.
      expect(counts).toEqual([
        { server_id: 'server_a', tool_count: '5' },
        { server_id: 'server_b', tool_count: '5' },
      ]);
      const a = await sql(databaseUrl, "SELECT * FROM tools WHERE server_id LIKE '%server_a%'");
      expect(a).toHaveLength(5);
    });
  });
});
