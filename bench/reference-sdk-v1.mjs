// Peer: a minimal MCP server on the official SDK v1 (@modelcontextprotocol/sdk), stateless as
// its docs show (createMcpExpressApp, a new McpServer and StreamableHTTPServerTransport per
// request, sessionIdGenerator: undefined) with JSON responses, serving the same get_time
// handler as the project to 2025-era clients. Usage: node bench/reference-sdk-v1.mjs <port>
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { TimeTool } from '../dist/apps/server-b/src/utility/time/time.tool.js';

const tool = new TimeTool();
// The same arguments as the project's get_time, unknown ones refused (additionalProperties: false).
const inputSchema = z.strictObject({
  operation: z.enum(['execute', 'convert']).optional(),
  timezone: z.string().max(100).optional(),
  time: z.string().max(64).optional(),
  targetTimezone: z.string().max(100).optional(),
});

function getServer() {
  const server = new McpServer({ name: 'sdk-v1-reference', version: '1.0.0' });
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
}

const app = createMcpExpressApp();
app.post('/mcp', async (req, res) => {
  const server = getServer();
  try {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
  } catch {
    if (!res.headersSent) {
      res.status(500).json({
        jsonrpc: '2.0',
        error: { code: -32603, message: 'Internal server error' },
        id: null,
      });
    }
  }
});

const port = Number(process.argv[2] ?? 0);
const server = app.listen(port, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
