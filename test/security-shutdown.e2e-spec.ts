import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureServer, send, type FixtureServer } from './support/fixture-server.js';
import { createTestDatabase, http } from './support/harness.js';
import { ADMIN, ALICE, bearer } from './support/keys.js';
import { MCP_ACCEPT } from './support/mcp-clients.js';
import { freePort, spawnEntry, stopProcess, waitForHttp, type Spawned } from './support/process.js';
import { yahooChart } from './support/yahoo-fixture.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the upstream has received a request for `symbol`: the call is then surely in flight. */
async function reached(upstream: FixtureServer, symbol: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!upstream.requests.some((r) => r.includes(`/chart/${symbol}?`))) {
    if (Date.now() > deadline) throw new Error(`the call for ${symbol} never reached the upstream`);
    await sleep(50);
  }
}

/** PIDs of postgres processes whose data directory is under `dir`. */
function postgresUnder(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('postgres') && l.includes(dir));
}

describe('Shutdown and secrets: the real process on SIGTERM and SIGINT', () => {
  let upstream: FixtureServer;
  let delayMs = 0;
  const started: Spawned[] = [];

  beforeAll(async () => {
    // A slow market-data service, so a tool call is still running when the signal arrives.
    upstream = await startFixtureServer((_req, res) => {
      setTimeout(() => {
        if (!res.destroyed) send(res, 200, 'application/json', yahooChart('AAPL', 190.5, 188));
      }, delayMs);
    });
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p)));
    await upstream?.close();
  });

  it('SIGTERM: finishes the call in flight, refuses new work, exits 0 within 10 s, logs no secret', async () => {
    const databaseUrl = await createTestDatabase();
    const dbPassword = decodeURIComponent(new URL(databaseUrl).password);
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    const app = spawnEntry('all', {
      DATABASE_URL: databaseUrl,
      PORT_A: String(portA),
      PORT_B: String(portB),
      ADMIN_API_KEY: ADMIN,
      API_KEYS: `alice:${ALICE}`,
      MARKET_DATA_PROVIDER: 'yahoo',
      YAHOO_FINANCE_BASE_URL: upstream.url,
      LOG_LEVEL: 'trace',
    });
    started.push(app);
    const a = `http://127.0.0.1:${portA}`;
    const b = `http://127.0.0.1:${portB}`;
    await waitForHttp(`${a}/health`);
    await waitForHttp(`${b}/health`);

    // Traffic that carries every secret: wrong and right keys, admin writes, MCP, errors.
    expect(
      (await http('POST', `${b}/tools`, { name: 'x', description: 'y' }, bearer(`${ADMIN}z`)))
        .status,
    ).toBe(401);
    expect(
      (await http('POST', `${b}/tools`, { name: 'x', description: 'y' }, bearer(ALICE))).status,
    ).toBe(403);
    expect(
      (await http('POST', `${b}/tools`, { name: 'x', description: 'y' }, bearer(ADMIN))).status,
    ).toBe(201);
    expect((await http('POST', `${b}/tools/call`, { name: 'x' }, bearer(ALICE))).status).toBe(501);
    const mcp = await http(
      'POST',
      `${b}/mcp`,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      {
        ...bearer(ALICE),
        ...MCP_ACCEPT,
        'mcp-protocol-version': '2025-11-25',
      },
    );
    expect([200, 400]).toContain(mcp.status);
    const info = await http('GET', `${a}/info`);
    const docs = await http('GET', `${a}/docs-json`);

    delayMs = 1500;
    const inFlight = http(
      'POST',
      `${a}/tools/call`,
      { name: 'get_stock_price', arguments: { symbol: 'AAPL' } },
      bearer(ALICE),
    );
    await reached(upstream, 'AAPL');
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    await sleep(150);
    const late = await http('GET', `${b}/tools`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);

    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ result: { symbol: 'AAPL', price: 190.5 } });
    expect(await app.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);

    const output = app.output();
    expect(output).toContain('SIGTERM');
    for (const secret of [ADMIN, ALICE, `${ADMIN}z`, dbPassword]) {
      expect(output).not.toContain(secret);
      expect(JSON.stringify([info.body, docs.body, mcp.body])).not.toContain(secret);
    }
  }, 180_000);

  it('SIGINT with a call stuck past SHUTDOWN_GRACE_MS: cuts it, stops the embedded database, exits 0 within 10 s', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcp-shutdown-'));
    try {
      const [portA, portB, dbPort] = await Promise.all([freePort(), freePort(), freePort()]);
      const app = spawnEntry('all', {
        DATA_DIR: dataDir,
        EMBEDDED_DB_PORT: String(dbPort),
        PORT_A: String(portA),
        PORT_B: String(portB),
        MARKET_DATA_PROVIDER: 'yahoo',
        YAHOO_FINANCE_BASE_URL: upstream.url,
        PROVIDER_TIMEOUT_MS: '60000',
        CALL_TIMEOUT_MS: '60000',
        SHUTDOWN_GRACE_MS: '1000',
      });
      started.push(app);
      const a = `http://127.0.0.1:${portA}`;
      await waitForHttp(`${a}/health`);
      await waitForHttp(`http://127.0.0.1:${portB}/health`);
      expect(postgresUnder(dataDir).length).toBeGreaterThan(0);

      delayMs = 60_000;
      const stuck = http('POST', `${a}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'MSFT' },
      }).then(
        (r) => r.status,
        () => 'cut',
      );
      await reached(upstream, 'MSFT');
      const signalledAt = Date.now();
      app.child.kill('SIGINT');
      expect(await app.exited).toBe(0);
      const took = Date.now() - signalledAt;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(10_000);
      expect(await stuck).toBe('cut');
      expect(postgresUnder(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
