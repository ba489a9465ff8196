import { Injectable, Logger } from '@nestjs/common';
import {
  type CallToolResult,
  type LoggingLevel,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { InvalidArgumentsError, PlatformError, ToolNotFoundError } from '@app/core';
import type { ToolArguments } from '@app/tools';
import { ToolsService } from '@app/tools';
import { McpToolCatalog } from './mcp-tool-catalog.js';

/** Where an MCP tool call comes from: what the audit, logs and rate limits know it by. */
export interface McpCallOrigin {
  /** The HTTP request's id, or else the JSON-RPC id. */
  requestId: string;
  caller?: string;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  /** Sends a log message to the client, where the transport can. */
  log?: (level: LoggingLevel, data: unknown) => Promise<void>;
}

/**
 * Runs a tool for MCP: the one mapping from {@link ToolsService.call} outcomes to
 * MCP results, shared by the SDK handlers and the direct HTTP path. Argument and
 * executor failures become `isError` results a model can act on; an unknown tool
 * is a protocol error.
 */
@Injectable()
export class McpToolCall {
  private readonly logger = new Logger('Mcp');

  constructor(
    private readonly tools: ToolsService,
    private readonly catalog: McpToolCatalog,
  ) {}

  async run(name: string, args: ToolArguments, origin: McpCallOrigin): Promise<CallToolResult> {
    if (!this.catalog.find(name)) throw unknownTool(name);
    try {
      const outcome = await this.tools.call(name, args, {
        transport: 'mcp',
        requestId: origin.requestId,
        caller: origin.caller ?? 'unknown',
        signal: origin.signal,
      });
      return toCallResult(outcome.result);
    } catch (err) {
      if (err instanceof ToolNotFoundError) throw unknownTool(name);
      if (err instanceof InvalidArgumentsError) {
        return errorResult(`Invalid arguments for tool '${name}': ${err.message}`);
      }
      if (err instanceof PlatformError) {
        // Best effort: a client that has gone (CALL_CANCELLED) cannot be told anything.
        await origin
          .log?.('error', { tool: name, code: err.code, message: err.message })
          .catch(() => undefined);
        return errorResult(`Tool '${name}' failed (${err.code}): ${err.message}`);
      }
      this.logger.error(`tool '${name}' crashed: ${(err as Error).stack ?? String(err)}`);
      return errorResult(`Tool '${name}' failed with an internal error`);
    }
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
