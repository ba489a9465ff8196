// Peer: a minimal FastMCP (TypeScript) server, HTTP streaming in stateless mode with JSON
// responses, serving the same get_time handler as the project to 2025-era clients.
// Usage: node bench/reference-fastmcp.mjs <port>
import { FastMCP } from 'fastmcp';
import { z } from 'zod';
import { TimeTool } from '../dist/apps/server-b/src/utility/time/time.tool.js';

const tool = new TimeTool();
// FastMCP logs every request and session to the console by default; the bench keeps it quiet.
const quiet = { debug() {}, error() {}, info() {}, log() {}, warn() {} };
const server = new FastMCP({ name: 'fastmcp-reference', version: '1.0.0', logger: quiet });
server.addTool({
  name: 'get_time',
  description: 'Current time in an IANA time zone',
  parameters: z.strictObject({
    operation: z.enum(['execute', 'convert']).optional(),
    timezone: z.string().max(100).optional(),
    time: z.string().max(64).optional(),
    targetTimezone: z.string().max(100).optional(),
  }),
  execute: async (args) => {
    const result = tool.execute(args);
    return {
      content: [{ type: 'text', text: JSON.stringify(result) }],
      structuredContent: result,
    };
  },
});

await server.start({
  transportType: 'httpStream',
  httpStream: {
    host: '127.0.0.1',
    port: Number(process.argv[2] ?? 0),
    stateless: true,
    enableJsonResponse: true,
  },
});
process.send?.({ ready: true });
