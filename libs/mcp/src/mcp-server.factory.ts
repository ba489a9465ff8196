import { Inject, Injectable } from '@nestjs/common';
import {
  type CacheHint,
  type GetPromptResult,
  type HandlerResultTypeMap,
  type Implementation,
  type ListResourcesResult,
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  type RequestTypeMap,
  ResourceNotFoundError,
  Server,
  type ServerContext,
  type ServerOptions,
} from '@modelcontextprotocol/server';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { McpAppViews, MCP_APPS_EXTENSION } from './mcp-app-views.js';
import { callContextOf, scopesOf } from './mcp-call-context.js';
import { McpToolCall } from './mcp-tool-call.js';
import { McpToolCatalog } from './mcp-tool-catalog.js';
import { toolDocMarkdown, toolDocUri, toolNameOfDocUri, TOOL_DOC_URI_PREFIX } from './tool-docs.js';

/** The one prompt this server offers: a tool's documentation framed as a request to use it. */
export const TOOL_GUIDE_PROMPT = 'tool_guide';

// Tools (and so their documentation) change at runtime and must be seen at once, even by a
// client that does not listen for list_changed: never cached. The prompt and the resource
// template are fixed for the life of the process and the same for every client.
const LIVE: CacheHint = { ttlMs: 0, cacheScope: 'private' };
const FIXED: CacheHint = { ttlMs: 3_600_000, cacheScope: 'public' };

/** The requests this server answers beyond those every SDK `Server` answers itself. */
const SERVED = [
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
] as const;
type Served = (typeof SERVED)[number];
type Handler<M extends Served> = (
  request: RequestTypeMap[M],
  ctx: ServerContext,
) => HandlerResultTypeMap[M] | Promise<HandlerResultTypeMap[M]>;

/**
 * Builds the low-level SDK `Server` instances that serve MCP over the tool registry.
 *
 * Everything an instance is made of is built once here and shared: identity, capabilities,
 * instructions, cache hints and the request handlers themselves. The handlers hold no
 * per-request state: they read the in-memory catalogue (itself rebuilt only when the
 * registry changes), and who is calling reaches them through the SDK's handler context
 * ({@link callContextOf}). `create()` is then the SDK's constructor and seven
 * `setRequestHandler` calls, measured at about 1% of an MCP `tools/call`'s CPU time.
 *
 * Instances are not pooled, by choice: `createMcpHandler` asks its factory for a fresh
 * instance per exchange, and reusing a closed one would save that 1% at a price. A 2025
 * instance keeps what its request set (the `initialize` handshake's protocol version and
 * client capabilities, a `logging/setLevel` level), which would leak to the next client;
 * and a handler still running after its client left sends through the instance's current
 * transport, which on a reused instance is another request's exchange.
 */
@Injectable()
export class McpServerFactory {
  private readonly identity: Implementation;
  private readonly options: ServerOptions;
  private readonly handlers: { [M in Served]: Handler<M> };

  constructor(
    toolCall: McpToolCall,
    private readonly catalog: McpToolCatalog,
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    private readonly views: McpAppViews,
  ) {
    const { id, name, version } = runtime.server;
    this.identity = { name: id, title: name, version };
    this.options = {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true },
        prompts: {},
        logging: {},
        // MCP Apps: hosts that render views learn here that this server has some.
        ...(views.any ? { extensions: { [MCP_APPS_EXTENSION]: {} } } : {}),
      },
      instructions: `${name} (${id}): call tools/list for its tools; each tool's documentation is the resource ${TOOL_DOC_URI_PREFIX}<tool name>.`,
      cacheHints: {
        'tools/list': LIVE,
        'resources/list': LIVE,
        'resources/read': LIVE,
        'resources/templates/list': FIXED,
        'prompts/list': FIXED,
      },
    };
    const templates = {
      resourceTemplates: [
        {
          uriTemplate: `${TOOL_DOC_URI_PREFIX}{name}`,
          name: 'tool-doc',
          title: 'Tool documentation',
          description: `Documentation of one tool of ${name}, by tool name.`,
          mimeType: 'text/markdown',
        },
      ],
    };
    const prompts = {
      prompts: [
        {
          name: TOOL_GUIDE_PROMPT,
          title: 'Use a tool',
          description: `Asks the assistant to use one of ${name}'s tools for a task, with the tool's documentation.`,
          arguments: [
            { name: 'tool', description: 'Name of the tool', required: true },
            { name: 'task', description: 'What the tool should be used for', required: false },
          ],
        },
      ],
    };
    this.handlers = {
      'tools/list': (request, ctx) => catalog.page(request.params?.cursor, scopesOf(ctx)),
      'tools/call': (request, ctx) =>
        toolCall.run(
          request.params.name,
          request.params.arguments ?? {},
          callContextOf(ctx),
          (level, data) => ctx.mcpReq.log(level, data, 'tools'),
        ),
      'resources/list': (request, ctx) => this.listResources(request.params?.cursor, scopesOf(ctx)),
      'resources/templates/list': () => templates,
      'resources/read': (request, ctx) => this.readResource(request.params.uri, scopesOf(ctx)),
      'prompts/list': () => prompts,
      'prompts/get': (request, ctx) =>
        this.toolGuide(request.params.name, request.params.arguments ?? {}, scopesOf(ctx)),
    };
  }

  /** A fresh, unconnected server instance answering from the registry. */
  create(): Server {
    const server = new Server(this.identity, this.options);
    for (const method of SERVED) this.register(server, method);
    return server;
  }

  private register<M extends Served>(server: Server, method: M): void {
    server.setRequestHandler(method, this.handlers[method]);
  }

  private listResources(
    cursor: string | undefined,
    scopes: ReadonlySet<string> | undefined,
  ): ListResourcesResult {
    const page = this.catalog.page(cursor, scopes);
    // The views (a fixed few) come with the first page, before the tools' documentation.
    const views = cursor === undefined ? this.views.resources() : [];
    return {
      resources: [
        ...views,
        ...page.tools.map((t) => ({
          uri: toolDocUri(t.name),
          name: t.name,
          title: `${t.title ?? t.name} (documentation)`,
          description: t.description,
          mimeType: 'text/markdown',
        })),
      ],
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  private readResource(uri: string, scopes: ReadonlySet<string> | undefined): ReadResourceResult {
    if (this.views.owns(uri)) {
      const view = this.views.read(uri);
      if (!view) throw new ResourceNotFoundError(uri);
      return view;
    }
    const name = toolNameOfDocUri(uri);
    const tool = name === undefined ? undefined : this.catalog.find(name, scopes);
    if (!tool) throw new ResourceNotFoundError(uri);
    return {
      contents: [
        { uri, mimeType: 'text/markdown', text: toolDocMarkdown(tool, this.runtime.server.id) },
      ],
    };
  }

  private toolGuide(
    prompt: string,
    args: Record<string, string>,
    scopes: ReadonlySet<string> | undefined,
  ): GetPromptResult {
    if (prompt !== TOOL_GUIDE_PROMPT) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${prompt}`);
    }
    const tool = args.tool === undefined ? undefined : this.catalog.find(args.tool, scopes);
    if (!tool) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Argument 'tool' must name a tool of ${this.runtime.server.id}`,
      );
    }
    const task = args.task ? `Use it to: ${args.task}` : 'Use it for the task at hand.';
    return {
      description: `Use ${tool.record.name}`,
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Call the MCP tool \`${tool.record.name}\`. ${task}\n\n${toolDocMarkdown(tool, this.runtime.server.id)}`,
          },
        },
      ],
    };
  }
}
