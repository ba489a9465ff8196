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

// Every request, whatever its body, goes through the one pipeline (middleware, guards, the
// body parser, the tool's limits, the controller, the filter). The same call sent as plain
// JSON, gzipped and chunked must get the same status, headers and body (clock fields aside),
// and hostile bodies get a clear JSON error, never a 500.

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

async function post(
  url: string,
  raw: Buffer,
  headers: Record<string, string>,
  chunked = false,
): Promise<Answer> {
  // A stream body has no length: fetch sends it with Transfer-Encoding: chunked.
  const sent = chunked
    ? new ReadableStream({
        start(controller) {
          for (let i = 0; i < raw.length; i += 7) controller.enqueue(raw.subarray(i, i + 7));
          controller.close();
        },
      })
    : new Uint8Array(raw);
  const res = await fetch(url, {
    method: 'POST',
    body: sent,
    headers,
    duplex: 'half',
  } as RequestInit);
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

/** One body sent three ways: plain JSON with a length, gzipped, and chunked. */
async function threeWays(url: string, text: string, headers: Record<string, string> = {}) {
  const raw = Buffer.from(text, 'utf8');
  const json = { 'content-type': 'application/json', ...headers };
  const plain = await post(url, raw, json);
  const gzip = await post(url, gzipSync(raw), { ...json, 'content-encoding': 'gzip' });
  const chunked = await post(url, raw, json, true);
  return { plain, gzip, chunked };
}

describe('One request pipeline for every body (real app)', () => {
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
  ])('POST /tools/call with %s: the same answer every way', async (_case, text, status) => {
    const { plain, gzip, chunked } = await threeWays(call, text);
    expect(plain.status).toBe(status);
    expect(plain.type).toBe('application/json; charset=utf-8');
    // The middleware ran for every answer, refusals included: request id and security headers.
    expect(plain.headers).toEqual(
      expect.arrayContaining(['x-request-id', 'content-security-policy']),
    );
    expect(gzip).toEqual(plain);
    expect(chunked).toEqual(plain);
    if (status !== 200) expect((plain.body as Json).code).toEqual(expect.any(String));
  });

  it.each([
    ['an unsupported charset', { 'content-type': 'application/json; charset=latin1' }, 415],
    ['an unknown content encoding', { 'content-encoding': 'compress' }, 415],
    ['text instead of JSON', { 'content-type': 'text/plain' }, 415],
  ])('POST /tools/call with %s: a JSON error', async (_case, headers, status) => {
    const res = await post(call, Buffer.from(JSON.stringify(CONVERT)), {
      'content-type': 'application/json',
      ...headers,
    });
    expect(res.status).toBe(status);
    expect((res.body as Json).code).toEqual(expect.any(String));
    expect(res.headers).toContain('x-request-id');
  });

  it('says that Content-Type must be application/json when a body is sent without it', async () => {
    const res = await fetch(call, { method: 'POST', body: JSON.stringify(CONVERT) });
    // fetch labels a string body text/plain; curl -d labels it a form: neither is JSON.
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message:
        'Content-Type must be application/json: the body was sent as text/plain;charset=UTF-8',
    });
  });

  it('answers a call with no body at all 400, naming what is missing', async () => {
    const res = await fetch(call, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('answers a call with the converted time, from this server', async () => {
    const { plain } = await threeWays(call, JSON.stringify(CONVERT));
    expect(plain.body).toMatchObject({
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
  ])('POST /mcp with %s: the same answer every way', async (_case, { body, headers }, status) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const { plain, gzip, chunked } = await threeWays(mcp, text, headers);
    expect(plain.status).toBe(status);
    expect(gzip).toEqual(plain);
    expect(chunked).toEqual(plain);
    expect((plain.body as Json).jsonrpc).toBe('2.0');
  });

  it('counts every call under its route in the request metrics, refused bodies included', async () => {
    const count = (text: string, status: number) =>
      Number(
        new RegExp(
          `http_requests_total\\{[^}]*route="/tools/call"[^}]*status="${status}"[^}]*\\} (\\d+)`,
        ).exec(text)?.[1] ?? 0,
      );
    const before = await (await fetch(`${servers.b}/metrics`)).text();
    await threeWays(call, JSON.stringify(CONVERT));
    await threeWays(call, '{"broken');
    const after = await (await fetch(`${servers.b}/metrics`)).text();
    expect(count(after, 200) - count(before, 200)).toBe(3);
    expect(count(after, 400) - count(before, 400)).toBe(3);
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
