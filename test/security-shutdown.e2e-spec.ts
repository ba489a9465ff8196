import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startEmbeddedDatabase } from '@app/core';
import { startFixtureServer, send, type FixtureServer } from './support/fixture-server.js';
import { createTestDatabase, http, sql } from './support/harness.js';
import { ADMIN, ALICE, bearer } from './support/keys.js';
import { MCP_ACCEPT, rawToolsCall } from './support/mcp-clients.js';
import {
  freePort,
  portClosed,
  postgresUnder,
  spawnEntry,
  stopProcess,
  waitForHttp,
  type Spawned,
} from './support/process.js';
import { yahooChart } from './support/yahoo-fixture.js';

/** How long the slow market-data upstream takes to answer, and the grace the server is given. */
const SLOW_MS = 10_000;
const GRACE_MS = 12_000;

/**
 * A market-data upstream whose answers take `delayMs`; {@link SlowUpstream.reached} resolves
 * when a request for a symbol has arrived, so a test knows its call is in flight.
 */
interface SlowUpstream {
  server: FixtureServer;
  delayMs: number;
  reached(symbol: string): Promise<void>;
}

async function startSlowUpstream(): Promise<SlowUpstream> {
  const waiting = new Map<string, () => void>();
  const seen = new Set<string>();
  const upstream: SlowUpstream = {
    delayMs: 0,
    server: await startFixtureServer((_req: IncomingMessage, res: ServerResponse, url: URL) => {
      const symbol = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      seen.add(symbol);
      waiting.get(symbol)?.();
      setTimeout(() => {
        if (!res.destroyed) send(res, 200, 'application/json', yahooChart(symbol, 190.5, 188));
      }, upstream.delayMs);
    }),
    reached: (symbol) =>
      seen.has(symbol)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.set(symbol, resolve)),
  };
  return upstream;
}

/** Reads a streamed response to its end; resolves with everything received and how it ended. */
async function readToEnd(res: Response): Promise<{ text: string; ended: 'cleanly' | string }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, ended: 'cleanly' };
      text += decoder.decode(value, { stream: true });
    }
  } catch (err) {
    return { text, ended: (err as Error).message };
  }
}

/**
 * Opens a stream and resolves once it has delivered `marker` (it is open and served), with
 * `end`: what the stream carried to its end and how it ended.
 */
async function openStream(
  url: string,
  init: RequestInit,
  marker: string,
): Promise<{ end: Promise<{ text: string; ended: string }> }> {
  const res = await fetch(url, init);
  expect(res.status).toBe(200);
  const [probe, rest] = res.body!.tee();
  const reader = probe.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended before "${marker}": ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  void reader.cancel();
  // Wrapped: an async function returning a promise would wait for the stream's end.
  return { end: readToEnd(new Response(rest)) };
}

/** The 2026-07-28 `subscriptions/listen` request for tool-list changes, as the v2 client sends it. */
function listenRequest(id: number): { body: string; headers: Record<string, string> } {
  const call = rawToolsCall(id, 'unused', {});
  return {
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'subscriptions/listen',
      params: { notifications: { toolsListChanged: true }, _meta: call.body.params._meta },
    }),
    headers: {
      ...MCP_ACCEPT,
      'content-type': 'application/json',
      'mcp-protocol-version': call.headers['mcp-protocol-version'],
      'mcp-method': 'subscriptions/listen',
    },
  };
}

