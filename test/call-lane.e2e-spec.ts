import { gzipSync } from 'node:zlib';
import { eventually } from './support/eventually.js';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.js';
import { rawToolsCall } from './support/mcp-clients.js';
import {
  createTestDatabase,
  type Json,
  startTestServers,
  type TestServers,
} from './support/harness.js';

// The call lane answers plain-JSON calls itself; the same request with a gzip body goes
// through the body parser, the limit and bounds middleware and the controller or the MCP
// middleware. Both must give the same status and body (clock fields aside).

const MAX_BODY_BYTES = 4096;
const CONVERT = {
  name: 'get_time',
  arguments: {
    operation: 'convert',
    timezone: 'America/New_York',
    time: '2026-03-08T02:30',
    targetTimezone: 'Asia/Bangkok',
  },
};

interface Answer {
  status: number;
  type: string | null;
  /** The names of the response headers, sorted. */
  headers: string[];
  body: Json | string;
}

async function post(url: string, raw: Buffer, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', body: new Uint8Array(raw), headers });
  const text = await res.text();
  let body: Json | string = text;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    // kept as text
  }
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    headers: [...res.headers.keys()].sort(),
    body: withoutClock(body),
  };
}

/** Drops what differs between two answers given a moment apart. */
function withoutClock(value: Json | string): Json | string {
  return typeof value === 'string'
    ? value
    : (JSON.parse(
        JSON.stringify(value, (key, v: unknown) =>
          key === 'timestamp' || key === 'durationMs' ? undefined : v,
        ),
      ) as Json);
}

/** One body sent both ways: as plain JSON (the lane) and gzipped (the body parser's path). */
async function bothWays(url: string, text: string, headers: Record<string, string> = {}) {
  const raw = Buffer.from(text, 'utf8');
  const json = { 'content-type': 'application/json', ...headers };
  const lane = await post(url, raw, json);
  const parser = await post(url, gzipSync(raw), { ...json, 'content-encoding': 'gzip' });
  return { lane, parser };
}

