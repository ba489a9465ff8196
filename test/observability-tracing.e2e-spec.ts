import { randomBytes } from 'node:crypto';
import { type HttpFixture, startHttpFixture } from './support/http-fixture.js';
import { connectClient } from './support/mcp-clients.js';
import { type FixtureServer, send, startFixtureServer } from './support/fixture-server.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

/** A span as OTLP/HTTP JSON carries it (ids in hex, kind as a number). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code?: number; message?: string };
}

interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpSpan['attributes'] };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const COLLECTOR_KEY = 'collector-key-for-e2e';

/** An attribute's value, whatever its OTLP JSON type (string, int as text, bool). */
function attr(attributes: OtlpSpan['attributes'], key: string): unknown {
  const value = attributes.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  if ('intValue' in value) return Number(value.intValue);
  return Object.values(value)[0];
}

const newTraceId = () => randomBytes(16).toString('hex');
/** The caller's span each trace continues. */
const callerSpans = new Map<string, string>();
const traceparent = (traceId: string) => {
  const parent = randomBytes(8).toString('hex');
  callerSpans.set(traceId, parent);
  return `00-${traceId}-${parent}-01`;
};

describe('observability: OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let collector: FixtureServer;
  const exports: OtlpExport[] = [];
  const collectorHeaders: Array<Record<string, unknown>> = [];
  let servers: TestServers | undefined;
  let spans: OtlpSpan[] = [];

  const restTrace = newTraceId();
  const modernTrace = newTraceId();
  const clientTrace = newTraceId();
  const httpToolTrace = newTraceId();
  let upstream: HttpFixture;

  const scheduleDelay = process.env.OTEL_BSP_SCHEDULE_DELAY;

  beforeAll(async () => {
    // The SDK reads this itself: no batch leaves before shutdown, so the test sees the flush.
    process.env.OTEL_BSP_SCHEDULE_DELAY = '600000';
    // A tiny OTLP/HTTP collector: this exporter always sends JSON to /v1/traces.
    collector = await startFixtureServer((req, res, url) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        if (req.method === 'POST' && url.pathname === '/v1/traces') {
          exports.push(JSON.parse(body) as OtlpExport);
          collectorHeaders.push({ ...req.headers });
        }
        send(res, 200, 'application/json', '{}');
      });
    });
    upstream = await startHttpFixture();
    servers = await startTestServers(
      await createTestDatabase(),
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_HEADERS: `x-collector-key=${COLLECTOR_KEY}`,
        HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.1:${upstream.port}`,
      },
      ['b'],
    );
    const b = servers.b;

    // An HTTP tool: its upstream request must carry the trace on.
    const echo = {
      name: 'traced_echo',
      description: 'echoes',
      executor: { type: 'http', url: `${upstream.url}/echo` },
    };
    expect((await http('POST', `${b}/tools`, echo)).status).toBe(201);
    const viaHttpTool = await http(
      'POST',
      `${b}/tools/call`,
      { name: 'traced_echo' },
      {
        traceparent: traceparent(httpToolTrace),
        'x-request-id': 'traced-echo-1',
      },
    );
    expect(viaHttpTool.status).toBe(200);

    const rest = await http(
      'POST',
      `${b}/tools/call?debug=1`,
      { name: 'get_time' },
      {
        traceparent: traceparent(restTrace),
      },
    );
    expect(rest.status).toBe(200);

    // A 2026-07-28 tools/call as the official v2 client sends it.
    const mcpCall = (trace: string) =>
      http(
        'POST',
        `${b}/mcp`,
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'get_time',
            arguments: { timezone: 'UTC' },
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientInfo': { name: 'e2e', version: '1.0.0' },
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          },
        },
        {
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'get_time',
          traceparent: traceparent(trace),
        },
      );
    expect((await mcpCall(modernTrace)).status).toBe(200);

    // An official 2025-11-25 client, every request of which carries the same traceparent.
    const client = await connectClient('2025-11-25', new URL(`${b}/mcp`), {
      traceparent: traceparent(clientTrace),
    });
    try {
      expect((await client.callTool('get_time', { timezone: 'UTC' })).isError).toBeFalsy();
    } finally {
      await client.close();
    }

    // Graceful stop: nothing was exported yet, and shutdown must send every span.
    expect(exports).toHaveLength(0);
    await servers.stop();
    servers = undefined;
    spans = exports
      .flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans))
      .flatMap((s) => s.spans);
  });

  afterAll(async () => {
    if (scheduleDelay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
    else process.env.OTEL_BSP_SCHEDULE_DELAY = scheduleDelay;
    await servers?.stop();
    await collector?.close();
    await upstream?.close();
  });

  /** The SERVER span of a trace and the `tool.call get_time` span under it. */
  function requestAndTool(traceId: string) {
    const inTrace = spans.filter((s) => s.traceId === traceId);
    const tool = inTrace.find((s) => s.name === 'tool.call get_time');
    const request = inTrace.find((s) => s.spanId === tool?.parentSpanId);
    return { inTrace, tool, request };
  }

  it('exports a SERVER span that continues the caller’s trace, with a child span for the tool call (REST)', () => {
    const { tool, request } = requestAndTool(restTrace);
    expect(request).toMatchObject({ name: 'POST /tools/call', kind: SPAN_KIND_SERVER });
    expect(request?.parentSpanId).toBe(callerSpans.get(restTrace));
    expect(attr(request!.attributes, 'http.request.method')).toBe('POST');
    expect(attr(request!.attributes, 'http.route')).toBe('/tools/call');
    expect(attr(request!.attributes, 'http.response.status_code')).toBe(200);
    expect(attr(request!.attributes, 'url.path')).toBe('/tools/call');

    expect(tool?.kind).toBe(SPAN_KIND_INTERNAL);
    expect(attr(tool!.attributes, 'app.tool.name')).toBe('get_time');
    expect(attr(tool!.attributes, 'app.tool.transport')).toBe('rest');
    expect(attr(tool!.attributes, 'app.tool.outcome')).toBe('ok');
    expect(attr(tool!.attributes, 'app.server.id')).toBe('server_b');
  });

  it("sends the tool call's span upstream as traceparent, with the request id, when an HTTP tool runs", () => {
    const tool = spans.find(
      (sp) => sp.traceId === httpToolTrace && sp.name === 'tool.call traced_echo',
    );
    expect(tool).toBeDefined();
    const sent = upstream.received.find((r) => r.path === '/echo');
    expect(sent?.headers.traceparent).toBe(`00-${httpToolTrace}-${tool!.spanId}-01`);
    expect(sent?.headers['x-request-id']).toBe('traced-echo-1');
  });

  it.each([
    ['a 2026-07-28 request', modernTrace],
    ['an official 2025-11-25 client', clientTrace],
  ])('does the same for an MCP tools/call through %s', (_how, traceId) => {
    const { tool, request } = requestAndTool(traceId);
    expect(request).toMatchObject({ name: 'POST /mcp', kind: SPAN_KIND_SERVER });
    expect(request?.parentSpanId).toBe(callerSpans.get(traceId));
    expect(attr(request!.attributes, 'http.response.status_code')).toBe(200);
    expect(tool?.kind).toBe(SPAN_KIND_INTERNAL);
    expect(attr(tool!.attributes, 'app.tool.transport')).toBe('mcp');
  });

  it('describes the server in the resource and authenticates to the collector with OTEL_EXPORTER_OTLP_HEADERS', () => {
    const resource = exports[0].resourceSpans[0].resource.attributes;
    expect(attr(resource, 'service.name')).toBe('server_b');
    expect(attr(resource, 'service.version')).toEqual(expect.any(String));
    expect(attr(resource, 'app.server.id')).toBe('server_b');
    expect(collectorHeaders[0]['x-collector-key']).toBe(COLLECTOR_KEY);
    expect(collectorHeaders[0]['content-type']).toBe('application/json');
  });
});
