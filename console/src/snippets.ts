// The client snippets the console shows. The docs show the same text, and the docs test
// (test/docs.e2e-spec.ts) compares them with this file and runs them, so none can drift.

/** What a snippet needs to know about a server: its display name, its id and its MCP URL. */
export interface SnippetServer {
  server: string;
  id: string;
  mcpEndpoint: string;
}

/** Where a user's checkout is; the snippet says to replace it. */
export const CHECKOUT_PLACEHOLDER = '/path/to/mcp-multi-server';

/** The npm script target of a server, from its display name ("Server A" → "server-a"). */
export function launchTarget(server: SnippetServer): string {
  return server.server.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** A client configuration for the server's Streamable HTTP endpoint. */
export function httpConfigSnippet(server: SnippetServer): string {
  return JSON.stringify(
    { mcpServers: { [server.id]: { type: 'http', url: server.mcpEndpoint } } },
    null,
    2,
  );
}

/**
 * A client configuration that starts the server over stdio. It works from any working
 * directory: the server reads the checkout's `.env` and keeps its data under the checkout.
 */
export function stdioConfigSnippet(server: SnippetServer): string {
  return JSON.stringify(
    {
      mcpServers: {
        [server.id]: {
          command: 'node',
          args: [`${CHECKOUT_PLACEHOLDER}/scripts/run.mjs`, launchTarget(server), '--stdio'],
        },
      },
    },
    null,
    2,
  );
}

/** A program using the official TypeScript SDK (v2 client) that lists the server's tools. */
export function sdkSnippet(server: SnippetServer): string {
  return [
    "import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';",
    '',
    "const client = new Client({ name: 'my-app', version: '1.0.0' });",
    `await client.connect(new StreamableHTTPClientTransport(new URL('${server.mcpEndpoint}')));`,
    'const { tools } = await client.listTools();',
    'console.log(JSON.stringify(tools.map((tool) => tool.name)));',
    'await client.close();',
  ].join('\n');
}
