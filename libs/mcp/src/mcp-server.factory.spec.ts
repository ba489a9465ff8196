import { Client } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport, type Server } from '@modelcontextprotocol/server';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCP_APP_MIME_TYPE, McpAppViews, type McpAppView } from './mcp-app-views.js';
import { McpServerFactory, TOOL_GUIDE_PROMPT } from './mcp-server.factory.js';
import { McpToolCall } from './mcp-tool-call.js';
import type { McpToolCatalog, ToolPage } from './mcp-tool-catalog.js';
import type { ServerRuntime } from '../../core/src/server-runtime.js';
import type { ToolsService } from '../../tools/src/tools.service.js';

const REVISIONS = ['2026-07-28', '2025-11-25'] as const;

function setup(views: McpAppView[] = []) {
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
  const factory = new McpServerFactory(
    new McpToolCall(tools, catalog),
    catalog,
    runtime,
    new McpAppViews(views),
  );
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

describe('McpServerFactory with MCP Apps views', () => {
  const dir = mkdtempSync(join(tmpdir(), 'views-'));
  const file = join(dir, 'alpha.html');
  writeFileSync(file, '<!doctype html><html><body>alpha view</body></html>');
  const view: McpAppView = {
    uri: 'ui://server_t/alpha',
    name: 'alpha-view',
    title: 'Alpha',
    description: 'Shows alpha',
    file,
    tools: ['alpha'],
  };

  async function connected(views: McpAppView[]) {
    const server = setup(views).factory.create();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(clientSide);
    return { client, close: () => Promise.all([client.close(), server.close()]) };
  }

  it('advertises the extension, lists the view and serves its HTML with the MCP Apps MIME type', async () => {
    const { client, close } = await connected([view]);
    try {
      expect(client.getServerCapabilities()).toMatchObject({
        resources: {},
        extensions: { 'io.modelcontextprotocol/ui': {} },
      });
      const { resources } = await client.listResources();
      expect(resources[0]).toMatchObject({ uri: view.uri, mimeType: MCP_APP_MIME_TYPE });
      const read = await client.readResource({ uri: view.uri });
      expect(read.contents).toEqual([
        {
          uri: view.uri,
          mimeType: 'text/html;profile=mcp-app',
          text: expect.stringContaining('alpha view'),
          _meta: {
            ui: {
              csp: {
                connectDomains: [],
                resourceDomains: [],
                frameDomains: [],
                baseUriDomains: [],
              },
            },
          },
        },
      ]);
      await expect(client.readResource({ uri: 'ui://server_t/nothing' })).rejects.toThrow();
    } finally {
      await close();
    }
  });

  it('advertises no extension when the app has no views', async () => {
    const { client, close } = await connected([]);
    try {
      expect(client.getServerCapabilities()?.extensions).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('says the view is not built when its file is missing', async () => {
    const { client, close } = await connected([{ ...view, file: join(dir, 'missing.html') }]);
    try {
      await expect(client.readResource({ uri: view.uri })).rejects.toThrow(/not built/);
    } finally {
      await close();
    }
  });
});

describe('McpAppViews', () => {
  it('links a tool to its view under both spellings of the key, and no other tool', () => {
    const views = new McpAppViews([
      { uri: 'ui://s/v', name: 'v', title: 'V', description: 'v', file: 'x', tools: ['t'] },
    ]);
    expect(views.toolMeta('t')).toEqual({
      ui: { resourceUri: 'ui://s/v' },
      'ui/resourceUri': 'ui://s/v',
    });
    expect(views.toolMeta('other')).toBeUndefined();
  });

  it('refuses a view whose URI is not ui://', () => {
    expect(
      () =>
        new McpAppViews([
          { uri: 'https://x/v', name: 'v', title: 'V', description: 'v', file: 'x', tools: [] },
        ]),
    ).toThrow(/ui:\/\//);
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
