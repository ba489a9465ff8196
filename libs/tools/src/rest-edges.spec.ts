import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { type CallContext, KeyRing, SERVER_RUNTIME } from '@app/core';
import { httpPipelineProviders, type HttpPipelineOptions, PipelineExpressAdapter } from '@app/http';
import { StatsController } from './audit/stats.controller.js';
import { StatsService } from './audit/stats.service.js';
import { HealthController } from './health/health.controller.js';
import { ToolBodyLimits } from './limits/tool-body-limits.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { PlatformMetrics } from './metrics/metrics.js';
import { OpenApiImportController } from './openapi/openapi-import.controller.js';
import { OpenApiImportService } from './openapi/openapi-import.service.js';
import { OpenApiImportBusyError } from './openapi/openapi-reader.errors.js';
import { Tool } from './tool.decorator.js';
import type { ToolHandler } from './tool.types.js';
import { ToolsController } from './tools.controller.js';
import { ToolsRepository } from './tools.repository.js';
import { ToolsService } from './tools.service.js';

// The REST edge as a Nest module: the real controllers, guards, pipes and filter of the
// pipeline, with everything behind the controllers faked. Each route's policy is proven here;
// test/*.e2e-spec.ts proves the same on the real apps.

const ADMIN = 'adm-3f9a1c7e5b2d4e80a6c1';
const ALICE = 'ali-8e2b6d4f0a1c4b93d7e5';

@Tool({
  name: 'big_tool',
  description: 'accepts large bodies',
  inputSchema: { type: 'object' },
  maxBodyBytes: 4096,
})
class BigTool implements ToolHandler {
  execute() {
    return {};
  }
}

/** What the controllers call, recorded. */
function fakeTools() {
  const calls: Array<{ name: string; context: CallContext }> = [];
  const view = { name: 'get_time', description: 'time' };
  return {
    calls,
    service: {
      serverId: 'server_t',
      answer: async (request: { name: string }, context: CallContext) => {
        calls.push({ name: request.name, context });
        return { tool: request.name, result: { ok: true }, server: 'server_t' };
      },
      listDocument: () => ({ etag: 'W/"tools-1"', json: '{"tools":[]}' }),
      get: () => ({ record: view }),
      etag: () => '"1-x"',
      view: () => view,
      list: () => [],
      register: async () => ({ record: view }),
      update: async () => ({ record: view }),
      remove: async () => undefined,
    },
  };
}

interface Edge {
  url: string;
  calls: ReturnType<typeof fakeTools>['calls'];
  close(): Promise<void>;
}

