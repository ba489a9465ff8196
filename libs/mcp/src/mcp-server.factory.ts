import { Inject, Injectable } from '@nestjs/common';
import {
  type CacheHint,
  type GetPromptResult,
  type ListResourcesResult,
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  ResourceNotFoundError,
  Server,
} from '@modelcontextprotocol/server';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
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

/** Who a server instance serves: its tool calls are audited, logged and limited under these. */
export interface McpConnectionOrigin {
  /** The HTTP request's id; without one (stdio) each call carries its JSON-RPC id. */
  requestId?: string;
  caller?: string;
}

/**
 * Builds the low-level SDK `Server` instances that serve MCP over the tool
 * registry. Every handler reads the in-memory catalogue; tool calls go through
 * {@link McpToolCall} to {@link ToolsService.call}, the executor REST uses too,
 * so both front doors behave the same. Instances are cheap: all state lives in
 * the registry.
 */
@Injectable()
export class McpServerFactory {
  constructor(
    private readonly toolCall: McpToolCall,
    private readonly catalog: McpToolCatalog,
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
  ) {}

  /** A fresh, unconnected server instance answering from the registry. */
  create(origin: McpConnectionOrigin = {}): Server {
    const { server: identity } = this.runtime;
    const server = new Server(
      { name: identity.id, title: identity.name, version: identity.version },
      {
        capabilities: {
          tools: { listChanged: true },
          resources: { listChanged: true },
          prompts: {},
          logging: {},
        },
        instructions: `${identity.name} (${identity.id}): call tools/list for its tools; each tool's documentation is the resource ${TOOL_DOC_URI_PREFIX}<tool name>.`,
        cacheHints: {
          'tools/list': LIVE,
          'resources/list': LIVE,
          'resources/read': LIVE,
          'resources/templates/list': FIXED,
          'prompts/list': FIXED,
        },
      },
    );
    server.setRequestHandler('tools/list', (request) => this.catalog.page(request.params?.cursor));
    server.setRequestHandler('tools/call', (request, ctx) =>
      this.toolCall.run(request.params.name, request.params.arguments ?? {}, {
        requestId: origin.requestId ?? String(ctx.mcpReq.id),
        caller: origin.caller,
        signal: ctx.mcpReq.signal,
        log: (level, data) => ctx.mcpReq.log(level, data, 'tools'),
      }),
    );
    server.setRequestHandler('resources/list', (request) =>
      this.listResources(request.params?.cursor),
    );
    server.setRequestHandler('resources/templates/list', () => ({
      resourceTemplates: [
        {
          uriTemplate: `${TOOL_DOC_URI_PREFIX}{name}`,
          name: 'tool-doc',
          title: 'Tool documentation',
          description: `Documentation of one tool of ${identity.name}, by tool name.`,
          mimeType: 'text/markdown',
        },
      ],
    }));
    server.setRequestHandler('resources/read', (request) => this.readResource(request.params.uri));
    server.setRequestHandler('prompts/list', () => ({
      prompts: [
        {
          name: TOOL_GUIDE_PROMPT,
          title: 'Use a tool',
          description: `Asks the assistant to use one of ${identity.name}'s tools for a task, with the tool's documentation.`,
          arguments: [
            { name: 'tool', description: 'Name of the tool', required: true },
            { name: 'task', description: 'What the tool should be used for', required: false },
          ],
        },
      ],
    }));
    server.setRequestHandler('prompts/get', (request) =>
      this.toolGuide(request.params.name, request.params.arguments ?? {}),
    );
    return server;
  }

  private listResources(cursor: string | undefined): ListResourcesResult {
    const page = this.catalog.page(cursor);
    return {
      resources: page.tools.map((t) => ({
        uri: toolDocUri(t.name),
        name: t.name,
        title: `${t.title ?? t.name} (documentation)`,
        description: t.description,
        mimeType: 'text/markdown',
      })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  private readResource(uri: string): ReadResourceResult {
    const name = toolNameOfDocUri(uri);
    const tool = name === undefined ? undefined : this.catalog.find(name);
    if (!tool) throw new ResourceNotFoundError(uri);
    return {
      contents: [
        { uri, mimeType: 'text/markdown', text: toolDocMarkdown(tool, this.runtime.server.id) },
      ],
    };
  }

  private toolGuide(prompt: string, args: Record<string, string>): GetPromptResult {
    if (prompt !== TOOL_GUIDE_PROMPT) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${prompt}`);
    }
    const tool = args.tool === undefined ? undefined : this.catalog.find(args.tool);
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
