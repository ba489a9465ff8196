import { resolve } from 'node:path';
import {
  connectClient,
  registerAndHear,
  REVISIONS,
  type Revision,
  type StdioTarget,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';
import { spawnEntry, stopProcess } from './support/process.js';

const ROOT = resolve(import.meta.dirname, '..');

/** `node scripts/run.mjs server-a --stdio`, as a desktop client would start it. */
function stdioTarget(server: 'server-a' | 'server-b', databaseUrl: string): StdioTarget {
  return {
    command: process.execPath,
    args: [resolve(ROOT, 'scripts/run.mjs'), server, '--stdio'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      DATABASE_URL: databaseUrl,
      // No internet here: the offline providers answer instead of the public services.
      MARKET_DATA_PROVIDER: 'simulated',
      NEWS_PROVIDER: 'simulated',
      WEATHER_PROVIDER: 'simulated',
      // info-level start-up logs must all go to stderr, or the client would choke on stdout.
      LOG_LEVEL: 'info',
    },
  };
}

describe('MCP over stdio (`--stdio`, official SDK clients, real processes, real PostgreSQL)', () => {
  let databaseUrl: string;
  let rest: TestServers;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    // An HTTP process of both servers on the same database, to register tools over REST.
    rest = await startTestServers(databaseUrl);
  });

  afterAll(async () => {
    await rest?.stop();
  });

  it('writes nothing but JSON-RPC messages on stdout', async () => {
    const target = stdioTarget('server-b', databaseUrl);
    const proc = spawnEntry('server-b', target.env, ['--stdio']);
    try {
      let stdout = '';
      proc.child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      proc.child.stdin?.write(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'raw', version: '1' },
          },
        }) + '\n',
      );
      const deadline = Date.now() + 60_000;
      while (!stdout.includes('\n') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const lines = stdout.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
      expect(JSON.parse(lines[0]).result.serverInfo.name).toBe('server_b');
      expect(proc.output()).toContain('serving MCP on stdin/stdout');
      proc.child.stdin?.end();
      expect(await proc.exited).toBe(0);
    } finally {
      await stopProcess(proc);
    }
  });

  describe.each(REVISIONS)('a %s client', (revision: Revision) => {
    let a: TestMcpClient;

    beforeAll(async () => {
      a = await connectClient(revision, stdioTarget('server-a', databaseUrl));
    });

    afterAll(async () => {
      await a?.close();
    });

    it('negotiates its own protocol revision', () => {
      expect(a.negotiatedVersion()).toBe(revision);
    });

    it('lists the same tools as REST, with their schemas', async () => {
      const { tools } = await a.listTools();
      const viaRest = await http<{ tools: Array<{ name: string; inputSchema: unknown }> }>(
        'GET',
        `${rest.a}/tools`,
      );
      expect(tools.map((t) => t.name).sort()).toEqual(viaRest.body.tools.map((t) => t.name).sort());
      for (const t of viaRest.body.tools) {
        expect(tools.find((x) => x.name === t.name)?.inputSchema).toEqual(t.inputSchema);
      }
    });

    it('calls a tool with structured content and the same JSON as text', async () => {
      const result = await a.callTool('get_stock_price', { symbol: 'MSFT' });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ symbol: 'MSFT' });
      expect(JSON.parse(result.content[0].text ?? '')).toEqual(result.structuredContent);
    });

    it('reports schema failures as isError naming the field, and unknown tools as -32602', async () => {
      const invalid = await a.callTool('get_stock_price', { symbol: 42 });
      expect(invalid.isError).toBe(true);
      expect(invalid.content[0].text).toContain('arguments.symbol');
      await expect(a.callTool('get_weather', {})).rejects.toMatchObject({ code: -32602 });
    });

    it('hears list_changed for a tool registered over REST by another process', async () => {
      await a.listen();
      const name = `stdio_${revision.replace(/-/g, '_')}`;
      await registerAndHear(a, rest.a, {
        name,
        description: 'registered over REST while a stdio client listens',
        parameters: [],
      });
      expect((await a.listTools()).tools.map((t) => t.name)).toContain(name);
    });
  });
});
