import { AuditService } from '@app/tools';
import { eventually } from './support/eventually.js';
import { connectClient } from './support/mcp-clients.js';
import {
  createTestDatabase,
  http,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';

interface Usage {
  calls: number;
  errors: number;
  errorRate: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  byTransport: Record<string, number>;
  errorCodes: Record<string, number>;
}

describe('audit of tool calls and usage stats', () => {
  let databaseUrl: string;
  let servers: TestServers;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(databaseUrl, {}, ['b']);
  });

  afterAll(async () => {
    await servers?.stop();
  });

  // Every test tags its calls with request ids of its own and reads stats as differences, so
  // each passes alone and in any order, whatever the others called.
  let tags = 0;
  const newTag = () => `audit${++tags}x${Date.now()}`;
  const call = (args: Record<string, unknown>, requestId?: string) =>
    http(
      'POST',
      `${servers.b}/tools/call`,
      { name: 'get_time', arguments: args },
      requestId ? { 'x-request-id': requestId } : {},
    );
  const rowsOf = (tag: string, columns = 'count(*)::int AS n', rest = '') =>
    sql(databaseUrl, `SELECT ${columns} FROM tool_calls WHERE request_id LIKE $1 ${rest}`, [
      `${tag}-%`,
    ]);
  /** The server's audit buffer: flushing it is the event a test waits for, not a sleep. */
  const audit = () => servers.running.servers[0].app.get(AuditService);
  const toolStats = async (tool: string) =>
    (
      await http<Usage & Record<string, unknown>>(
        'GET',
        `${servers.b}/tools/${tool}/stats?window=1h`,
      )
    ).body;
  const overview = async () =>
    (
      await http<{ total: Usage; tools: Array<Usage & { tool: string }> }>(
        'GET',
        `${servers.b}/stats`,
      )
    ).body;
  const callsOf = (o: Awaited<ReturnType<typeof overview>>, tool: string) =>
    o.tools.find((t) => t.tool === tool)?.calls ?? 0;

  it('records every call under load, REST and MCP, with transport, status and error code', async () => {
    const tag = newTag();
    const ok = Array.from({ length: 240 }, (_, i) =>
      call({ timezone: 'Asia/Bangkok' }, `${tag}-${i}`),
    );
    const bad = Array.from({ length: 60 }, (_, i) =>
      call({ timezone: 'Mars/Olympus' }, `${tag}-bad${i}`),
    );
    const results = await Promise.all([...ok, ...bad]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(240);
    expect(results.filter((r) => r.status === 400)).toHaveLength(60);

    const mcp = await connectClient('2025-11-25', new URL(`${servers.b}/mcp`), {
      'x-request-id': `${tag}-mcp`,
    });
    try {
      for (let i = 0; i < 5; i++) await mcp.callTool('get_time', { timezone: 'UTC' });
    } finally {
      await mcp.close();
    }

    await audit().flush();
    expect(await rowsOf(tag)).toEqual([{ n: 305 }]);
    const byKind = await rowsOf(
      tag,
      'transport, status, error_code, count(*)::int AS n',
      'GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
    );
    expect(byKind).toEqual([
      { transport: 'mcp', status: 'ok', error_code: null, n: 5 },
      { transport: 'rest', status: 'error', error_code: 'INVALID_ARGUMENTS', n: 60 },
      { transport: 'rest', status: 'ok', error_code: null, n: 240 },
    ]);
    const row = (await rowsOf(tag, '*', 'LIMIT 1'))[0];
    expect(row).toMatchObject({ server_id: 'server_b', tool_name: 'get_time' });
    expect(typeof row.duration_ms).toBe('number');
  });

  it('GET /tools/:name/stats gives counts, error rate and ordered percentiles', async () => {
    const before = await toolStats('get_time');
    const tag = newTag();
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => call({ timezone: 'Asia/Bangkok' }, `${tag}-${i}`)),
      ...Array.from({ length: 10 }, (_, i) => call({ timezone: 'Mars/Olympus' }, `${tag}-b${i}`)),
    ]);
    const mcp = await connectClient('2025-11-25', new URL(`${servers.b}/mcp`));
    try {
      await mcp.callTool('get_time', { timezone: 'UTC' });
    } finally {
      await mcp.close();
    }
    const after = await toolStats('get_time');
    expect(after).toMatchObject({ server: 'server_b', tool: 'get_time', window: '1h' });
    expect(after.calls - before.calls).toBe(41);
    expect(after.errors - before.errors).toBe(10);
    expect((after.byTransport.rest ?? 0) - (before.byTransport.rest ?? 0)).toBe(40);
    expect((after.byTransport.mcp ?? 0) - (before.byTransport.mcp ?? 0)).toBe(1);
    expect(
      (after.errorCodes.INVALID_ARGUMENTS ?? 0) - (before.errorCodes.INVALID_ARGUMENTS ?? 0),
    ).toBe(10);
    expect(after.errorRate).toBeCloseTo(after.errors / after.calls, 4);
    const { p50, p95, p99 } = after.latencyMs;
    expect(p50).not.toBeNull();
    expect(p50 as number).toBeLessThanOrEqual(p95 as number);
    expect(p95 as number).toBeLessThanOrEqual(p99 as number);
  });

  it('GET /stats gives every tool and the total; a fresh call is counted at once', async () => {
    const before = await overview();
    await call({ timezone: 'Europe/Paris' });
    await http('POST', `${servers.b}/tools/call`, {
      name: 'text_analyzer',
      arguments: { text: 'hello world' },
    });
    const after = await overview();
    expect(after.total.calls - before.total.calls).toBe(2);
    expect(callsOf(after, 'get_time') - callsOf(before, 'get_time')).toBe(1);
    expect(callsOf(after, 'text_analyzer') - callsOf(before, 'text_analyzer')).toBe(1);
    expect(after.total.calls).toBe(after.tools.reduce((sum, t) => sum + t.calls, 0));
  });

  it('shows an empty window as zero calls', async () => {
    const { body } = await http<Usage>('GET', `${servers.b}/tools/get_weather/stats?window=5m`);
    expect(body).toMatchObject({ calls: 0, errors: 0, errorRate: 0, latencyMs: { p50: null } });
  });

  it.each(['abc', '0h', '31d', '-1h'])('rejects window=%s with 400', async (window) => {
    const { status, body } = await http('GET', `${servers.b}/stats?window=${window}`);
    expect(status).toBe(400);
    expect(body.message).toContain('window');
  });

  it('answers 404 for the stats of an unknown tool', async () => {
    expect((await http('GET', `${servers.b}/tools/nope/stats`)).status).toBe(404);
  });

  it('never fails or slows a call when audit writes fail, and writes the backlog later', async () => {
    const tag = newTag();
    await sql(databaseUrl, 'ALTER TABLE tool_calls RENAME TO tool_calls_away');
    try {
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => call({ timezone: 'UTC' }, `${tag}-${i}`)),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      // A write attempted while the table is away fails and keeps the calls.
      await audit().flush();
      expect(audit().pending).toBeGreaterThanOrEqual(50);
    } finally {
      await sql(databaseUrl, 'ALTER TABLE tool_calls_away RENAME TO tool_calls');
    }
    await audit().flush();
    expect(await rowsOf(tag)).toEqual([{ n: 50 }]);
  });

  it('documents the stats routes in Swagger', async () => {
    const { body } = await http<{ paths: Record<string, unknown> }>(
      'GET',
      `${servers.b}/docs-json`,
    );
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/stats', '/tools/{name}/stats']),
    );
  });
});

describe('audit retention', () => {
  it('deletes calls older than AUDIT_RETENTION_DAYS at start', async () => {
    const databaseUrl = await createTestDatabase();
    const first = await startTestServers(databaseUrl, {}, ['a']);
    await first.stop();
    await sql(
      databaseUrl,
      `INSERT INTO tool_calls (server_id, tool_name, transport, status, duration_ms, called_at)
       VALUES ('server_a', 'get_stock_price', 'rest', 'ok', 1, now() - interval '3 days'),
              ('server_a', 'get_stock_price', 'rest', 'ok', 1, now() - interval '1 hour')`,
    );
    const second = await startTestServers(databaseUrl, { AUDIT_RETENTION_DAYS: '2' }, ['a']);
    try {
      expect(
        await eventually(async () => {
          const rows = await sql(databaseUrl, 'SELECT count(*)::int AS n FROM tool_calls');
          return rows[0].n === 1;
        }),
      ).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
