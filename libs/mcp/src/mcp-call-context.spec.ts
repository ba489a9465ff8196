import { Client } from '@modelcontextprotocol/client';
import {
  createMcpHandler,
  InMemoryTransport,
  type McpHttpHandler,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { CallContext } from '@app/core';
import { callContextOf, mcpAuthInfo, STDIO_CALLER } from './mcp-call-context.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { McpAppViews } from './mcp-app-views.js';
import { McpToolCall } from './mcp-tool-call.js';
import type { McpToolCatalog } from './mcp-tool-catalog.js';
import type { ServerRuntime } from '../../core/src/server-runtime.js';
import type { ToolsService } from '../../tools/src/tools.service.js';

/** A handler context as the SDK builds it, with only what callContextOf reads. */
function handlerContext(id: number, http?: ServerContext['http']): ServerContext {
  const signal = new AbortController().signal;
  return { mcpReq: { id, signal }, http } as unknown as ServerContext;
}

describe('callContextOf', () => {
  it('takes the caller and request id of an HTTP request from the authInfo the endpoint passed', () => {
    const ctx = handlerContext(7, { authInfo: mcpAuthInfo('alice', 'req-1') });
    expect(callContextOf(ctx)).toEqual({
      transport: 'mcp',
      caller: 'alice',
      requestId: 'req-1',
      signal: ctx.mcpReq.signal,
    });
  });

  it('falls back to the JSON-RPC id when the HTTP request had no id', () => {
    const ctx = handlerContext(9, { authInfo: mcpAuthInfo('ip:127.0.0.1', undefined) });
    expect(callContextOf(ctx)).toMatchObject({ caller: 'ip:127.0.0.1', requestId: '9' });
  });

  it('is the stdio caller under the JSON-RPC id where there is no HTTP request', () => {
    expect(callContextOf(handlerContext(3))).toMatchObject({
      transport: 'mcp',
      caller: STDIO_CALLER,
      requestId: '3',
    });
  });

  it('passes no secret on: the token is empty and the key name is the client id', () => {
    expect(mcpAuthInfo('alice', 'r')).toEqual({
      token: '',
      clientId: 'alice',
      scopes: [],
      extra: { requestId: 'r' },
    });
  });
});

describe('the call context through the SDK (createMcpHandler and stdio)', () => {
  let seen: CallContext[];
  let release: () => void;
  let factory: McpServerFactory;
  let handler: McpHttpHandler;

  beforeEach(() => {
    seen = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    release = open;
    const tools = {
      call: async (name: string, args: Record<string, unknown>, context: CallContext) => {
        seen.push(context);
        // Held until released, so that calls overlap; a cancelled call ends at once.
        await Promise.race([
          gate,
          new Promise((resolve) => context.signal?.addEventListener('abort', resolve)),
        ]);
        return { tool: name, operation: 'execute', result: { echo: args.tag }, durationMs: 0 };
      },
    } as unknown as ToolsService;
    const catalog = { find: () => ({}) } as unknown as McpToolCatalog;
    const runtime = {
      server: { id: 'server_t', name: 'Server T', version: '1.0.0' },
    } as unknown as ServerRuntime;
    factory = new McpServerFactory(
      new McpToolCall(tools, catalog),
      catalog,
      runtime,
      new McpAppViews(),
    );
    handler = createMcpHandler(() => factory.create(), { legacy: 'stateless' });
  });

  afterEach(async () => {
    release();
    await handler.close();
  });

  it('gives each of many overlapping calls, of both revisions, its own caller, request id and signal', async () => {
    const calls = Array.from({ length: 24 }, (_, i) => {
      const revision = i % 2 === 0 ? '2026-07-28' : '2025-11-25';
      return handler
        .fetch(toolsCall(revision, i, { tag: i }), {
          authInfo: mcpAuthInfo(`caller-${i}`, `http-${i}`),
        })
        .then(answerOf);
    });
    await until(() => seen.length === 24);
    release();
    const answers = await Promise.all(calls);
    answers.forEach((answer, i) => {
      expect(answer).toMatchObject({ id: i, result: { structuredContent: { echo: i } } });
    });
    expect(seen.map((c) => `${c.caller} ${c.requestId}`).sort()).toEqual(
      Array.from({ length: 24 }, (_, i) => `caller-${i} http-${i}`).sort(),
    );
    expect(seen.every((c) => c.transport === 'mcp')).toBe(true);
    expect(new Set(seen.map((c) => c.signal)).size).toBe(24);
  });

  it.each(['2026-07-28', '2025-11-25'])(
    'aborts the signal of a %s call whose client went away',
    async (revision) => {
      const client = new AbortController();
      const answer = handler
        .fetch(toolsCall(revision, 1, {}, client.signal), {
          authInfo: mcpAuthInfo('alice', 'gone-1'),
        })
        .then((res) => res.text())
        .catch(() => 'gave up');
      await until(() => seen.length === 1);
      expect(seen[0].signal?.aborted).toBe(false);
      client.abort();
      await until(() => seen[0].signal?.aborted === true);
      await answer;
    },
  );

  it('runs stdio tool calls as the stdio caller under their JSON-RPC ids', async () => {
    const server = factory.create();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      release();
      await client.callTool({ name: 'probe', arguments: {} });
    } finally {
      await client.close();
      await server.close();
    }
    expect(seen).toEqual([expect.objectContaining({ transport: 'mcp', caller: STDIO_CALLER })]);
    expect(seen[0].requestId).toMatch(/^\d+$/);
  });
});

/** A stateless tools/call of `probe` as an official client of `revision` sends it. */
function toolsCall(
  revision: string,
  id: number,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Request {
  const modern = revision === '2026-07-28';
  const params: Record<string, unknown> = { name: 'probe', arguments: args };
  if (modern) {
    params._meta = {
      'io.modelcontextprotocol/protocolVersion': revision,
      'io.modelcontextprotocol/clientInfo': { name: 'spec', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': revision,
  };
  if (modern) Object.assign(headers, { 'mcp-method': 'tools/call', 'mcp-name': 'probe' });
  return new Request('http://localhost/mcp', {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }),
    signal,
  });
}

/** The JSON-RPC answer of a JSON or event-stream response. */
async function answerOf(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return JSON.parse(text);
  const data = text.split('\n').find((line) => line.startsWith('data: {'));
  return JSON.parse(data!.slice('data: '.length));
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