describe('Shutdown: the real process on SIGTERM and SIGINT', () => {
  let upstream: SlowUpstream;
  const started: Spawned[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    upstream = await startSlowUpstream();
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p, 30_000)));
    await upstream?.server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(`SIGTERM, SHUTDOWN_GRACE_MS=${GRACE_MS}: ${SLOW_MS / 1000} s calls (REST and MCP) finish, new requests get 503, streams close cleanly, the audit is written, the database stops, exit 0`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcp-shutdown-'));
    dirs.push(dataDir);
    const [portA, portB, dbPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const app = spawnEntry('all', {
      DATA_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      PORT_A: String(portA),
      PORT_B: String(portB),
      ADMIN_API_KEY: ADMIN,
      API_KEYS: `alice:${ALICE}`,
      MARKET_DATA_PROVIDER: 'yahoo',
      YAHOO_FINANCE_BASE_URL: upstream.server.url,
      PROVIDER_TIMEOUT_MS: '60000',
      CALL_TIMEOUT_MS: '60000',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LOG_LEVEL: 'trace',
    });
    started.push(app);
    const a = `http://127.0.0.1:${portA}`;
    const b = `http://127.0.0.1:${portB}`;
    await waitForHttp(`${a}/health`, 120_000);
    await waitForHttp(`${b}/health`, 120_000);
    expect(postgresUnder(dataDir).length).toBeGreaterThan(0);

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
    const info = await http('GET', `${a}/info`);
    const docs = await http('GET', `${a}/docs-json`);

    // Listening streams of both MCP revisions: the 2025 GET stream and a 2026 subscription.
    const legacyStream = await openStream(
      `${a}/mcp`,
      {
        headers: {
          ...bearer(ALICE),
          accept: 'text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
      },
      '', // its headers are its only sign of life until the first keep-alive
    );
    const listen = listenRequest(90);
    const subscription = await openStream(
      `${a}/mcp`,
      { method: 'POST', headers: { ...bearer(ALICE), ...listen.headers }, body: listen.body },
      'notifications/subscriptions/acknowledged',
    );

    // Two slow calls in flight: REST and MCP (2026-07-28), each waiting on the upstream.
    upstream.delayMs = SLOW_MS;
    const restCall = http(
      'POST',
      `${a}/tools/call`,
      { name: 'get_stock_price', arguments: { symbol: 'AAPL' } },
      { ...bearer(ALICE), 'x-request-id': 'slow-rest-call' },
    );
    const mcp = rawToolsCall(7, 'get_stock_price', { symbol: 'MSFT' });
    const mcpCall = http('POST', `${a}/mcp`, mcp.body, {
      ...bearer(ALICE),
      ...mcp.headers,
      'x-request-id': 'slow-mcp-call',
    });
    await Promise.all([upstream.reached('AAPL'), upstream.reached('MSFT')]);
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');

    // Draining: the listener still accepts, and answers new requests with 503.
    await app.printed('waiting for 2 request(s) in flight');
    const late = await http('GET', `${a}/tools`, undefined, bearer(ALICE));
    expect(late.status).toBe(503);
    expect(late.body).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(late.headers.get('connection')).toBe('close');

    const rest = await restCall;
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ result: { symbol: 'AAPL', price: 190.5 } });
    const viaMcp = await mcpCall;
    expect(viaMcp.status).toBe(200);
    expect(JSON.stringify(viaMcp.body)).toContain('190.5');
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(SLOW_MS - 2000);

    // The streams end cleanly after the calls: the subscription with its `complete` result.
    const legacy = await legacyStream.end;
    expect(legacy.ended).toBe('cleanly');
    const subscribed = await subscription.end;
    expect(subscribed.ended).toBe('cleanly');
    expect(subscribed.text).toContain('"resultType":"complete"');

    expect(await app.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS + 5000);
    expect(postgresUnder(dataDir)).toEqual([]);
    expect(await portClosed(portA)).toBe(true);
    expect(await portClosed(portB)).toBe(true);

    // The audit of both slow calls reached the database before it stopped.
    const db = await startEmbeddedDatabase({ dataDir, port: await freePort() });
    try {
      const rows = await sql<{ request_id: string; status: string; transport: string }>(
        db.url,
        `SELECT request_id, status, transport FROM tool_calls
          WHERE request_id IN ('slow-rest-call', 'slow-mcp-call') ORDER BY request_id`,
      );
      expect(rows).toEqual([
        { request_id: 'slow-mcp-call', status: 'ok', transport: 'mcp' },
        { request_id: 'slow-rest-call', status: 'ok', transport: 'rest' },
      ]);
    } finally {
      await db.stop();
    }

    const output = app.output();
    expect(output).toContain('SIGTERM');
    for (const secret of [ADMIN, ALICE, `${ADMIN}z`]) {
      expect(output).not.toContain(secret);
      expect(JSON.stringify([info.body, docs.body])).not.toContain(secret);
    }
  }, 300_000);

  it('logs no database password (DATABASE_URL), and a stdio call in flight finishes while new stdio requests get SHUTTING_DOWN', async () => {
    const databaseUrl = await createTestDatabase();
    const dbPassword = decodeURIComponent(new URL(databaseUrl).password);
    const app = spawnEntry(
      'server-a',
      {
        DATABASE_URL: databaseUrl,
        MARKET_DATA_PROVIDER: 'yahoo',
        YAHOO_FINANCE_BASE_URL: upstream.server.url,
        PROVIDER_TIMEOUT_MS: '60000',
        CALL_TIMEOUT_MS: '60000',
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        LOG_LEVEL: 'trace',
      },
      ['--stdio'],
    );
    started.push(app);
    const answers = new Map<number, (message: Record<string, unknown>) => void>();
    let buffered = '';
    app.child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffered.slice(0, end)) as Record<string, unknown>;
        buffered = buffered.slice(end + 1);
        answers.get(message.id as number)?.(message);
      }
    });
    const request = (id: number, method: string, params: Record<string, unknown>) => {
      const answer = new Promise<Record<string, unknown>>((resolve) => answers.set(id, resolve));
      app.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return answer;
    };
    const init = await request(1, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'e2e', version: '1.0.0' },
    });
    expect(init).toHaveProperty('result');
    app.child.stdin!.write(
      `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
    );

    upstream.delayMs = SLOW_MS;
    const slow = request(2, 'tools/call', {
      name: 'get_stock_price',
      arguments: { symbol: 'NVDA' },
    });
    await upstream.reached('NVDA');
    app.child.kill('SIGTERM');
    await app.printed('waiting for 1 stdio request(s) in flight');
    const late = await request(3, 'tools/list', {});
    expect(late).toMatchObject({ error: { code: -32000, data: { code: 'SHUTTING_DOWN' } } });
    const answered = await slow;
    expect(JSON.stringify(answered)).toContain('190.5');
    expect(await app.exited).toBe(0);
    expect(app.output()).not.toContain(dbPassword);
    const rows = await sql(
      databaseUrl,
      "SELECT status, transport FROM tool_calls WHERE tool_name = 'get_stock_price'",
    );
    expect(rows).toEqual([{ status: 'ok', transport: 'mcp' }]);
  }, 300_000);

  it('SIGINT with a call stuck past SHUTDOWN_GRACE_MS: cuts it, stops the embedded database, exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcp-shutdown-'));
    dirs.push(dataDir);
    const [portA, portB, dbPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const app = spawnEntry('all', {
      DATA_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      PORT_A: String(portA),
      PORT_B: String(portB),
      MARKET_DATA_PROVIDER: 'yahoo',
      YAHOO_FINANCE_BASE_URL: upstream.server.url,
      PROVIDER_TIMEOUT_MS: '60000',
      CALL_TIMEOUT_MS: '60000',
      SHUTDOWN_GRACE_MS: '1000',
      LOG_LEVEL: 'info',
    });
    started.push(app);
    const a = `http://127.0.0.1:${portA}`;
    await waitForHttp(`${a}/health`, 120_000);
    await waitForHttp(`http://127.0.0.1:${portB}/health`, 120_000);
    expect(postgresUnder(dataDir).length).toBeGreaterThan(0);

    upstream.delayMs = 60_000;
    const stuck = http('POST', `${a}/tools/call`, {
      name: 'get_stock_price',
      arguments: { symbol: 'TSLA' },
    }).then(
      (r) => r.status,
      () => 'cut',
    );
    await upstream.reached('TSLA');
    const signalledAt = Date.now();
    app.child.kill('SIGINT');
    expect(await app.exited).toBe(0);
    const took = Date.now() - signalledAt;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(1000 + 5000);
    expect(await stuck).toBe('cut');
    expect(app.output()).toContain('1 request(s) still running after SHUTDOWN_GRACE_MS=1000');
    expect(postgresUnder(dataDir)).toEqual([]);
  }, 300_000);
});
