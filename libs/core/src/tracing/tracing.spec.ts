import { EventEmitter } from 'node:events';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServerTracing, type ServerTracing, untracedToolCall } from './tracing.js';

/** Keeps what the batch processor exports; unlike the SDK's in-memory exporter, keeps it after shutdown. */
class RecordingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  /** A slow collector: answers after this many milliseconds. */
  delayMs = 0;
  private readonly late: Array<Promise<void>> = [];

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const answer = () => {
      this.spans.push(...spans);
      done({ code: ExportResultCode.SUCCESS });
    };
    if (this.delayMs > 0) {
      this.late.push(new Promise((resolve) => setTimeout(() => resolve(answer()), this.delayMs)));
    } else answer();
  }

  /** Resolves once a slow collector has given every answer it owes. */
  async settled(): Promise<void> {
    await Promise.all(this.late);
  }

  async shutdown(): Promise<void> {}

  byName(name: string): ReadableSpan {
    const span = this.spans.find((s) => s.name === name);
    if (!span) throw new Error(`no span named ${name}: ${this.spans.map((s) => s.name).join()}`);
    return span;
  }
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const SETTINGS = { tracesUrl: 'http://127.0.0.1:1/v1/traces' };
const SERVER = { id: 'server_b', version: '1.2.3' };

interface FakeExchange {
  req: IncomingMessage;
  res: ServerResponse & EventEmitter;
  /** Runs the tracing middleware (if any); `next` runs inside it, as the rest of the chain would. */
  serve(next: () => Promise<void> | void): Promise<void>;
  /** Ends the exchange as Node does, with the route the router matched. */
  finish(status: number, route?: string): void;
}

function exchange(
  tracing: ServerTracing | undefined,
  method: string,
  url: string,
  headers: Record<string, string> = {},
): FakeExchange {
  const req = { method, url, headers, baseUrl: '' } as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), {
    setHeader: () => undefined,
    statusCode: 200,
    writableFinished: false,
  }) as unknown as ServerResponse & EventEmitter;
  return {
    req,
    res,
    serve: (next) =>
      new Promise<void>((resolve, reject) => {
        const rest = () => void Promise.resolve(next()).then(resolve, reject);
        if (tracing) tracing.middleware(req, res, rest);
        else rest();
      }),
    finish(status, route) {
      if (route) (req as { route?: { path: string } }).route = { path: route };
      Object.assign(res, { statusCode: status, writableFinished: true });
      res.emit('close');
    },
  };
}

