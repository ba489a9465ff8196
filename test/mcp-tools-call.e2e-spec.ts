import { ALICE, bearer } from './support/keys.js';
import { eventually } from './support/eventually.js';
import { startHttpFixture, type HttpFixture } from './support/http-fixture.js';
import {
  connectClient,
  MCP_ACCEPT,
  rawToolsCall,
  REVISIONS,
  type Revision,
} from './support/mcp-clients.js';
import {
  createTestDatabase,
  type Json,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';

/** A raw stateless tools/call by alice, as the official client of `revision` sends it. */
function toolsCall(revision: Revision, id: number, name: string, args: Record<string, unknown>) {
  if (revision === '2026-07-28') {
    const { body, headers } = rawToolsCall(id, name, args);
    return { body, headers: { ...headers, ...bearer(ALICE) } };
  }
  return {
    body: { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } },
    headers: { ...MCP_ACCEPT, 'mcp-protocol-version': revision, ...bearer(ALICE) },
  };
}

/**
 * Posts a JSON-RPC request to `url`. The answer is the JSON body, or the last message of an
 * event stream (the result comes after any log notifications about the call).
 */
async function post(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const stream = res.headers.get('content-type')?.startsWith('text/event-stream');
  const json = stream
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data: {'))
        .at(-1)
        ?.slice('data: '.length)
    : text;
  return { status: res.status, headers: res.headers, body: JSON.parse(json ?? 'null') as Json };
}

/** The value of one sample of a Prometheus exposition, 0 when absent. */
function sample(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found === undefined ? 0 : Number(found.slice(found.lastIndexOf(' ') + 1));
}

describe('MCP tools/call over Streamable HTTP, both revisions, answered by the SDK', () => {
  let upstream: HttpFixture;
  let databaseUrl: string;
  let servers: TestServers;
  let url: string;
  const scrape = async () => (await fetch(`${servers.b}/metrics`)).text();

  beforeAll(async () => {
    upstream = await startHttpFixture();
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(
      databaseUrl,
      { API_KEYS: `alice:${ALICE}`, HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.1:${upstream.port}` },
      ['b'],
    );
    url = `${servers.b}/mcp`;
  });

  afterAll(async () => {
    await servers?.stop();
    await upstream?.close();
  });

  it.each([
    ['2026-07-28', 'modern'],
    ['2025-11-25', 'legacy'],
  ] as const)(
    'serves the official %s client and counts its requests as %s',
    async (revision, era) => {
      const series = `mcp_requests_total{era="${era}",server="server_b"}`;
      const before = sample(await scrape(), series);
      const client = await connectClient(revision, new URL(url), bearer(ALICE));
      try {
        const result = await client.callTool('data_processor', {
          operation: 'stats',
          data: [1, 2],
        });
        expect(result.structuredContent).toMatchObject({ count: 2, sum: 3 });
        await client.callTool('get_time', { timezone: 'Asia/Bangkok' });
        await client.listTools();
      } finally {
        await client.close();
      }
      const after = await scrape();
      expect(sample(after, series) - before).toBeGreaterThanOrEqual(3);
      // /mcp is not a Nest route; it is still counted under its own name.
      expect(after).toMatch(
        /http_requests_total\{method="POST",route="\/mcp",status="200",server="server_b"\} \d+/,
      );
    },
  );

  describe.each(REVISIONS)('a %s request', (revision) => {
    const modern = revision === '2026-07-28';

    it.each([
      ['statistics', { operation: 'stats', data: [3, 1, 2] }, { count: 3, sum: 6 }],
      ['a sorted list', { operation: 'sort', data: [3, 1, 2] }, { items: [1, 2, 3] }],
    ])('gets %s as structured content and as the same JSON in text', async (_l, args, expected) => {
      const { body, headers } = toolsCall(revision, 9, 'data_processor', args);
      const res = await post(url, body, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(
        modern ? 'application/json' : 'text/event-stream',
      );
      expect(res.body.id).toBe(9);
      const result = res.body.result;
      expect(result.structuredContent).toMatchObject(expected);
      expect(JSON.parse(result.content[0].text)).toEqual(result.structuredContent);
      // The 2026-07-28 result names its kind and the server that made it; 2025 has neither.
      if (modern) {
        expect(result.resultType).toBe('complete');
        expect(result._meta['io.modelcontextprotocol/serverInfo']).toMatchObject({
          name: 'server_b',
        });
      } else {
        expect(result.resultType).toBeUndefined();
      }
    });

    it.each([
      ['an argument error', 'data_processor', { operation: 'stats', data: [1, 'x'] }, 'data'],
      ['an unknown argument', 'text_analyzer', { text: 'hello', colour: 'red' }, 'colour'],
    ])('gets %s as an isError result naming the field', async (_l, name, args, field) => {
      const { body, headers } = toolsCall(revision, 10, name, args);
      const res = await post(url, body, headers);
      expect(res.status).toBe(200);
      expect(res.body.result.isError).toBe(true);
      expect(res.body.result.content[0].text).toContain(`Invalid arguments for tool '${name}'`);
      expect(res.body.result.content[0].text).toContain(field);
    });

    it('gets a tool with nothing to execute it as an isError result', async () => {
      const name = `no_executor_${modern ? 'modern' : 'legacy'}`;
      const created = await post(
        `${servers.b}/tools`,
        { name, description: 'registered without an executor' },
        {},
      );
      expect(created.status).toBe(201);
      const { body, headers } = toolsCall(revision, 11, name, {});
      const res = await post(url, body, headers);
      expect(res.body.result.isError).toBe(true);
      expect(res.body.result.content[0].text).toContain('TOOL_NOT_IMPLEMENTED');
    });

    it('gets an unknown tool as JSON-RPC error -32602 with its id', async () => {
      const { body, headers } = toolsCall(revision, 3, 'no_such_tool', {});
      const res = await post(url, body, headers);
      expect(res.body.error).toMatchObject({ code: -32602 });
      expect(res.body.id).toBe(3);
    });

    it('is refused without a key, before any tool runs', async () => {
      const { body, headers } = toolsCall(revision, 4, 'get_time', {});
      const res = await post(url, body, { ...headers, authorization: '' });
      expect(res.status).toBe(401);
      // Refused before the body is read, so the JSON-RPC id is unknown (null).
      expect(res.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    });
  });

  it("takes a million numbers under data_processor's own body limit", async () => {
    const data = Array.from({ length: 1_000_000 }, (_, i) => i % 1000);
    const { body, headers } = toolsCall('2026-07-28', 11, 'data_processor', {
      operation: 'stats',
      data,
    });
    const res = await post(url, body, headers);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(11);
    expect(res.body.result.structuredContent).toMatchObject({ count: 1_000_000, min: 0, max: 999 });
    // Another tool is held to the server's limit, answered as a JSON-RPC error.
    const big = toolsCall('2026-07-28', 12, 'get_time', { timezone: 'x'.repeat(1_200_000) });
    const refused = await post(url, big.body, big.headers);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ jsonrpc: '2.0', id: 12, error: { code: -32000 } });
    expect(refused.body.error.data.code).toBe('PAYLOAD_TOO_LARGE');
  }, 120_000);

  it.each(REVISIONS)(
    'stops the tool of a %s client that went away and counts the call as cancelled, not failed',
    async (revision) => {
      const name = `slow_tool_${revision.replace(/-/g, '_')}`;
      const created = await post(
        `${servers.b}/tools`,
        {
          name,
          description: 'answers after 5 s',
          executor: { type: 'http', url: `${upstream.url}/slow` },
        },
        {},
      );
      expect(created.status).toBe(201);
      const calls = () => upstream.received.filter((r) => r.path === '/slow').length;
      const before = calls();
      const { body, headers } = toolsCall(revision, 13, name, {});
      const client = new AbortController();
      const answer = fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: client.signal,
      })
        .then((res) => res.text())
        .then(
          () => 'answered',
          () => 'gave up',
        );
      expect(await eventually(async () => calls() > before)).toBe(true);
      client.abort();
      expect(await answer).toBe('gave up');
      const series = (outcome: string) =>
        `tool_calls_total{tool="${name}",transport="mcp",outcome="${outcome}"`;
      expect(
        await eventually(async () => sample(await scrape(), series('CALL_CANCELLED')) === 1, 3000),
      ).toBe(true);
      expect(sample(await scrape(), series('INTERNAL_ERROR'))).toBe(0);
    },
  );

  it('audits calls of both revisions with the caller and the request id', async () => {
    for (const revision of REVISIONS) {
      const { body, headers } = toolsCall(revision, 5, 'get_time', { timezone: 'UTC' });
      const res = await post(url, body, { ...headers, 'x-request-id': `audit-${revision}` });
      expect(res.status).toBe(200);
    }
    let rows: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && rows.length < 2) {
      rows = await sql(
        databaseUrl,
        `SELECT caller, transport, request_id FROM tool_calls
          WHERE tool_name = 'get_time' AND request_id LIKE 'audit-%' ORDER BY request_id`,
      );
      if (rows.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows).toEqual([
      { caller: 'alice', transport: 'mcp', request_id: 'audit-2025-11-25' },
      { caller: 'alice', transport: 'mcp', request_id: 'audit-2026-07-28' },
    ]);
  });
});