async function startEdge(options: Partial<HttpPipelineOptions> = {}): Promise<Edge> {
  const tools = fakeTools();
  const bodyLimits = new ToolBodyLimits({ maxBodyBytes: 1024, maxArrayLength: 100 }, [BigTool], 16);
  const moduleRef = await Test.createTestingModule({
    controllers: [
      ToolsController,
      OpenApiImportController,
      StatsController,
      HealthController,
      MetricsController,
    ],
    providers: [
      ...httpPipelineProviders({
        keys: new KeyRing(ADMIN, [{ name: 'alice', key: ALICE }]),
        docsRequireAuth: false,
        rateLimitPerMinute: 0,
        maxBodyBytes: 1024,
        maxCallBodyBytes: bodyLimits.largest.maxBodyBytes,
        maxDocumentBodyBytes: 4096,
        maxJsonDepth: 16,
        maxJsonArrayLength: 100,
        jsonRpcPaths: [],
        shutdownGraceMs: 1000,
        ...options,
      }),
      { provide: ToolBodyLimits, useValue: bodyLimits },
      {
        provide: SERVER_RUNTIME,
        useValue: {
          server: { name: 'Server T', id: 'server_t', host: '127.0.0.1', port: 0 },
          startedAt: new Date(),
        },
      },
      ToolsService,
      OpenApiImportService,
      StatsService,
      ToolsRepository,
      PlatformMetrics,
    ],
  })
    .overrideProvider(OpenApiImportService)
    .useValue({
      import: async (dto: { dryRun?: boolean; prefix?: string }) => {
        // The reader's worker, busy: one document read and four waiting.
        if (dto.prefix === 'busy_') throw new OpenApiImportBusyError(4);
        return { dryRun: dto.dryRun === true };
      },
    })
    .overrideProvider(ToolsService)
    .useValue(tools.service)
    .overrideProvider(StatsService)
    .useValue({ overview: async () => ({ total: {} }), forTool: async () => ({}) })
    .overrideProvider(ToolsRepository)
    .useValue({ ping: async () => true })
    .overrideProvider(PlatformMetrics)
    .useValue({ scrape: async () => '# metrics\n', contentType: 'text/plain' })
    .compile();
  const app: INestApplication = moduleRef.createNestApplication(new PipelineExpressAdapter(), {
    bodyParser: false,
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls: tools.calls, close: () => app.close() };
}

async function send(
  edge: Edge,
  method: string,
  path: string,
  options: { key?: string; body?: string | object; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`${edge.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}

const CALL = { name: 'get_time', arguments: { timezone: 'UTC' } };
const TOOL = { name: 'new_tool', description: 'a tool', parameters: [] };

describe('REST edge (Nest module, real guards, faked tools)', () => {
  describe('with ADMIN_API_KEY and API_KEYS set', () => {
    let edge: Edge;
    beforeAll(async () => {
      edge = await startEdge();
    });
    afterAll(() => edge.close());
    // Each test reads only the calls it made, whatever ran before it.
    beforeEach(() => {
      edge.calls.length = 0;
    });

    it.each([
      ['/health'],
      ['/health/live'],
      ['/health/ready'],
      ['/info'],
      ['/tools'],
      ['/tools/get_time'],
      ['/stats'],
      ['/tools/get_time/stats'],
      ['/metrics'],
    ])('GET %s is open', async (path) => {
      expect((await send(edge, 'GET', path)).status).toBe(200);
    });

    it('asks a tool caller for a key: none or a wrong one 401 with a Bearer challenge', async () => {
      const none = await send(edge, 'POST', '/tools/call', { body: CALL });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="mcp-multi-server"');
      expect(none.json).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      const wrong = await send(edge, 'POST', '/tools/call', { body: CALL, key: `${ALICE}x` });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(edge.calls).toHaveLength(0);
    });

    it('hands a caller key’s call to ToolsService with one CallContext (id, caller, signal)', async () => {
      const res = await send(edge, 'POST', '/tools/call', {
        body: CALL,
        key: ALICE,
        headers: { 'x-request-id': 'req-42' },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ tool: 'get_time', server: 'server_t' });
      const { context } = edge.calls.at(-1)!;
      expect(context).toMatchObject({ transport: 'rest', requestId: 'req-42', caller: 'alice' });
      expect(context.signal).toBeInstanceOf(AbortSignal);
    });

    it.each([
      ['POST', '/tools', TOOL],
      ['PATCH', '/tools/get_time', { enabled: false }],
      ['DELETE', '/tools/new_tool', undefined],
      ['POST', '/tools/import', { source: { url: 'http://127.0.0.1:1/openapi.json' } }],
    ])('%s %s needs the admin key: none 401, a caller key 403', async (method, path, body) => {
      const none = await send(edge, method, path, { body });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
      const caller = await send(edge, method, path, { body, key: ALICE });
      expect(caller.status).toBe(403);
      expect(caller.json).toMatchObject({ code: 'FORBIDDEN' });
      const admin = await send(edge, method, path, { body, key: ADMIN });
      expect(admin.status).toBeLessThan(300);
    });

    it('holds a request that matches no route to the default policy before saying 404', async () => {
      expect((await send(edge, 'PUT', '/tools', { body: TOOL })).status).toBe(401);
      expect((await send(edge, 'POST', '/health', { key: ALICE })).status).toBe(403);
      const missing = await send(edge, 'POST', '/nowhere', { key: ADMIN });
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect((await send(edge, 'GET', '/nowhere')).json).toMatchObject({
        code: 'ROUTE_NOT_FOUND',
      });
    });

    it('reads an import up to the document limit, beyond MAX_BODY_BYTES; 200 for a dry run', async () => {
      const document = { openapi: '3.0.3', pad: 'x'.repeat(2000) };
      const dry = await send(edge, 'POST', '/tools/import', {
        body: { source: { document }, dryRun: true },
        key: ADMIN,
      });
      expect(dry.status).toBe(200);
      const stored = await send(edge, 'POST', '/tools/import', {
        body: { source: { document } },
        key: ADMIN,
      });
      expect(stored.status).toBe(201);
      const huge = await send(edge, 'POST', '/tools/import', {
        body: { source: { document: { pad: 'x'.repeat(5000) } } },
        key: ADMIN,
      });
      expect(huge.status).toBe(413);
      const unknown = await send(edge, 'POST', '/tools/import', {
        body: { source: { document }, sync: true },
        key: ADMIN,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json).toMatchObject({ code: 'INVALID_REQUEST' });
    });

    it('tells an import refused while the reader is busy when to retry (503, Retry-After)', async () => {
      const busy = await send(edge, 'POST', '/tools/import', {
        body: { source: { document: { openapi: '3.0.3' } }, prefix: 'busy_' },
        key: ADMIN,
      });
      expect(busy.status).toBe(503);
      expect(busy.json).toMatchObject({ code: 'OPENAPI_IMPORT_BUSY', details: { waiting: 4 } });
      expect(busy.headers.get('retry-after')).toBe('5');
    });

    it('refuses a caller without a key before reading its body', async () => {
      const res = await send(edge, 'POST', '/tools/call', { body: '{"broken' });
      expect(res.status).toBe(401);
    });

    it('answers bodies the parser refuses in the platform error shape', async () => {
      const broken = await send(edge, 'POST', '/tools/call', { body: '{"broken', key: ALICE });
      expect(broken.status).toBe(400);
      expect(broken.json).toMatchObject({ code: 'MALFORMED_JSON' });
      const latin1 = await send(edge, 'POST', '/tools/call', {
        body: '{}',
        key: ALICE,
        headers: { 'content-type': 'application/json; charset=latin1' },
      });
      expect(latin1.status).toBe(415);
    });

    it('reads calls up to the largest tool limit, then holds each to its own tool', async () => {
      const pad = 'x'.repeat(2000);
      const big = await send(edge, 'POST', '/tools/call', {
        body: { name: 'big_tool', arguments: { pad } },
        key: ALICE,
      });
      expect(big.status).toBe(200);
      const small = await send(edge, 'POST', '/tools/call', {
        body: { name: 'get_time', arguments: { pad } },
        key: ALICE,
      });
      expect(small.status).toBe(413);
      expect(small.json).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        details: { tool: 'get_time' },
      });
      const past = await send(edge, 'POST', '/tools/call', {
        body: { name: 'big_tool', arguments: { pad: 'x'.repeat(5000) } },
        key: ALICE,
      });
      expect(past.status).toBe(413);
    });

    it('holds other routes to MAX_BODY_BYTES and every body to the JSON bounds', async () => {
      const large = await send(edge, 'POST', '/tools', {
        body: { ...TOOL, description: 'x'.repeat(2000) },
        key: ADMIN,
      });
      expect(large.status).toBe(413);
      const deep = `{"name":"x","description":"d","parameters":${'['.repeat(40)}${']'.repeat(40)}}`;
      const nested = await send(edge, 'POST', '/tools', { body: deep, key: ADMIN });
      expect(nested.status).toBe(400);
      expect(nested.json).toMatchObject({ code: 'BODY_TOO_COMPLEX' });
      const proto = await send(edge, 'POST', '/tools/call', {
        body: '{"name":"get_time","arguments":{"__proto__":{"x":1}}}',
        key: ALICE,
      });
      expect(proto.status).toBe(400);
    });
  });

  describe('with no ADMIN_API_KEY', () => {
    let edge: Edge;
    beforeAll(async () => {
      edge = await startEdge({ keys: new KeyRing(undefined, []) });
    });
    afterAll(() => edge.close());

    it('accepts changes from loopback and calls from anyone', async () => {
      expect((await send(edge, 'POST', '/tools', { body: TOOL })).status).toBe(201);
      expect((await send(edge, 'POST', '/tools/call', { body: CALL })).status).toBe(200);
      expect(edge.calls.at(-1)?.context.caller).toMatch(/^ip:(::ffff:)?127\.0\.0\.1$/);
    });
  });

  describe('with RATE_LIMIT_PER_MINUTE=2', () => {
    let edge: Edge;
    beforeAll(async () => {
      edge = await startEdge({ rateLimitPerMinute: 2 });
    });
    afterAll(() => edge.close());

    it('answers the third call of a caller 429 with Retry-After, and counts per key name', async () => {
      const first = await send(edge, 'POST', '/tools/call', { body: CALL, key: ALICE });
      expect(first.headers.get('ratelimit-policy')).toBe('2;w=60');
      expect(first.headers.get('ratelimit-remaining')).toBe('1');
      expect((await send(edge, 'POST', '/tools/call', { body: CALL, key: ALICE })).status).toBe(
        200,
      );
      const limited = await send(edge, 'POST', '/tools/call', { body: CALL, key: ALICE });
      expect(limited.status).toBe(429);
      expect(limited.json).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('ratelimit-remaining')).toBe('0');
      expect((await send(edge, 'POST', '/tools/call', { body: CALL, key: ADMIN })).status).toBe(
        200,
      );
    });

    it('leaves routes without @RateLimit alone', async () => {
      for (let i = 0; i < 4; i++) expect((await send(edge, 'GET', '/tools')).status).toBe(200);
    });
  });
});