describe('createServerTracing', () => {
  let exporter: RecordingExporter;
  let tracing: ServerTracing;

  beforeEach(() => {
    exporter = new RecordingExporter();
    tracing = createServerTracing(SETTINGS, SERVER, { exporter });
  });

  afterEach(async () => {
    await tracing.shutdown();
  });

  it('makes one SERVER span per request that continues the caller’s traceparent', async () => {
    const call = exchange(tracing, 'POST', '/tools/call?token=secret', {
      traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
    });
    await call.serve(() => undefined);
    call.finish(200, '/tools/call');
    await tracing.shutdown();

    const span = exporter.byName('POST /tools/call');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(span.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/tools/call',
      'http.response.status_code': 200,
      'url.path': '/tools/call',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(call.req.traceId).toBe(TRACE_ID);
  });

  it('starts a new trace without a traceparent, and marks 5xx answers as errors', async () => {
    const call = exchange(tracing, 'GET', '/health');
    await call.serve(() => undefined);
    call.finish(503, '/health');
    await tracing.shutdown();

    const span = exporter.byName('GET /health');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('names unmatched requests by method only, and gives no status when the client left', async () => {
    const call = exchange(tracing, 'GET', '/nope');
    await call.serve(() => undefined);
    call.res.emit('close');
    await tracing.shutdown();

    const span = exporter.byName('GET');
    expect(span.attributes['http.route']).toBeUndefined();
    expect(span.attributes['http.response.status_code']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('names a route mounted under a base path by its whole pattern', async () => {
    const call = exchange(tracing, 'GET', '/docs/swagger-ui-init.js');
    await call.serve(() => undefined);
    (call.req as { baseUrl?: string }).baseUrl = '/docs';
    call.finish(200, '/swagger-ui-init.js');
    await tracing.shutdown();
    expect(exporter.byName('GET /docs/swagger-ui-init.js').attributes['http.route']).toBe(
      '/docs/swagger-ui-init.js',
    );
  });

  it('makes each tool call an INTERNAL child of the request it serves, across awaits', async () => {
    const call = exchange(tracing, 'POST', '/tools/call', {
      traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
    });
    await call.serve(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      tracing.toolCall('get_time', 'rest').end('ok');
      await new Promise((resolve) => setTimeout(resolve, 1));
      tracing.toolCall('get_time', 'rest').end('INVALID_ARGUMENTS');
    });
    call.finish(200, '/tools/call');
    await tracing.shutdown();

    const request = exporter.byName('POST /tools/call');
    const tools = exporter.spans.filter((s) => s.name === 'tool.call get_time');
    expect(tools).toHaveLength(2);
    for (const tool of tools) {
      expect(tool.kind).toBe(SpanKind.INTERNAL);
      expect(tool.spanContext().traceId).toBe(TRACE_ID);
      expect(tool.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
    expect(tools[0].attributes).toEqual({
      'app.tool.name': 'get_time',
      'app.tool.transport': 'rest',
      'app.tool.outcome': 'ok',
      'app.server.id': 'server_b',
    });
    expect(tools[0].status.code).toBe(SpanStatusCode.UNSET);
    expect(tools[1].attributes['app.tool.outcome']).toBe('INVALID_ARGUMENTS');
    expect(tools[1].status).toEqual({ code: SpanStatusCode.ERROR, message: 'INVALID_ARGUMENTS' });
  });

  it("names each tool call's span in W3C traceparent form, for the tool's upstream requests", async () => {
    const call = exchange(tracing, 'POST', '/tools/call', {
      traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
    });
    let sent: string | undefined;
    await call.serve(() => {
      const span = tracing.toolCall('echo', 'rest');
      sent = span.traceparent;
      span.end('ok');
    });
    call.finish(200, '/tools/call');
    await tracing.shutdown();
    const tool = exporter.byName('tool.call echo').spanContext();
    expect(sent).toBe(`00-${TRACE_ID}-${tool.spanId}-01`);
  });

  it('keeps concurrent requests apart', async () => {
    const one = exchange(tracing, 'POST', '/tools/call');
    const two = exchange(tracing, 'POST', '/mcp');
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = one.serve(async () => {
      await gate;
      tracing.toolCall('first', 'rest').end('ok');
    });
    await two.serve(() => tracing.toolCall('second', 'mcp').end('ok'));
    release();
    await first;
    one.finish(200, '/tools/call');
    two.finish(200, '/mcp');
    await tracing.shutdown();

    const parentOf = (name: string) => exporter.byName(name).parentSpanContext?.spanId;
    expect(parentOf('tool.call first')).toBe(
      exporter.byName('POST /tools/call').spanContext().spanId,
    );
    expect(parentOf('tool.call second')).toBe(exporter.byName('POST /mcp').spanContext().spanId);
  });

  it('makes a tool call outside any HTTP request (MCP over stdio) a root span', async () => {
    tracing.toolCall('get_time', 'mcp').end('ok');
    await tracing.shutdown();
    expect(exporter.byName('tool.call get_time').parentSpanContext).toBeUndefined();
  });

  it('describes the server in the resource: service.name defaults to the server id', async () => {
    tracing.toolCall('get_time', 'mcp').end('ok');
    const named = new RecordingExporter();
    const other = createServerTracing({ ...SETTINGS, serviceName: 'mcp-tools' }, SERVER, {
      exporter: named,
    });
    other.toolCall('get_time', 'mcp').end('ok');
    await Promise.all([tracing.shutdown(), other.shutdown()]);

    expect(exporter.spans[0].resource.attributes).toMatchObject({
      'service.name': 'server_b',
      'service.version': '1.2.3',
      'app.server.id': 'server_b',
      'telemetry.sdk.language': 'nodejs',
    });
    expect(named.spans[0].resource.attributes['service.name']).toBe('mcp-tools');
  });

  it('buffers spans and exports them at shutdown', async () => {
    tracing.toolCall('get_time', 'rest').end('ok');
    expect(exporter.spans).toHaveLength(0);
    await tracing.shutdown();
    expect(exporter.spans.map((s) => s.name)).toEqual(['tool.call get_time']);
  });

  it('never holds shutdown longer than its deadline when the collector hangs', async () => {
    const slow = new RecordingExporter();
    slow.delayMs = 1000;
    const hung = createServerTracing(SETTINGS, SERVER, { exporter: slow, shutdownTimeoutMs: 50 });
    hung.toolCall('get_time', 'rest').end('ok');
    const started = performance.now();
    await hung.shutdown();
    expect(performance.now() - started).toBeLessThan(500);
    expect(slow.spans).toHaveLength(0);
    // The slow export finishes, so that no timer outlives the test.
    await slow.settled();
    expect(slow.spans).toHaveLength(1);
  });
});

describe('untracedToolCall', () => {
  it('is a no-op that allocates nothing per call', () => {
    const a = untracedToolCall('get_time', 'rest');
    const b = untracedToolCall('other', 'mcp');
    expect(a).toBe(b);
    expect(a.traceparent).toBeUndefined();
    expect(() => a.end('ok')).not.toThrow();
  });
});
