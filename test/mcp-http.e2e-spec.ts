import { request } from 'node:http';
import {
  connectClient,
  listToolPages,
  MCP_ACCEPT,
  registerAndHear,
  REVISIONS,
  type Revision,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'curl', version: '1' },
  },
};

describe('MCP over Streamable HTTP at /mcp (official SDK clients, real apps, real PostgreSQL)', () => {
  let databaseUrl: string;
  let servers: TestServers;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(databaseUrl, { MCP_PAGE_SIZE: '2' });
  });

  afterAll(async () => {
    await servers?.stop();
  });

  const mcpUrl = (server: 'a' | 'b') => new URL(`${servers[server]}/mcp`);

  describe.each(REVISIONS)('a %s client', (revision: Revision) => {
    let a: TestMcpClient;
    let b: TestMcpClient;

    beforeAll(async () => {
      a = await connectClient(revision, mcpUrl('a'));
      b = await connectClient(revision, mcpUrl('b'));
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    it('negotiates its own protocol revision', () => {
      expect(a.negotiatedVersion()).toBe(revision);
    });

    it('lists the registry tools page by page with a cursor', async () => {
      const first = await a.listTools();
      expect(first.tools).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));
      const names = (await allTools(a)).map((t) => t.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual([...names].sort());
      const rest = await http<{ tools: Array<{ name: string }> }>('GET', `${servers.a}/tools`);
      expect(names).toEqual(rest.body.tools.map((t) => t.name).sort());
      expect(names).toEqual(
        expect.arrayContaining(['calculate_portfolio', 'get_financial_news', 'get_stock_price']),
      );
    });

    it('describes each tool with the very input schema REST validates with', async () => {
      const rest = await http<{ tools: Array<Record<string, unknown>> }>(
        'GET',
        `${servers.a}/tools`,
      );
      const all = await allTools(a);
      expect(all).toHaveLength(rest.body.tools.length);
      for (const view of rest.body.tools) {
        const tool = all.find((t) => t.name === view.name);
        expect(tool).toBeDefined();
        expect(tool?.inputSchema).toEqual(view.inputSchema);
        expect(tool?.description).toBe(view.description);
        if (view.outputSchema) expect(tool?.outputSchema).toEqual(view.outputSchema);
        if (view.annotations) expect(tool?.annotations).toEqual(view.annotations);
      }
    });

    it('serves only its own server tools', async () => {
      const names = (await allTools(b)).map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining(['data_processor', 'get_time', 'get_weather', 'text_analyzer']),
      );
      expect(names).not.toContain('get_stock_price');
    });

    it('calls a tool through the same executor as REST, with structured content and the same JSON as text', async () => {
      const result = await a.callTool('get_stock_price', { symbol: 'AAPL' });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ symbol: 'AAPL', source: 'simulated' });
      expect(typeof result.structuredContent?.price).toBe('number');
      const text = result.content.find((c) => c.type === 'text')?.text ?? '';
      expect(JSON.parse(text)).toEqual(result.structuredContent);
      const rest = await http<{ result: Record<string, unknown> }>(
        'POST',
        `${servers.a}/tools/call`,
        { name: 'get_stock_price', arguments: { symbol: 'AAPL' } },
      );
      expect(Object.keys(rest.body.result).sort()).toEqual(
        Object.keys(result.structuredContent ?? {}).sort(),
      );
    });

    it('answers arguments that fail the schema with an isError result naming the field', async () => {
      const result = await a.callTool('get_stock_price', {});
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toContain('arguments.symbol is required');
    });

    it('answers an unknown tool with JSON-RPC error -32602', async () => {
      await expect(a.callTool('no_such_tool', {})).rejects.toMatchObject({ code: -32602 });
      await expect(b.callTool('get_stock_price', { symbol: 'AAPL' })).rejects.toMatchObject({
        code: -32602,
      });
    });

    it('answers a registered tool that has nothing to execute it with an isError result', async () => {
      const name = `stub_${revision.replace(/-/g, '_')}`;
      const created = await http('POST', `${servers.a}/tools`, {
        name,
        description: 'registered without an executor',
        parameters: [],
      });
      expect(created.status).toBe(201);
      const result = await a.callTool(name, {});
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toContain('TOOL_NOT_IMPLEMENTED');
    });

    it('hears list_changed when a tool is registered over REST, and lists it at once', async () => {
      await a.listen();
      await b.listen();
      const heardOnB = b.toolsChangedCount();
      const name = `runtime_${revision.replace(/-/g, '_')}`;
      await registerAndHear(a, servers.a, {
        name,
        description: 'registered at runtime',
        parameters: [{ name: 'q', type: 'string', required: true }],
      });
      const tool = (await allTools(a)).find((t) => t.name === name);
      expect(tool?.inputSchema).toMatchObject({ required: ['q'] });
      expect((await allTools(b)).map((t) => t.name)).not.toContain(name);
      // Server B's own change comes after A's on the one notification channel: once B's client
      // hears its own, it would have heard A's too, had B announced it (no sleep needed).
      await registerAndHear(b, servers.b, {
        name: `${name}_on_b`,
        description: 'registered on Server B',
        parameters: [],
      });
      expect(b.toolsChangedCount()).toBe(heardOnB + 1);
    });
  });

  describe.each(REVISIONS)(
    'two processes of one server on one database, a %s client',
    (revision) => {
      let second: TestServers;
      let client: TestMcpClient;

      beforeAll(async () => {
        second = await startTestServers(databaseUrl, { MCP_PAGE_SIZE: '2' }, ['a']);
        client = await connectClient(revision, new URL(`${second.a}/mcp`));
        await client.listen();
      });

      afterAll(async () => {
        await client?.close();
        await second?.stop();
      });

      it('hears list_changed on one process for a tool registered over REST on the other', async () => {
        const name = `replica_${revision.replace(/-/g, '_')}`;
        await registerAndHear(client, servers.a, {
          name,
          description: 'registered on the first process',
          parameters: [],
        });
        expect((await allTools(client)).map((t) => t.name)).toContain(name);
      });
    },
  );

  describe('protocol hygiene', () => {
    it('rejects a foreign Host with 403 and accepts loopback names', async () => {
      expect(await postWithHost(`${servers.a}/mcp`, 'evil.example.com')).toBe(403);
      const port = new URL(servers.a).port;
      expect(await postWithHost(`${servers.a}/mcp`, `localhost:${port}`)).toBe(200);
      expect(await postWithHost(`${servers.a}/mcp`, `127.0.0.1:${port}`)).toBe(200);
      // Accepted values are remembered; that must not let a refused one through later.
      expect(await postWithHost(`${servers.a}/mcp`, `localhost:${port}`)).toBe(200);
      expect(await postWithHost(`${servers.a}/mcp`, 'evil.example.com')).toBe(403);
    });

    it('rejects a foreign Origin with 403', async () => {
      const res = await http('POST', `${servers.a}/mcp`, INITIALIZE, {
        ...MCP_ACCEPT,
        origin: 'http://evil.example.com',
      });
      expect(res.status).toBe(403);
    });

    it('answers an invalid MCP-Protocol-Version header with 400', async () => {
      const res = await http(
        'POST',
        `${servers.a}/mcp`,
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { ...MCP_ACCEPT, 'mcp-protocol-version': '1999-01-01' },
      );
      expect(res.status).toBe(400);
    });

    it('answers DELETE with 405: there are no sessions to end', async () => {
      const res = await http('DELETE', `${servers.a}/mcp`, undefined, MCP_ACCEPT);
      expect(res.status).toBe(405);
    });

    it('answers a method no web Request can carry (TRACE) with 405, not a server error', async () => {
      // fetch() cannot send TRACE either; node:http can.
      const { status, body } = await new Promise<{ status: number; body: string }>(
        (resolve, reject) => {
          const req = request(
            `${servers.a}/mcp`,
            { method: 'TRACE', headers: MCP_ACCEPT },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (text += chunk));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
      expect(status).toBe(405);
      expect(JSON.parse(body).error.data.code).toBe('METHOD_NOT_ALLOWED');
    });

    it('answers malformed JSON with a JSON-RPC parse error', async () => {
      const res = await http<{ error: { code: number } }>(
        'POST',
        `${servers.a}/mcp`,
        '{"jsonrpc":',
        {
          ...MCP_ACCEPT,
          'content-type': 'application/json',
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(-32700);
    });
  });
});

/** fetch() cannot set Host; node:http can. Resolves with the status code. */
function postWithHost(url: string, host: string): Promise<number> {
  const body = JSON.stringify(INITIALIZE);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          ...MCP_ACCEPT,
          host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** All tools, checking that no page holds more than MCP_PAGE_SIZE (2). */
async function allTools(client: TestMcpClient) {
  const pages = await listToolPages(client);
  for (const page of pages) expect(page.tools.length).toBeLessThanOrEqual(2);
  return pages.flatMap((page) => page.tools);
}
