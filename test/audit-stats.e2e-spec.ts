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

  const call = (args: Record<string, unknown>) =>
    http('POST', `${servers.b}/tools/call`, { name: 'get_time', arguments: args });

  it('records every call under load, REST and MCP, with transport, status and error code', async () => {
    const ok = Array.from({ length: 240 }, () => call({ timezone: 'Asia/Bangkok' }));
    const bad = Array.from({ length: 60 }, () => call({ timezone: 'Mars/Olympus' }));
    const results = await Promise.all([...ok, ...bad]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(240);
    expect(results.filter((r) => r.status === 400)).toHaveLength(60);

    const mcp = await connectClient('2025-11-25', new URL(`${servers.b}/mcp`));
    try {
      for (let i = 0; i < 5; i++) await mcp.callTool('get_time', { timezone: 'UTC' });
    } finally {
      await mcp.close();
    }

    expect(
      await eventually(async () => {
        const rows = await sql(databaseUrl, 'SELECT count(*)::int AS n FROM tool_calls');
        return rows[0].n === 305;
      }),
    ).toBe(true);
    const byKind = await sql(
      databaseUrl,
      `SELECT transport, status, error_code, count(*)::int AS n FROM tool_calls
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(byKind).toEqual([
      { transport: 'mcp', status: 'ok', error_code: null, n: 5 },
      { transport: 'rest', status: 'error', error_code: 'INVALID_ARGUMENTS', n: 60 },
      { transport: 'rest', status: 'ok', error_code: null, n: 240 },
    ]);
    const row = (await sql(databaseUrl, 'SELECT * FROM tool_calls LIMIT 1'))[0];
    expect(row).toMatchObject({ server_id: 'server_b', tool_name: 'get_time' });
    expect(typeof row.duration_ms).toBe('number');
  });

  it('GET /tools/:name/stats gives counts, error rate and ordered percentiles', async () => {
    const { status, body } = await http<Usage & Record<string, unknown>>(
      'GET',
      `${servers.b}/tools/get_time/stats?window=1h`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      server: 'server_b',
      tool: 'get_time',
      window: '1h',
      calls: 305,
      errors: 60,
      errorRate: 0.1967,
      byTransport: { rest: 300, mcp: 5 },
      errorCodes: { INVALID_ARGUMENTS: 60 },
    });
    const { p50, p95, p99 } = body.latencyMs;
    expect(p50).not.toBeNull();
    expect(p50 as number).toBeLessThanOrEqual(p95 as number);
    expect(p95 as number).toBeLessThanOrEqual(p99 as number);
  });

  it('GET /stats gives every tool and the total; a fresh call is counted at once', async () => {
    await call({ timezone: 'Europe/Paris' });
    await http('POST', `${servers.b}/tools/call`, {
      name: 'text_analyzer',
      arguments: { text: 'hello world' },
    });
    const { status, body } = await http<{ total: Usage; tools: Array<Usage & { tool: string }> }>(
      'GET',
      `${servers.b}/stats`,
    );
    expect(status).toBe(200);
    expect(body.total.calls).toBe(307);
    expect(body.tools.map((t) => [t.tool, t.calls])).toEqual([
      ['get_time', 306],
      ['text_analyzer', 1],
    ]);
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
    await sql(databaseUrl, 'ALTER TABLE tool_calls RENAME TO tool_calls_away');
    try {
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => call({ timezone: 'UTC' })),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await sql(databaseUrl, 'ALTER TABLE tool_calls_away RENAME TO tool_calls');
    }
    expect(
      await eventually(async () => {
        const rows = await sql(databaseUrl, 'SELECT count(*)::int AS n FROM tool_calls');
        return rows[0].n === 357;
      }),
    ).toBe(true);
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
