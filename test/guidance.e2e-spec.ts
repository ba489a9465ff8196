import {
  createTestDatabase,
  http,
  type Json,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { rawToolsCall } from './support/mcp-clients.js';

describe('errors that say what to do (real apps, real PostgreSQL)', () => {
  let servers: TestServers;

  beforeAll(async () => {
    servers = await startTestServers(await createTestDatabase(), {
      // Open-Meteo at an address where nothing listens: the provider fails as it does offline.
      WEATHER_PROVIDER: 'open-meteo',
      WEATHER_FORECAST_URL: 'http://127.0.0.1:9/v1/forecast',
      WEATHER_TIMEOUT_MS: '2000',
    });
  });

  afterAll(async () => {
    await servers?.stop();
  });

  describe('a wrong tool name', () => {
    it('POST /tools/call: suggests the closest tool of this server', async () => {
      const res = await http<Json>('POST', `${servers.b}/tools/call`, {
        name: 'get_wether',
        arguments: {},
      });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        code: 'TOOL_NOT_FOUND',
        message: "Tool 'get_wether' does not exist on server_b. Did you mean 'get_weather'?",
        details: { tool: 'get_wether', server: 'server_b', didYouMean: 'get_weather' },
      });
    });

    it('POST /tools/call: says which server has the tool when it is another server', async () => {
      const res = await http<Json>('POST', `${servers.b}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'AAPL' },
      });
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(
        "Tool 'get_stock_price' does not exist on server_b; it is a tool of server_a: call it on that server",
      );
      expect(res.body.details).toMatchObject({ onServers: ['server_a'] });
    });

    it('GET /tools/{name} and PATCH: the same suggestion', async () => {
      const read = await http<Json>('GET', `${servers.a}/tools/get_stock_prices`);
      expect(read.status).toBe(404);
      expect(read.body.message).toContain("Did you mean 'get_stock_price'?");
      const patch = await http<Json>('PATCH', `${servers.a}/tools/get_weather`, {
        enabled: false,
      });
      expect(patch.status).toBe(404);
      expect(patch.body.message).toContain('it is a tool of server_b');
    });

    it('says nothing more about a name like none of the tools', async () => {
      const res = await http<Json>('POST', `${servers.a}/tools/call`, { name: 'zzzzzzzz' });
      expect(res.body.message).toBe("Tool 'zzzzzzzz' does not exist on server_a");
    });

    it('MCP tools/call: -32602 with the same suggestion', async () => {
      const { body, headers } = rawToolsCall(1, 'get_tme', {});
      const res = await http<Json>('POST', `${servers.b}/mcp`, body, headers);
      expect(res.body.error).toMatchObject({
        code: -32602,
        message:
          "Unknown tool: get_tme. Tool 'get_tme' does not exist on server_b. Did you mean 'get_time'?",
      });
      const other = rawToolsCall(2, 'calculate_portfolio', {});
      const elsewhere = await http<Json>('POST', `${servers.b}/mcp`, other.body, other.headers);
      expect(elsewhere.body.error.message).toContain('it is a tool of server_a');
    });
  });

  it('a data provider that cannot be reached: names the setting that answers offline', async () => {
    const res = await http<Json>('POST', `${servers.b}/tools/call`, {
      name: 'get_weather',
      arguments: { latitude: 13.75, longitude: 100.5 },
    });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('UPSTREAM_ERROR');
    expect(res.body.message).toMatch(
      /^Open-Meteo forecast could not be reached \(.+\)\. To answer without the network, start the server with WEATHER_PROVIDER=simulated$/,
    );
    expect(res.body.details).toMatchObject({ offline: { WEATHER_PROVIDER: 'simulated' } });
  });

  it('registering: an empty form, and parameters given as a JSON Schema', async () => {
    const empty = await http<Json>('POST', `${servers.a}/tools`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe(
      'name is required: the tool name, e.g. lookup_order; description is required: what the tool does, for the model',
    );
    const schema = await http<Json>('POST', `${servers.a}/tools`, {
      name: 'lookup',
      description: 'Looks up',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    });
    expect(schema.status).toBe(400);
    expect(schema.body.message).toContain('parameters must be a list of');
    expect(schema.body.message).toContain('a JSON Schema object is not accepted here');
  });
});
