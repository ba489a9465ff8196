import { Client as ClientV2, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioClientTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { http } from './harness.js';

/** The protocol revision each official client speaks here. */
export type Revision = '2025-11-25' | '2026-07-28';
export const REVISIONS: Revision[] = ['2025-11-25', '2026-07-28'];

export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

export interface McpResource {
  uri: string;
  name: string;
  mimeType?: string;
  _meta?: Record<string, unknown>;
}

export interface McpResourceContent {
  uri: string;
  mimeType?: string;
  text?: string;
  _meta?: Record<string, unknown>;
}

export interface McpCallResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** What the tests need from an MCP client, the same for the v1 (2025-11-25) and v2 (2026-07-28) SDKs. */
export interface TestMcpClient {
  revision: Revision;
  /** The protocol revision agreed with the server. */
  negotiatedVersion(): string | undefined;
  listTools(cursor?: string): Promise<{ tools: McpTool[]; nextCursor?: string }>;
  callTool(name: string, args?: Record<string, unknown>): Promise<McpCallResult>;
  /** The first page of `resources/list`. */
  listResources(): Promise<{ resources: McpResource[] }>;
  readResource(uri: string): Promise<{ contents: McpResourceContent[] }>;
  /** What the server said it can do. */
  serverCapabilities(): Record<string, unknown> | undefined;
  /** Resolves at the next `notifications/tools/list_changed`. */
  nextToolsChanged(): Promise<void>;
  /** Starts listening for change notifications (GET stream or subscriptions/listen). */
  listen(): Promise<void>;
  /** Counts notifications/tools/list_changed received so far. */
  toolsChangedCount(): number;
  close(): Promise<void>;
}

/** The Accept header every Streamable HTTP POST to /mcp must carry, for hand-made requests. */
export const MCP_ACCEPT = { accept: 'application/json, text/event-stream' };

/** A raw 2026-07-28 stateless `tools/call` as the official v2 client sends it: body and headers. */
export function rawToolsCall(id: number | string, name: string, args: Record<string, unknown>) {
  const revision = '2026-07-28';
  return {
    body: {
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': revision,
          'io.modelcontextprotocol/clientInfo': { name: 'e2e', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
    headers: {
      ...MCP_ACCEPT,
      'mcp-protocol-version': revision,
      'mcp-method': 'tools/call',
      'mcp-name': name,
    } as Record<string, string>,
  };
}

/** Every page of `tools/list`, following the cursor to the end. */
export async function listToolPages(
  client: TestMcpClient,
): Promise<Array<{ tools: McpTool[]; nextCursor?: string }>> {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

/** All tools of all pages; listing first also lets the SDK clients check results against outputSchema. */
export async function listAllTools(client: TestMcpClient): Promise<McpTool[]> {
  return (await listToolPages(client)).flatMap((page) => page.tools);
}

/** A process an SDK stdio transport starts; `cwd` is where a desktop client would start it from. */
export type StdioTarget = {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
};

/** Connects an official SDK client of the given revision over Streamable HTTP or stdio. */
export async function connectClient(
  revision: Revision,
  target: URL | StdioTarget,
  headers: Record<string, string> = {},
): Promise<TestMcpClient> {
  return revision === '2025-11-25' ? connectV1(target, headers) : connectV2(target, headers);
}

function changeTracker() {
  let count = 0;
  let waiters: Array<() => void> = [];
  return {
    fire: () => {
      count++;
      const w = waiters;
      waiters = [];
      w.forEach((r) => r());
    },
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
    count: () => count,
  };
}

/** A fetch that notices the first GET the server answers with an event stream. */
function streamWatch(timeoutMs = 10_000) {
  let open!: () => void;
  const answered = new Promise<void>((resolve) => (open = resolve));
  return {
    fetch: async (url: string | URL, init?: RequestInit): Promise<Response> => {
      const res = await fetch(url, init);
      const type = res.headers.get('content-type') ?? '';
      if (init?.method === 'GET' && res.ok && type.startsWith('text/event-stream')) open();
      return res;
    },
    opened: async (): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the v1 client opened no GET stream within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      await Promise.race([answered, late]).finally(() => clearTimeout(timer));
    },
  };
}

async function connectV1(
  target: URL | StdioTarget,
  headers: Record<string, string>,
): Promise<TestMcpClient> {
  const client = new ClientV1({ name: 'e2e-v1', version: '1.0.0' });
  const changes = changeTracker();
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.fire());
  // The v1 client opens its GET stream by itself after connecting; the server's answer to that
  // GET is the moment notifications can reach it. Over stdio they always can.
  const stream = streamWatch();
  const transport =
    target instanceof URL
      ? new StreamableHTTPClientTransportV1(target, {
          requestInit: { headers },
          fetch: stream.fetch,
        })
      : new StdioClientTransportV1({ ...target, stderr: 'pipe' });
  // The v1 client hands the negotiated version to transports that want it; record it on the way.
  let negotiated: string | undefined;
  const versioned = transport as { setProtocolVersion?: (v: string) => void };
  const original = versioned.setProtocolVersion?.bind(transport);
  versioned.setProtocolVersion = (version) => {
    negotiated = version;
    original?.(version);
  };
  await client.connect(transport);
  return {
    revision: '2025-11-25',
    negotiatedVersion: () => negotiated,
    listTools: (cursor) => client.listTools(cursor ? { cursor } : undefined) as never,
    callTool: (name, args = {}) => client.callTool({ name, arguments: args }) as never,
    listResources: () => client.listResources() as never,
    readResource: (uri) => client.readResource({ uri }) as never,
    serverCapabilities: () => client.getServerCapabilities(),
    nextToolsChanged: changes.next,
    listen: () => (target instanceof URL ? stream.opened() : Promise.resolve()),
    toolsChangedCount: changes.count,
    close: () => client.close(),
  };
}

async function connectV2(
  target: URL | StdioTarget,
  headers: Record<string, string>,
): Promise<TestMcpClient> {
  const changes = changeTracker();
  const client = new ClientV2(
    { name: 'e2e-v2', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  client.setNotificationHandler('notifications/tools/list_changed', () => changes.fire());
  const transport =
    target instanceof URL
      ? new StreamableHTTPClientTransport(target, { requestInit: { headers } })
      : new StdioClientTransportV2({ ...target, stderr: 'pipe' });
  await client.connect(transport);
  let subscription: { close(): Promise<void> } | undefined;
  return {
    revision: '2026-07-28',
    negotiatedVersion: () => client.getNegotiatedProtocolVersion(),
    // One page per call: the v2 client's listTools() without a cursor walks every page.
    listTools: (cursor) =>
      client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }) as never,
    callTool: (name, args = {}) => client.callTool({ name, arguments: args }) as never,
    // One page: the v2 client's listResources() without a cursor walks every page.
    listResources: () => client.request({ method: 'resources/list', params: {} }) as never,
    readResource: (uri) => client.readResource({ uri }) as never,
    serverCapabilities: () => client.getServerCapabilities(),
    nextToolsChanged: changes.next,
    listen: async () => {
      subscription = await client.listen({ toolsListChanged: true });
    },
    toolsChangedCount: changes.count,
    close: async () => {
      await subscription?.close();
      await client.close();
    },
  };
}

/**
 * Registers a tool over REST at `serverUrl` while `client` listens, and resolves once the
 * client has heard `notifications/tools/list_changed` for it.
 */
export async function registerAndHear(
  client: TestMcpClient,
  serverUrl: string,
  tool: { name: string; description: string; parameters: unknown[] },
): Promise<void> {
  const heard = client.nextToolsChanged();
  const created = await http('POST', `${serverUrl}/tools`, tool);
  expect(created.status).toBe(201);
  await heard;
}
