import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import type { McpToolCatalog } from './mcp-tool-catalog.js';
import { type McpConnectionOrigin, McpServerFactory } from './mcp-server.factory.js';
import { McpToolCall } from './mcp-tool-call.js';
import type { ServerRuntime } from '../../core/src/server-runtime.js';
import type { ToolCallContext } from '../../tools/src/tool.types.js';
import type { ToolsService } from '../../tools/src/tools.service.js';

describe('request id and caller in MCP tool calls', () => {
  async function callThrough(origin: McpConnectionOrigin) {
    const seen: Array<Partial<ToolCallContext>> = [];
    const tools = {
      call: async (name: string, _args: unknown, context: Partial<ToolCallContext>) => {
        seen.push(context);
        return { tool: name, operation: 'execute', result: { ok: true }, durationMs: 0 };
      },
    } as unknown as ToolsService;
    const catalog = { find: () => ({}) } as unknown as McpToolCatalog;
    const runtime = {
      server: { id: 'server_t', name: 'Server T', version: '1.0.0' },
    } as unknown as ServerRuntime;
    const toolCall = new McpToolCall(tools, catalog);
    const server = new McpServerFactory(toolCall, catalog, runtime).create(origin);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      await client.callTool({ name: 'probe', arguments: {} });
    } finally {
      await client.close();
      await server.close();
    }
    return seen;
  }

  it("hands the HTTP request's id and caller to the tool call", async () => {
    const seen = await callThrough({ requestId: 'http-req-7', caller: 'key:alice' });
    expect(seen).toEqual([
      expect.objectContaining({ transport: 'mcp', requestId: 'http-req-7', caller: 'key:alice' }),
    ]);
  });

  it('falls back to the JSON-RPC id where there is no HTTP request (stdio)', async () => {
    const seen = await callThrough({});
    expect(seen).toHaveLength(1);
    expect(seen[0].requestId).toMatch(/^\d+$/);
  });
});
