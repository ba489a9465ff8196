import { resolve } from 'node:path';
import {
  connectClient,
  listAllTools,
  REVISIONS,
  type Revision,
  type StdioTarget,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { createTestDatabase, startTestServers, type TestServers } from './support/harness.js';

const MIME = 'text/html;profile=mcp-app';
const ROOT = resolve(import.meta.dirname, '..');

/** Each tool with a view, the server that has it and the view's URI. */
const VIEWS = [
  { server: 'a', tool: 'calculate_portfolio', uri: 'ui://finance/portfolio' },
  { server: 'a', tool: 'get_stock_price', uri: 'ui://finance/stock-price' },
  { server: 'b', tool: 'get_weather', uri: 'ui://weather/forecast' },
] as const;

/**
 * Everything in an HTML document that would make a browser fetch from elsewhere: elements with
 * a src, href, srcset, action, poster or data URL that is not a data: URI or a fragment; CSS
 * url()s and @imports; and network calls in its scripts.
 */
function externalLoads(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(
    /<[a-z][^>]*?\s(src|href|srcset|action|poster|data)\s*=\s*["']?([^"'\s>]*)/gi,
  )) {
    if (!/^(data:|#)/i.test(m[2])) found.push(m[0]);
  }
  // CSS lives in <style> blocks: url() and @import there would load from elsewhere.
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]);
  for (const m of styles.join('\n').matchAll(/url\(\s*["']?([^"')]*)|@import[^;]*/gi)) {
    if (!/^(data:|#)/i.test(m[1] ?? '')) found.push(m[0]);
  }
  for (const m of html.matchAll(
    /\bfetch\(|XMLHttpRequest|new WebSocket|new EventSource|sendBeacon|<base\b|<iframe\b/g,
  )) {
    found.push(m[0]);
  }
  return found;
}

describe('MCP Apps views (ui:// resources) over Streamable HTTP and stdio, both revisions', () => {
  let servers: TestServers;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(databaseUrl, {
      MARKET_DATA_PROVIDER: 'simulated',
      NEWS_PROVIDER: 'simulated',
      WEATHER_PROVIDER: 'simulated',
    });
  });
  afterAll(async () => {
    await servers?.stop();
  });

  describe.each(REVISIONS)('a %s client over HTTP', (revision: Revision) => {
    const clients: Partial<Record<'a' | 'b', TestMcpClient>> = {};
    const client = (server: 'a' | 'b') => clients[server]!;

    beforeAll(async () => {
      clients.a = await connectClient(revision, new URL(`${servers.a}/mcp`));
      clients.b = await connectClient(revision, new URL(`${servers.b}/mcp`));
    });
    afterAll(async () => {
      await clients.a?.close();
      await clients.b?.close();
    });

    it('is told of the resources capability', () => {
      for (const server of ['a', 'b'] as const) {
        expect(client(server).serverCapabilities()).toMatchObject({ resources: {} });
      }
    });

    it.each(VIEWS)('links $tool to $uri by _meta.ui.resourceUri', async ({ server, tool, uri }) => {
      const tools = await listAllTools(client(server));
      expect(tools.find((t) => t.name === tool)?._meta).toMatchObject({ ui: { resourceUri: uri } });
    });

    it('gives no view to a tool that has none', async () => {
      const tools = await listAllTools(client('b'));
      expect(tools.find((t) => t.name === 'get_time')?._meta).toBeUndefined();
    });

    it.each(VIEWS)(
      'lists and reads $uri as one self-contained document that loads nothing from elsewhere',
      async ({ server, uri }) => {
        const { resources } = await client(server).listResources();
        expect(resources.find((r) => r.uri === uri)).toMatchObject({ mimeType: MIME });
        const { contents } = await client(server).readResource(uri);
        expect(contents).toHaveLength(1);
        const [view] = contents;
        expect(view).toMatchObject({ uri, mimeType: MIME });
        expect(view._meta).toEqual({
          ui: {
            csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] },
            prefersBorder: true,
          },
        });
        const html = view.text ?? '';
        expect(html).toMatch(/^<!doctype html>/i);
        // Scripts and styles are inside the document, not linked.
        expect(html).toMatch(/<script type="module">/);
        expect(html).toMatch(/<style[^>]*>/);
        expect(externalLoads(html)).toEqual([]);
      },
    );

    it('still answers the tools with text and structuredContent for hosts without views', async () => {
      const result = await client('b').callTool('get_weather', { location: 'Bangkok', days: 2 });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ location: { name: 'Bangkok' } });
      expect(JSON.parse(result.content[0].text ?? '')).toEqual(result.structuredContent);
    });
  });

  it('advertises the io.modelcontextprotocol/ui extension to a 2026-07-28 client', async () => {
    const client = await connectClient('2026-07-28', new URL(`${servers.a}/mcp`));
    try {
      expect(client.serverCapabilities()).toMatchObject({
        extensions: { 'io.modelcontextprotocol/ui': {} },
      });
    } finally {
      await client.close();
    }
  });

  it('tells a typo in a view URI from a view (resource not found)', async () => {
    const client = await connectClient('2026-07-28', new URL(`${servers.a}/mcp`));
    try {
      await expect(client.readResource('ui://finance/nothing')).rejects.toThrow();
    } finally {
      await client.close();
    }
  });

  it.each(REVISIONS)('serves the views to a %s client over stdio', async (revision) => {
    const target: StdioTarget = {
      command: process.execPath,
      args: [resolve(ROOT, 'scripts/run.mjs'), 'server-b', '--stdio'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        DATABASE_URL: databaseUrl,
        WEATHER_PROVIDER: 'simulated',
      },
    };
    const client = await connectClient(revision, target);
    try {
      const tools = await listAllTools(client);
      expect(tools.find((t) => t.name === 'get_weather')?._meta).toMatchObject({
        ui: { resourceUri: 'ui://weather/forecast' },
      });
      const { contents } = await client.readResource('ui://weather/forecast');
      expect(contents[0]).toMatchObject({
        mimeType: MIME,
        text: expect.stringMatching(/^<!doctype html>/i),
      });
    } finally {
      await client.close();
    }
  });
});
