import { Client } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport, type Server } from '@modelcontextprotocol/server';
import { McpServerFactory, TOOL_GUIDE_PROMPT } from './mcp-server.factory.js';
import { McpToolCall } from './mcp-tool-call.js';
import type { McpToolCatalog, ToolPage } from './mcp-tool-catalog.js';
import type { ServerRuntime } from '../../core/src/server-runtime.js';
import type { ToolsService } from '../../tools/src/tools.service.js';

const REVISIONS = ['2026-07-28', '2025-11-25'] as const;

function setup() {
  const names = ['alpha', 'beta'];
  const catalog = {
    page: (): ToolPage => ({
      tools: names.map((name) => ({ name, inputSchema: { type: 'object' as const } })),
    }),
    find: (name: string) =>
      names.includes(name)
        ? { record: { name, description: `does ${name}`, parameters: [], inputSchema: {} } }
        : undefined,
  } as unknown as McpToolCatalog;
  const tools = {
    call: async (name: string) => ({
      tool: name,
      operation: 'execute',
      result: { ran: name },
      durationMs: 0,
    }),
  } as unknown as ToolsService;
  const runtime = {
    server: { id: 'server_t', name: 'Server T', version: '1.0.0' },
  } as unknown as ServerRuntime;
  const factory = new McpServerFactory(new McpToolCall(tools, catalog), catalog, runtime);
  return { factory, names };
}

describe('McpServerFactory', () => {
  it('makes a new, unconnected instance on every call, as the SDK asks of a factory', () => {
    const { factory } = setup();
    const first = factory.create();
    const second = factory.create();
    expect(first).not.toBe(second);
    expect(first.transport).toBeUndefined();
    expect(second.getCapabilities()).toEqual(first.getCapabilities());
  });

  it('serves overlapping requests of both revisions on one instance each', async () => {
    const { factory } = setup();
    const made: Server[] = [];
    const handler = createMcpHandler(
      () => {
        const server = factory.create();
        made.push(server);
        return server;
      },
      { legacy: 'stateless' },
    );
    try {
      const requests = Array.from({ length: 20 }, (_, i) => {
        const revision = REVISIONS[i % 2];
        const method = i % 4 < 2 ? 'tools/call' : 'tools/list';
        const params = method === 'tools/call' ? { name: 'beta', arguments: {} } : {};
        return handler.fetch(rpc(revision, i, method, params)).then(answerOf);
      });
      const answers = await Promise.all(requests);
      answers.forEach((answer, i) => {
        expect(answer.id).toBe(i);
        if (i % 4 < 2) expect(answer.result).toMatchObject({ structuredContent: { ran: 'beta' } });
        else expect(answer.result).toMatchObject({ tools: [{ name: 'alpha' }, { name: 'beta' }] });
      });
      expect(new Set(made).size).toBe(20);
    } finally {
      await handler.close();
    }
  });

  it('answers from the live catalogue: an instance made before a change sees it', async () => {
    const { factory, names } = setup();
    const server = factory.create();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      names.push('gamma');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
      const { prompts } = await client.listPrompts();
      expect(prompts.map((p) => p.name)).toEqual([TOOL_GUIDE_PROMPT]);
      const guide = await client.getPrompt({
        name: TOOL_GUIDE_PROMPT,
        arguments: { tool: 'gamma' },
      });
      expect(JSON.stringify(guide.messages)).toContain('does gamma');
    } finally {
      await client.close();
      await server.close();
    }
  });
});

/** A stateless JSON-RPC request as an official client of `revision` sends it. */
function rpc(revision: string, id: number, method: string, params: Record<string, unknown>) {
  const modern = revision === '2026-07-28';
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': revision,
  };
  const body = { jsonrpc: '2.0', id, method, params: { ...params } };
  if (modern) {
    headers['mcp-method'] = method;
    if (typeof params.name === 'string') headers['mcp-name'] = params.name;
    body.params._meta = {
      'io.modelcontextprotocol/protocolVersion': revision,
      'io.modelcontextprotocol/clientInfo': { name: 'spec', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
  }
  return new Request('http://localhost/mcp', {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
}

async function answerOf(res: Response): Promise<{ id: unknown; result?: unknown }> {
  const text = await res.text();
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return JSON.parse(text);
  const data = text.split('\n').find((line) => line.startsWith('data: {'));
  return JSON.parse(data!.slice('data: '.length));
}