describe('Call lane (plain-JSON calls) against the body-parser path', () => {
  let servers: TestServers;
  let upstream: HttpFixture;
  let call: string;
  let mcp: string;

  beforeAll(async () => {
    upstream = await startHttpFixture();
    servers = await startTestServers(
      await createTestDatabase(),
      {
        MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        MAX_JSON_DEPTH: '8',
        HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.1:${upstream.port}`,
      },
      ['b'],
    );
    call = `${servers.b}/tools/call`;
    mcp = `${servers.b}/mcp`;
  });
  afterAll(async () => {
    await servers?.stop();
    await upstream?.close();
  });

  const deep = `{"name":"get_time","arguments":{"a":${'['.repeat(20)}${']'.repeat(20)}}}`;
  const padded = JSON.stringify({
    ...CONVERT,
    arguments: { ...CONVERT.arguments, pad: 'x'.repeat(MAX_BODY_BYTES) },
  });

  it.each([
    ['a call', JSON.stringify(CONVERT), 200],
    ['a call with a byte-order mark', `\uFEFF${JSON.stringify(CONVERT)}`, 200],
    ['an unknown tool', '{"name":"no_such_tool"}', 404],
    ['invalid arguments', '{"name":"get_time","arguments":{"timezone":"Mars/Base"}}', 400],
    ['arguments that are not an object', '{"name":"get_time","arguments":[1]}', 400],
    ['no name', '{"arguments":{}}', 400],
    ['an extra property', '{"name":"get_time","extra":1}', 400],
    ['an empty body', '', 400],
    ['a JSON string', '"get_time"', 400],
    ['a JSON array', '[1,2]', 400],
    ['broken JSON', '{"name":"get_time",', 400],
    ['a prototype key', '{"name":"get_time","arguments":{"__proto__":{"x":1}}}', 400],
    ['JSON nested too deep', deep, 400],
    ['a body larger than MAX_BODY_BYTES', padded, 413],
  ])('POST /tools/call with %s: the same answer both ways', async (_case, text, status) => {
    const { lane, parser } = await bothWays(call, text);
    expect(lane.status).toBe(status);
    expect(lane.type).toBe('application/json; charset=utf-8');
    // The front door's steps ran for both: request id and the same security headers.
    expect(lane.headers).toEqual(
      expect.arrayContaining(['x-request-id', 'content-security-policy']),
    );
    expect(lane).toEqual(parser);
    if (status !== 200) expect((lane.body as Json).code).toEqual(expect.any(String));
  });

  it('answers a call with the converted time, from this server', async () => {
    const { lane } = await bothWays(call, JSON.stringify(CONVERT));
    expect(lane.body).toMatchObject({
      tool: 'get_time',
      server: 'server_b',
      operation: 'convert',
      result: { localTime: 'nonexistent', to: { timezone: 'Asia/Bangkok' } },
    });
  });

  const withoutName = ({ body, headers }: ReturnType<typeof rawToolsCall>) => {
    const { 'mcp-name': _name, ...rest } = headers;
    return { body, headers: rest };
  };
  it.each([
    ['a tools/call', rawToolsCall(3, 'get_time', CONVERT.arguments), 200],
    ['a tools/call of an unknown tool', rawToolsCall('u-1', 'no_such_tool', {}), 200],
    ['a tools/call without its Mcp-Name header', withoutName(rawToolsCall(6, 'get_time', {})), 400],
    [
      'broken JSON',
      { body: '{"jsonrpc":"2.0","id":4,', headers: rawToolsCall(4, 'get_time', {}).headers },
      400,
    ],
    [
      'a body larger than MAX_BODY_BYTES',
      rawToolsCall(5, 'get_time', { pad: 'x'.repeat(MAX_BODY_BYTES) }),
      413,
    ],
  ])('POST /mcp with %s: the same answer both ways', async (_case, { body, headers }, status) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const { lane, parser } = await bothWays(mcp, text, headers);
    expect(lane.status).toBe(status);
    expect(lane).toEqual(parser);
    expect((lane.body as Json).jsonrpc).toBe('2.0');
  });

  it('names the route of lane calls in the request metrics, as the routes do', async () => {
    const before = await (await fetch(`${servers.b}/metrics`)).text();
    await bothWays(call, JSON.stringify(CONVERT));
    const after = await (await fetch(`${servers.b}/metrics`)).text();
    const count = (text: string) =>
      Number(
        /http_requests_total\{[^}]*route="\/tools\/call"[^}]*status="200"[^}]*\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    expect(count(after) - count(before)).toBe(2);
  });

  it('stops a tool whose REST client went away and counts the call as cancelled, not failed', async () => {
    const created = await fetch(`${servers.b}/tools`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'slow_rest_tool',
        description: 'answers after 5 s',
        executor: { type: 'http', url: `${upstream.url}/slow` },
      }),
    });
    expect(created.status).toBe(201);
    const client = new AbortController();
    const answer = fetch(call, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'slow_rest_tool' }),
      signal: client.signal,
    }).then(
      () => 'answered',
      () => 'gave up',
    );
    expect(await eventually(async () => upstream.received.some((r) => r.path === '/slow'))).toBe(
      true,
    );
    client.abort();
    expect(await answer).toBe('gave up');
    const outcome = async (name: string) =>
      Number(
        new RegExp(
          `tool_calls_total\\{[^}]*tool="slow_rest_tool"[^}]*transport="rest"[^}]*outcome="${name}"[^}]*\\} (\\d+)`,
        ).exec(await (await fetch(`${servers.b}/metrics`)).text())?.[1] ?? 0,
      );
    expect(await eventually(async () => (await outcome('CALL_CANCELLED')) === 1, 3000)).toBe(true);
    expect(await outcome('INTERNAL_ERROR')).toBe(0);
  });
});
