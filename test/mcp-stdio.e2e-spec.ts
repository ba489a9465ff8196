import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHECKOUT_PLACEHOLDER, stdioConfigSnippet } from '../console/src/snippets.js';
import { type CheckoutCopy, copyCheckout } from './support/checkout-copy.js';
import {
  connectClient,
  registerAndHear,
  REVISIONS,
  type Revision,
  type StdioTarget,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';
import {
  freePort,
  type Spawned,
  spawnCommand,
  spawnEntry,
  stopProcess,
  waitForHttp,
} from './support/process.js';

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

describe('the documented stdio configuration, started from any working directory', () => {
  let checkout: CheckoutCopy;
  let elsewhere: string;
  let httpServer: Spawned | undefined;
  let restUrl: string;

  /** The console's stdio snippet for a server, pointed at the copy of the checkout. */
  function documentedTarget(server: 'Server A' | 'Server B', id: string): StdioTarget {
    const config = JSON.parse(
      stdioConfigSnippet({ server, id, mcpEndpoint: '' }).replaceAll(
        CHECKOUT_PLACEHOLDER,
        checkout.dir,
      ),
    ) as { mcpServers: Record<string, { command: string; args: string[] }> };
    const { command, args } = config.mcpServers[id];
    // A desktop client's own environment: nothing of the project's settings, another directory.
    return {
      command,
      args,
      cwd: elsewhere,
      env: { PATH: process.env.PATH ?? '', HOME: elsewhere },
    };
  }

  beforeAll(async () => {
    checkout = copyCheckout();
    elsewhere = mkdtempSync(join(tmpdir(), 'desktop-client-'));
    const port = await freePort();
    // The checkout's .env, as a user keeps it: no DATABASE_URL, so the embedded database
    // under the checkout's .data; its own server id, so reading it shows.
    checkout.writeDotEnv({
      EMBEDDED_DB_PORT: String(await freePort()),
      PORT_A: String(port),
      SERVER_A_NAME: 'finance_from_dotenv',
      MARKET_DATA_PROVIDER: 'simulated',
      NEWS_PROVIDER: 'simulated',
      LOG_LEVEL: 'info',
    });
    // `npm start`'s way into the checkout: the HTTP server, run from the checkout itself.
    httpServer = spawnCommand(
      process.execPath,
      ['scripts/run.mjs', 'server-a'],
      {},
      {
        cwd: checkout.dir,
      },
    );
    restUrl = `http://127.0.0.1:${port}`;
    // A first start initialises a PostgreSQL cluster: generous on a loaded machine.
    await waitForHttp(`${restUrl}/health`, 150_000);
  }, 180_000);

  afterAll(async () => {
    if (httpServer) expect(await stopProcess(httpServer)).toBe(0);
    checkout?.remove();
    if (elsewhere) rmSync(elsewhere, { recursive: true, force: true });
  });

  it('is the same for every server but its id and entry point', () => {
    const a = stdioConfigSnippet({ server: 'Server A', id: 'server_a', mcpEndpoint: '' });
    const b = stdioConfigSnippet({ server: 'Server B', id: 'server_b', mcpEndpoint: '' });
    expect(b).toBe(a.replace('server_a', 'server_b').replace('"server-a"', '"server-b"'));
  });

  it("reads the checkout's .env and joins its database, whatever the client's directory", async () => {
    const client = await connectClient('2026-07-28', documentedTarget('Server A', 'server_a'));
    try {
      await client.listen();
      // Registered over the HTTP server: the stdio process lists it only if it uses the same
      // database and the same server id (SERVER_A_NAME from the checkout's .env).
      await registerAndHear(client, restUrl, {
        name: 'seen_from_anywhere',
        description: 'registered over HTTP, listed over stdio',
        parameters: [],
      });
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['get_stock_price', 'seen_from_anywhere']));
      // The simulated provider comes from .env too (the default would need the internet).
      const quote = await client.callTool('get_stock_price', { symbol: 'MSFT' });
      expect(quote.structuredContent).toMatchObject({ symbol: 'MSFT', source: 'simulated' });
    } finally {
      await client.close();
    }
    expect(existsSync(join(checkout.dir, '.data/pg/PG_VERSION'))).toBe(true);
    expect(existsSync(join(elsewhere, '.data'))).toBe(false);
    expect(existsSync(join(elsewhere, '.env'))).toBe(false);
  }, 180_000);
});
