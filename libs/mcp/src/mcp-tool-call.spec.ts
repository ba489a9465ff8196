import { ProtocolError } from '@modelcontextprotocol/server';
import {
  CallCancelledError,
  type CallContext,
  InvalidArgumentsError,
  ToolNotFoundError,
  ToolNotImplementedError,
} from '@app/core';
import { McpToolCall } from './mcp-tool-call.js';
import type { McpToolCatalog } from './mcp-tool-catalog.js';
import type { ToolsService } from '../../tools/src/tools.service.js';

function toolCall(outcome: () => unknown, known = true) {
  const received: CallContext[] = [];
  const tools = {
    call: async (name: string, _args: unknown, context: CallContext) => {
      received.push(context);
      return { tool: name, operation: 'execute', result: await outcome(), durationMs: 0 };
    },
    notFound: async (name: string) => new ToolNotFoundError(name, 'server_t', { closest: 'probe' }),
  } as unknown as ToolsService;
  const catalog = { find: () => (known ? {} : undefined) } as unknown as McpToolCatalog;
  return { run: new McpToolCall(tools, catalog), received };
}

/** A log function that records what it was asked to send. */
function recordingLog() {
  const sent: Array<[string, unknown]> = [];
  const log = async (level: string, data: unknown) => {
    sent.push([level, data]);
  };
  return { log, sent };
}

const context = (signal = new AbortController().signal): CallContext => ({
  transport: 'mcp',
  requestId: 'req-1',
  caller: 'alice',
  signal,
});

describe('McpToolCall', () => {
  it('hands the call context to ToolsService unchanged and answers with text and structured content', async () => {
    const { run, received } = toolCall(() => ({ ok: 1 }));
    const ctx = context();
    const result = await run.run('probe', {}, ctx);
    expect(received).toEqual([ctx]);
    expect(result).toEqual({
      content: [{ type: 'text', text: '{"ok":1}' }],
      structuredContent: { ok: 1 },
    });
  });

  it('answers arguments that fail the schema with an isError result', async () => {
    const { run } = toolCall(() => {
      throw new InvalidArgumentsError('arguments.symbol is required');
    });
    const result = await run.run('probe', {}, context());
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: 'text', text: "Invalid arguments for tool 'probe': arguments.symbol is required" },
    ]);
  });

  it('tells a listening client about a failure, and answers it as an isError result', async () => {
    const { run } = toolCall(() => {
      throw new ToolNotImplementedError('probe');
    });
    const { log, sent } = recordingLog();
    const result = await run.run('probe', {}, context(), log);
    expect(sent).toEqual([
      ['error', expect.objectContaining({ tool: 'probe', code: 'TOOL_NOT_IMPLEMENTED' })],
    ]);
    expect(result.isError).toBe(true);
  });

  it('sends nothing for a client that went away: its exchange is closed', async () => {
    const gone = new AbortController();
    const { run } = toolCall(() => {
      gone.abort();
      throw new CallCancelledError('probe');
    });
    const { log, sent } = recordingLog();
    const result = await run.run('probe', {}, context(gone.signal), log);
    expect(sent).toEqual([]);
    expect(result.isError).toBe(true);
  });

  it('answers an unknown tool with a protocol error, without calling anything', async () => {
    const { run, received } = toolCall(() => ({}), false);
    const refused = run.run('prbe', {}, context());
    await expect(refused).rejects.toBeInstanceOf(ProtocolError);
    // -32602 (invalid params), naming the tool meant.
    await expect(refused).rejects.toMatchObject({
      code: -32602,
      message: "Unknown tool: prbe. Tool 'prbe' does not exist on server_t. Did you mean 'probe'?",
    });
    expect(received).toEqual([]);
  });
});
