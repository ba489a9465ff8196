// Reference: a minimal MCP server on the official SDK v2 (createMcpHandler, stateless),
// serving the same get_time handler as the project. Usage: node bench/reference-sdk.mjs <port>
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, fromJsonSchema, McpServer } from '@modelcontextprotocol/server';
import { TimeTool } from '../dist/apps/server-b/src/utility/time/time.tool.js';

const tool = new TimeTool();
const inputSchema = fromJsonSchema({
  type: 'object',
  properties: {
    operation: { type: 'string', enum: ['execute', 'convert'] },
    timezone: { type: 'string', maxLength: 100 },
    time: { type: 'string', maxLength: 64 },
    targetTimezone: { type: 'string', maxLength: 100 },
  },
  additionalProperties: false,
});

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'sdk-reference', version: '1.0.0' });
  server.registerTool(
    'get_time',
    { description: 'Current time in an IANA time zone', inputSchema },
    async (args) => {
      const result = tool.execute(args);
      return {
        content: [{ type: 'text', text: JSON.stringify(result) }],
        structuredContent: result,
      };
    },
  );
  return server;
});

const port = Number(process.argv[2] ?? 0);
const server = createServer(toNodeHandler(handler));
server.listen(port, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
