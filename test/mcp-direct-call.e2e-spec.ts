import { ALICE, bearer } from './support/keys.js';
import { eventually } from './support/eventually.js';
import { startHttpFixture, type HttpFixture } from './support/http-fixture.js';
import { connectClient, rawToolsCall } from './support/mcp-clients.js';
import {
  createTestDatabase,
  http,
  type Json,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';

const REVISION = '2026-07-28';

/** A raw 2026-07-28 stateless tools/call by alice. */
function toolsCall(id: number, name: string, args: Record<string, unknown>) {
  const { body, headers } = rawToolsCall(id, name, args);
  return { body, headers: { ...headers, ...bearer(ALICE) } };
}

/** The same request twice: once on the direct path, once (with an ignored Mcp-Param header) through the SDK. */
async function bothWays(url: string, name: string, args: Record<string, unknown>) {
  const { body, headers } = toolsCall(9, name, args);
  const direct = await http<Json>('POST', url, body, { ...headers, 'x-request-id': 'direct-1' });
  const sdk = await http<Json>('POST', url, body, {
    ...headers,
    'x-request-id': 'sdk-1',
    'mcp-param-unused': 'x',
  });
  return { direct, sdk };
}

/** The value of one sample of a Prometheus exposition, 0 when absent. */
function sample(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found === undefined ? 0 : Number(found.slice(found.lastIndexOf(' ') + 1));
}

describe('MCP tools/call fast path (2026-07-28, stateless)', () => {
  let upstream: HttpFixture;
  let databaseUrl: string;
  let servers: TestServers;
  let url: string;
  const scrape = async () => (await fetch(`${servers.b}/metrics`)).text();
  const directCount = async () =>
    sample(await scrape(), 'mcp_requests_total{handler="direct",server="server_b"}');

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

  it("answers the official v2 client's tool calls directly, and everything else through the SDK", async () => {
    const before = await scrape();
    const client = await connectClient(REVISION, new URL(url), bearer(ALICE));
    try {
      const result = await client.callTool('data_processor', { operation: 'stats', data: [1, 2] });
      expect(result.structuredContent).toMatchObject({ count: 2, sum: 3 });
      await client.callTool('get_time', { timezone: 'Asia/Bangkok' });
      await client.listTools();
    } finally {
      await client.close();
    }
    const after = await scrape();
    const direct = 'mcp_requests_total{handler="direct",server="server_b"}';
    const sdk = 'mcp_requests_total{handler="sdk",server="server_b"}';
    expect(sample(after, direct) - sample(before, direct)).toBe(2);
    expect(sample(after, sdk) - sample(before, sdk)).toBeGreaterThanOrEqual(1);
    // /mcp is not a Nest route; it is still counted under its own name.
    expect(after).toMatch(
      /http_requests_total\{method="POST",route="\/mcp",status="200",server="server_b"\} \d+/,
    );
  });

  it.each([
    ['a result', 'data_processor', { operation: 'stats', data: [3, 1, 2] }],
    ['an argument error', 'data_processor', { operation: 'stats', data: [1, 'x'] }],
    ['an unknown argument', 'text_analyzer', { text: 'hello', colour: 'red' }],
    ['an array result', 'data_processor', { operation: 'sort', data: [3, 1, 2] }],
  ])('writes the same answer as the SDK for %s', async (_label, name, args) => {
    const before = await directCount();
    const { direct, sdk } = await bothWays(url, name, args);
    expect(await directCount()).toBe(before + 1);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('content-type')).toBe('application/json');
    expect(sdk.status).toBe(direct.status);
    expect(sdk.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(direct.body).toEqual(sdk.body);
    expect(direct.body.result.resultType).toBe('complete');
  });

  it('writes the same answer as the SDK for a tool with nothing to execute it', async () => {
    const created = await http('POST', `${servers.b}/tools`, {
      name: 'no_executor',
      description: 'registered without an executor',
    });
    expect(created.status).toBe(201);
    const { direct, sdk } = await bothWays(url, 'no_executor', {});
    expect(direct.body).toEqual(sdk.body);
    expect(direct.body.result.isError).toBe(true);
    expect(direct.body.result.content[0].text).toContain('TOOL_NOT_IMPLEMENTED');
  });

  it('leaves unknown and disabled tools to the SDK, which answers them as before', async () => {
    const before = await directCount();
    const unknown = toolsCall(3, 'no_such_tool', {});
    const res = await http<Json>('POST', url, unknown.body, unknown.headers);
    expect(res.body.error).toMatchObject({ code: -32602 });
    expect(res.body.id).toBe(3);
    expect(await directCount()).toBe(before);
  });

  it('still refuses a call without a key, before any tool runs', async () => {
    const { body, headers } = toolsCall(4, 'get_time', {});
    const res = await http<Json>('POST', url, body, { ...headers, authorization: '' });
    expect(res.status).toBe(401);
    // Refused before the body is read, so the JSON-RPC id is unknown (null).
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
  });

  it("takes a million numbers on the direct path under data_processor's own body limit", async () => {
    const data = Array.from({ length: 1_000_000 }, (_, i) => i % 1000);
    const { body, headers } = toolsCall(11, 'data_processor', { operation: 'stats', data });
    const res = await http<Json>('POST', url, body, headers);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(11);
    expect(res.body.result.structuredContent).toMatchObject({ count: 1_000_000, min: 0, max: 999 });
    // Another tool is held to the server's limit, answered as a JSON-RPC error.
    const big = toolsCall(12, 'get_time', { timezone: 'x'.repeat(1_200_000) });
    const refused = await http<Json>('POST', url, big.body, big.headers);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ jsonrpc: '2.0', id: 12, error: { code: -32000 } });
    expect(refused.body.error.data.code).toBe('PAYLOAD_TOO_LARGE');
  }, 120_000);

  it('stops a tool whose client went away and counts the call as cancelled, not failed', async () => {
    const created = await http('POST', `${servers.b}/tools`, {
      name: 'slow_tool',
      description: 'answers after 5 s',
      executor: { type: 'http', url: `${upstream.url}/slow` },
    });
    expect(created.status).toBe(201);
    const { body, headers } = toolsCall(13, 'slow_tool', {});
    const client = new AbortController();
    const answer = fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: client.signal,
    }).then(
      () => 'answered',
      () => 'gave up',
    );
    const reachedUpstream = () => upstream.received.some((r) => r.path === '/slow');
    expect(await eventually(async () => reachedUpstream())).toBe(true);
    client.abort();
    expect(await answer).toBe('gave up');
    const cancelled = 'tool_calls_total{tool="slow_tool",transport="mcp",outcome="CALL_CANCELLED"';
    expect(await eventually(async () => sample(await scrape(), cancelled) === 1, 3000)).toBe(true);
    expect(
      sample(
        await scrape(),
        'tool_calls_total{tool="slow_tool",transport="mcp",outcome="INTERNAL_ERROR"',
      ),
    ).toBe(0);
  });

  it('audits direct and SDK calls alike, with the caller and the request id', async () => {
    await bothWays(url, 'get_time', { timezone: 'UTC' });
    let rows: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && rows.length < 2) {
      rows = await sql(
        databaseUrl,
        `SELECT caller, transport, request_id FROM tool_calls
          WHERE tool_name = 'get_time' AND request_id IN ('direct-1', 'sdk-1') ORDER BY request_id`,
      );
      if (rows.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows).toEqual([
      { caller: 'alice', transport: 'mcp', request_id: 'direct-1' },
      { caller: 'alice', transport: 'mcp', request_id: 'sdk-1' },
    ]);
  });
});
