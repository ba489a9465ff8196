import { Inject, Injectable } from '@nestjs/common';
import {
  type ListToolsResult,
  ProtocolError,
  ProtocolErrorCode,
  type Tool,
} from '@modelcontextprotocol/server';
import { type RegisteredTool, ToolRegistry } from '@app/tools';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { McpAppViews } from './mcp-app-views.js';

/** One page of `tools/list`. */
export type ToolPage = ListToolsResult & { tools: Tool[] };

/**
 * The MCP view of the registry: tool definitions built once per registry
 * change (not per request) and served in pages with an opaque cursor.
 */
@Injectable()
export class McpToolCatalog {
  private cache?: { tools: Tool[]; names: string[]; scopes: Array<string | null> };

  constructor(
    private readonly registry: ToolRegistry,
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    private readonly views: McpAppViews,
  ) {
    registry.onChange(() => (this.cache = undefined));
  }

  /**
   * The enabled tools, sorted by name, starting after the cursor's tool; with `scopes` (an
   * access token's), only the tools whose own required scope it holds.
   */
  page(cursor: string | undefined, scopes?: ReadonlySet<string>): ToolPage {
    const { tools, names } = this.visible(scopes);
    const size = this.runtime.config.mcp.pageSize;
    let start = 0;
    if (cursor !== undefined) {
      const after = decodeCursor(cursor);
      // Names are sorted: the page starts at the first name after the cursor's, so a
      // tool added or removed between two pages neither repeats nor shifts the rest.
      start = names.findIndex((n) => n > after);
      if (start === -1) start = names.length;
    }
    const slice = tools.slice(start, start + size);
    const last = start + size < tools.length ? names[start + size - 1] : undefined;
    return last === undefined ? { tools: slice } : { tools: slice, nextCursor: encodeCursor(last) };
  }

  /** The enabled tool named `name` (that `scopes`, when given, may see), or undefined. */
  find(name: string, scopes?: ReadonlySet<string>): RegisteredTool | undefined {
    const tool = this.registry.get(name);
    if (!tool || tool.record.enabled === false) return undefined;
    return maySee(tool.record.requiredScope, scopes) ? tool : undefined;
  }

  private visible(scopes: ReadonlySet<string> | undefined): { tools: Tool[]; names: string[] } {
    const all = this.snapshot();
    if (!scopes || all.scopes.every((s) => s === null)) return all;
    const keep = all.scopes.map((s) => maySee(s, scopes));
    return {
      tools: all.tools.filter((_, i) => keep[i]),
      names: all.names.filter((_, i) => keep[i]),
    };
  }

  private snapshot(): { tools: Tool[]; names: string[]; scopes: Array<string | null> } {
    if (!this.cache) {
      const enabled = this.registry.list().filter((t) => t.record.enabled !== false);
      const tools = enabled.map((t) => {
        const tool = toMcpTool(t);
        // Only the app's own built-in tools show its views; a runtime tool never does.
        const meta = t.record.builtin ? this.views.toolMeta(t.record.name) : undefined;
        return meta ? { ...tool, _meta: meta } : tool;
      });
      this.cache = {
        tools,
        names: enabled.map((t) => t.record.name),
        scopes: enabled.map((t) => t.record.requiredScope),
      };
    }
    return this.cache;
  }
}

/** A tool's own scope holds back only callers limited by scopes (access tokens) that lack it. */
function maySee(required: string | null, scopes: ReadonlySet<string> | undefined): boolean {
  return !required || !scopes || scopes.has(required);
}

/** A registry tool as MCP describes it; `inputSchema` is the very schema arguments are validated with. */
export function toMcpTool({ record }: RegisteredTool): Tool {
  const tool: Tool = {
    name: record.name,
    description: record.description,
    inputSchema: record.inputSchema as Tool['inputSchema'],
  };
  if (record.title) tool.title = record.title;
  if (record.outputSchema) tool.outputSchema = record.outputSchema as Tool['outputSchema'];
  if (record.annotations && Object.keys(record.annotations).length > 0) {
    tool.annotations = record.annotations;
  }
  return tool;
}

function encodeCursor(name: string): string {
  return Buffer.from(`after:${name}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('after:')) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
  }
  return text.slice('after:'.length);
}
