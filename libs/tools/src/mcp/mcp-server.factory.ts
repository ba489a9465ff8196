import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type CallToolResult,
  type CacheHint,
  type GetPromptResult,
  type ListResourcesResult,
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  ResourceNotFoundError,
  Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { InvalidArgumentsError, PlatformError, ToolNotFoundError } from '../errors/tool-errors.js';
import { SERVER_RUNTIME, type ServerRuntime } from '../server-runtime.js';
import type { ToolArguments } from '../tool.types.js';
import { ToolsService } from '../tools.service.js';
import { McpToolCatalog } from './mcp-tool-catalog.js';
import { toolDocMarkdown, toolDocUri, toolNameOfDocUri, TOOL_DOC_URI_PREFIX } from './tool-docs.js';

/** The one prompt this server offers: a tool's documentation framed as a request to use it. */
export const TOOL_GUIDE_PROMPT = 'tool_guide';

// Tools (and so their documentation) change at runtime and must be seen at once, even by a
// client that does not listen for list_changed: never cached. The prompt and the resource
// template are fixed for the life of the process and the same for every client.
const LIVE: CacheHint = { ttlMs: 0, cacheScope: 'private' };
const FIXED: CacheHint = { ttlMs: 3_600_000, cacheScope: 'public' };

/**
 * Builds the low-level SDK `Server` instances that serve MCP over the tool
 * registry. Every handler reads the in-memory catalogue and calls
 * {@link ToolsService.call}, the executor REST uses too, so both front doors
 * behave the same. Instances are cheap: all state lives in the registry.
 */
@Injectable()
export class McpServerFactory {
  private readonly logger = new Logger('Mcp');

  constructor(
    private readonly tools: ToolsService,
    private readonly catalog: McpToolCatalog,
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
  ) {}

  /**
   * A fresh, unconnected server instance answering from the registry; its tool
   * calls carry `requestId` (the HTTP request's id), or else the JSON-RPC id.
   */
  create(requestId?: string): Server {
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
      this.callTool(request.params.name, request.params.arguments ?? {}, ctx, requestId),
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

  /** Runs a tool; argument and executor failures become `isError` results a model can act on. */
  private async callTool(
    name: string,
    args: ToolArguments,
    ctx: ServerContext,
    requestId: string | undefined,
  ): Promise<CallToolResult> {
    if (!this.catalog.find(name)) throw unknownTool(name);
    try {
      const outcome = await this.tools.call(name, args, {
        transport: 'mcp',
        requestId: requestId ?? String(ctx.mcpReq.id),
        signal: ctx.mcpReq.signal,
      });
      return toCallResult(outcome.result);
    } catch (err) {
      if (err instanceof ToolNotFoundError) throw unknownTool(name);
      if (err instanceof InvalidArgumentsError) {
        return errorResult(`Invalid arguments for tool '${name}': ${err.message}`);
      }
      if (err instanceof PlatformError) {
        await ctx.mcpReq.log(
          'error',
          { tool: name, code: err.code, message: err.message },
          'tools',
        );
        return errorResult(`Tool '${name}' failed (${err.code}): ${err.message}`);
      }
      this.logger.error(`tool '${name}' crashed: ${(err as Error).stack ?? String(err)}`);
      return errorResult(`Tool '${name}' failed with an internal error`);
    }
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

/** The tool's JSON result as `structuredContent` (objects only, as MCP requires) and as text. */
export function toCallResult(result: unknown): CallToolResult {
  const text = JSON.stringify(result ?? null);
  const structured =
    typeof result === 'object' && result !== null && !Array.isArray(result)
      ? (result as Record<string, unknown>)
      : undefined;
  return structured
    ? { content: [{ type: 'text', text }], structuredContent: structured }
    : { content: [{ type: 'text', text }] };
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function unknownTool(name: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`, {
    tool: name,
  });
}
