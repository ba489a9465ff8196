import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ExportResultCode } from '@opentelemetry/core';
import pino from 'pino';
import { type Caller, createServerTracing, type ServerTracing } from '@app/core';
import { RequestContextMiddleware } from './request-context.middleware.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const discard: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => undefined,
};

interface Seen {
  lines: Array<Record<string, unknown>>;
  metrics: Array<[string, string, number]>;
  headers: Record<string, string>;
  req: IncomingMessage;
}

/**
 * One request through the middleware (after the tracing middleware when there is one),
 * answered `status` on the route the router would have matched.
 */
async function serve(
  options: {
    tracing?: ServerTracing;
    headers?: Record<string, string>;
    route?: string;
    caller?: Caller;
  },
  status: number,
  finished = true,
): Promise<Seen> {
  const lines: Seen['lines'] = [];
  const metrics: Seen['metrics'] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const middleware = new RequestContextMiddleware(pino(stream), {
    observeRequest: (method, route, code) => metrics.push([method, route, code]),
  });
  const headers: Record<string, string> = {};
  const req = {
    method: 'POST',
    url: '/tools/call?token=secret',
    headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, ...options.headers },
  } as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    statusCode: 200,
    writableFinished: false,
  }) as unknown as ServerResponse;
  await new Promise<void>((resolve) => {
    const next = () => middleware.use(req, res, resolve);
    if (options.tracing) options.tracing.middleware(req, res, next);
    else next();
  });
  if (options.route) (req as { route?: { path: string } }).route = { path: options.route };
  // What the access guard sets once it has admitted the caller.
  if (options.caller) req.caller = options.caller;
  Object.assign(res, { statusCode: status, writableFinished: finished });
  res.emit('close');
  await options.tracing?.shutdown();
  return { lines, metrics, headers, req };
}

describe('RequestContextMiddleware', () => {
  it('gives the request an id, echoes it, and keeps a sane one the caller sent', async () => {
    const fresh = await serve({}, 200);
    expect(fresh.req.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers['x-request-id']).toBe(fresh.req.id);
    const kept = await serve({ headers: { 'x-request-id': 'abc-123' } }, 200);
    expect(kept.req.id).toBe('abc-123');
    expect(kept.req.headers['x-request-id']).toBe('abc-123');
  });

  it('writes one access-log line with the route pattern, never the query string', async () => {
    const { lines } = await serve({ route: '/tools/call' }, 200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request completed',
      method: 'POST',
      path: '/tools/call',
      route: '/tools/call',
      status: 200,
      level: 30,
    });
    expect(JSON.stringify(lines[0])).not.toContain('secret');
  });

  it('names the caller the access guard admitted: the token subject and its OAuth client', async () => {
    const caller: Caller = { name: 'oauth:alice', role: 'caller', clientId: 'host-app' };
    const { lines } = await serve({ route: '/tools/call', caller }, 200);
    expect(lines[0]).toMatchObject({ caller: 'oauth:alice', client_id: 'host-app' });
    const anonymous = await serve({ route: '/tools/call' }, 200);
    expect(anonymous.lines[0]).not.toHaveProperty('caller');
  });

  it('records a metric per request, unmatched ones and clients that left (499) included', async () => {
    expect((await serve({ route: '/tools/call' }, 200)).metrics).toEqual([
      ['POST', '/tools/call', 200],
    ]);
    expect((await serve({}, 404)).metrics).toEqual([['POST', 'unmatched', 404]]);
    const gone = await serve({ route: '/tools/call' }, 200, false);
    expect(gone.metrics).toEqual([['POST', '/tools/call', 499]]);
    expect(gone.lines[0]).toMatchObject({ status: 499, level: 40 });
  });

  it('carries the trace id when tracing is on', async () => {
    const tracing = createServerTracing(
      { tracesUrl: 'http://127.0.0.1:1/v1/traces' },
      { id: 'server_b', version: '1.0.0' },
      { exporter: discard },
    );
    const { lines } = await serve({ tracing, route: '/tools/call' }, 200);
    expect(lines[0]).toMatchObject({ route: '/tools/call', trace_id: TRACE_ID });
  });

  it('has no trace_id field when tracing is off', async () => {
    const { lines } = await serve({ route: '/tools/call' }, 200);
    expect(lines[0]).not.toHaveProperty('trace_id');
  });
});
