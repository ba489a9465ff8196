import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import { KeyRing } from '@app/core';
import { httpPipelineProviders, type HttpPipelineOptions, PipelineExpressAdapter } from '@app/http';
import { Tool, ToolBodyLimits, type ToolHandler } from '@app/tools';
import { McpHttpEndpoint } from './mcp-http.endpoint.js';
import { McpController } from './mcp.controller.js';

// The MCP edge as a Nest module: the controller behind the real pipeline, with the SDK
// endpoint faked. Who may reach /mcp, its limits and its error shape are proven here.

const ALICE = 'ali-2c7e9a1f4b6d4c08e3a5';

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

interface Edge {
  url: string;
  seen: Array<{ caller?: string; body: unknown }>;
  close(): Promise<void>;
}

async function startEdge(options: Partial<HttpPipelineOptions> = {}): Promise<Edge> {
  const seen: Edge['seen'] = [];
  const endpoint = {
    handle: async (req: Request, res: Response) => {
      seen.push({ caller: req.caller?.name, body: req.body });
      const { id } = (req.body ?? {}) as { id?: unknown };
      if (req.method === 'PUT') throw new Error('the endpoint failed');
      res.status(200).json({ jsonrpc: '2.0', result: {}, id: id ?? null });
    },
  };
  const bodyLimits = new ToolBodyLimits({ maxBodyBytes: 1024, maxArrayLength: 100 }, [BigTool], 16);
  const moduleRef = await Test.createTestingModule({
    controllers: [McpController],
    providers: [
      ...httpPipelineProviders({
        keys: new KeyRing(undefined, [{ name: 'alice', key: ALICE }]),
        docsRequireAuth: false,
        rateLimitPerMinute: 0,
        maxBodyBytes: 1024,
        maxCallBodyBytes: bodyLimits.largest.maxBodyBytes,
        maxDocumentBodyBytes: 4096,
        maxJsonDepth: 16,
        maxJsonArrayLength: 100,
        jsonRpcPaths: ['/mcp'],
        shutdownGraceMs: 1000,
        ...options,
      }),
      { provide: ToolBodyLimits, useValue: bodyLimits },
      McpHttpEndpoint,
    ],
  })
    .overrideProvider(McpHttpEndpoint)
    .useValue(endpoint)
    .compile();
  const app: INestApplication = moduleRef.createNestApplication(new PipelineExpressAdapter(), {
    bodyParser: false,
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => app.close() };
}

async function post(edge: Edge, body: string | object, key?: string, method = 'POST') {
  const res = await fetch(`${edge.url}/mcp`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as {
      jsonrpc?: string;
      id?: unknown;
      error?: { code: number; message: string; data: { code: string } };
    },
  };
}

const call = (id: number | string, name: string, args: object = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

describe('MCP edge (Nest module, real guards, faked SDK endpoint)', () => {
  describe('with API_KEYS set', () => {
    let edge: Edge;
    beforeAll(async () => {
      edge = await startEdge();
    });
    afterAll(() => edge.close());
    // Each test reads only the requests it sent, whatever ran before it.
    beforeEach(() => {
      edge.seen.length = 0;
    });

    it('refuses a caller without a key with a JSON-RPC error and a Bearer challenge', async () => {
      const res = await post(edge, call(1, 'get_time'));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect(res.json).toEqual({
        jsonrpc: '2.0',
        error: { code: -32000, message: expect.any(String), data: { code: 'UNAUTHORIZED' } },
        id: null,
      });
      expect(edge.seen).toHaveLength(0);
    });

    it('hands a caller key’s request, body parsed and caller named, to the endpoint', async () => {
      const res = await post(edge, call(2, 'get_time'), ALICE);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ jsonrpc: '2.0', result: {}, id: 2 });
      expect(edge.seen.at(-1)).toEqual({ caller: 'alice', body: call(2, 'get_time') });
    });

    it('answers malformed JSON with a JSON-RPC parse error (-32700)', async () => {
      const res = await post(edge, '{"jsonrpc":', ALICE);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: -32700, data: { code: 'MALFORMED_JSON' } });
    });

    it('holds a tools/call to its tool’s body limit, answering with the request’s id', async () => {
      const pad = 'x'.repeat(2000);
      expect((await post(edge, call(3, 'big_tool', { pad }), ALICE)).status).toBe(200);
      const refused = await post(edge, call('c-4', 'get_time', { pad }), ALICE);
      expect(refused.status).toBe(413);
      expect(refused.json).toMatchObject({
        jsonrpc: '2.0',
        id: 'c-4',
        error: { code: -32000, data: { code: 'PAYLOAD_TOO_LARGE' } },
      });
      expect(refused.json.error?.message).toContain("tool 'get_time'");
    });

    it('answers a failure of the endpoint as a JSON-RPC 500 without details', async () => {
      const res = await post(edge, call(5, 'get_time'), ALICE, 'PUT');
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({
        id: 5,
        error: { code: -32000, message: 'Internal server error', data: { code: 'INTERNAL_ERROR' } },
      });
    });
  });

  describe('with RATE_LIMIT_PER_MINUTE=1', () => {
    let edge: Edge;
    beforeAll(async () => {
      edge = await startEdge({ keys: new KeyRing(undefined, []), rateLimitPerMinute: 1 });
    });
    afterAll(() => edge.close());

    it('answers the second request of a caller 429 in JSON-RPC, with Retry-After', async () => {
      expect((await post(edge, call(1, 'get_time'))).status).toBe(200);
      const limited = await post(edge, call(2, 'get_time'));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.json).toMatchObject({
        jsonrpc: '2.0',
        error: { data: { code: 'RATE_LIMITED' } },
      });
    });
  });
});
