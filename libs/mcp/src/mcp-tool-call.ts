import { Injectable, Logger } from '@nestjs/common';
import {
  type CallToolResult,
  type LoggingLevel,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import {
  type CallContext,
  InvalidArgumentsError,
  isJsonObject,
  PlatformError,
  ToolNotFoundError,
} from '@app/core';
import type { ToolArguments } from '@app/tools';
import { ToolsService } from '@app/tools';
import { McpToolCatalog } from './mcp-tool-catalog.js';

/** Sends a log message about a call to its client, where the transport can. */
export type McpCallLog = (level: LoggingLevel, data: unknown) => Promise<void>;

/**
 * Runs a tool for MCP's `tools/call` handler: the one mapping from {@link ToolsService.call}
 * outcomes to MCP results. Argument and executor failures become `isError` results a model
 * can act on; an unknown tool is a protocol error.
 */
@Injectable()
export class McpToolCall {
  private readonly logger = new Logger('Mcp');

  constructor(
    private readonly tools: ToolsService,
    private readonly catalog: McpToolCatalog,
  ) {}

  /** Calls `name` under `context`; `log` tells the client about a failure while it listens. */
  async run(
    name: string,
    args: ToolArguments,
    context: CallContext,
    log?: McpCallLog,
  ): Promise<CallToolResult> {
    if (!this.catalog.find(name)) throw unknownTool(await this.tools.notFound(name));
    try {
      const outcome = await this.tools.call(name, args, context);
      return toCallResult(outcome.result);
    } catch (err) {
      if (err instanceof ToolNotFoundError) throw unknownTool(err);
      if (err instanceof InvalidArgumentsError) {
        return errorResult(`Invalid arguments for tool '${name}': ${err.message}`);
      }
      if (err instanceof PlatformError) {
        // A client that has gone (CALL_CANCELLED) cannot be told anything, and its exchange
        // is closed: nothing may be sent on its behalf any more.
        if (!context.signal?.aborted) {
          await log?.('error', { tool: name, code: err.code, message: err.message }).catch(
            () => undefined,
          );
        }
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
  const structured = isJsonObject(result) ? result : undefined;
  return structured
    ? { content: [{ type: 'text', text }], structuredContent: structured }
    : { content: [{ type: 'text', text }] };
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** MCP's answer to an unknown tool: -32602, saying which name was probably meant and where. */
function unknownTool(notFound: ToolNotFoundError): ProtocolError {
  const { tool, didYouMean, onServers } = notFound.details as {
    tool: string;
    didYouMean?: string;
    onServers?: string[];
  };
  const hinted = didYouMean !== undefined || onServers !== undefined;
  return new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    hinted ? `Unknown tool: ${tool}. ${notFound.message}` : `Unknown tool: ${tool}`,
    {
      tool,
      ...(didYouMean ? { didYouMean } : {}),
      ...(onServers ? { onServers } : {}),
    },
  );
}
