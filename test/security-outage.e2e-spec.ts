import { http, sql, startTestServers, type TestServers } from './support/harness.js';
import { startStandalonePostgres, type StandalonePostgres } from './support/standalone-postgres.js';

/** Polls `check` until it returns true or `timeoutMs` passes; returns the time it took. */
async function within(timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

describe('Reliability: PostgreSQL stopped and started under running servers', () => {
  let postgres: StandalonePostgres;
  let servers: TestServers;

  beforeAll(async () => {
    postgres = await startStandalonePostgres();
    servers = await startTestServers(postgres.url);
    // What every outage below must keep: a tool registered while the database was up.
    const made = await http('POST', `${servers.b}/tools`, {
      name: 'before_outage',
      description: 'registered before the outage',
    });
    expect(made.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await servers?.stop();
    await postgres?.destroy();
  });

  // Each describe below brings its own outage and leaves the database up and the servers
  // healthy, so each test passes alone and in any order.
  const health = () =>
    Promise.all([servers.a, servers.b].map((base) => http('GET', `${base}/health`)));
  const healthy = async () => (await health()).every((res) => res.status === 200);

  it('is healthy with the database up', async () => {
    const res = await http('GET', `${servers.a}/health`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ database: 'connected' });
  });

  describe('while PostgreSQL is down', () => {
    beforeAll(() => postgres.stop(), 60_000);
    afterAll(async () => {
      await postgres.start();
      await within(20_000, healthy);
    }, 60_000);

    it('reports /health 503 with "database":"disconnected" on both servers', async () => {
      for (const base of [servers.a, servers.b]) {
        const res = await http('GET', `${base}/health`);
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ status: 'unhealthy', database: 'disconnected' });
      }
    });

    it('keeps answering tool calls and listings from memory', async () => {
      const time = await http('POST', `${servers.b}/tools/call`, {
        name: 'get_time',
        arguments: { timezone: 'Asia/Bangkok' },
      });
      expect(time.status).toBe(200);
      const stock = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'AAPL' },
      });
      expect(stock.status).toBe(200);
      const list = await http<{ tools: Array<{ name: string }> }>('GET', `${servers.b}/tools`);
      expect(list.status).toBe(200);
      expect(list.body.tools.map((t) => t.name)).toContain('before_outage');
    });

    it('answers changing routes 503 DATABASE_UNAVAILABLE, never 500', async () => {
      const attempts: Array<[string, string, unknown]> = [
        ['POST', '/tools', { name: 'during_outage', description: 'x' }],
        ['PATCH', '/tools/before_outage', { description: 'changed' }],
        ['DELETE', '/tools/before_outage', undefined],
      ];
      for (const [method, path, body] of attempts) {
        const res = await http(method, `${servers.b}${path}`, body);
        expect([method, res.status]).toEqual([method, 503]);
        expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      }
    });
  });

  describe('when PostgreSQL comes back', () => {
    beforeAll(async () => {
      await postgres.stop();
      await within(20_000, async () => (await health()).every((res) => res.status === 503));
      await postgres.start();
      // Written by "another process" while this one may still be reconnecting.
      await sql(
        postgres.url,
        `WITH t AS (
           INSERT INTO tools (server_id, name, description, parameters, input_schema)
           VALUES ('server_b', 'made_elsewhere', 'registered by another process', '[]',
                   '{"type":"object","properties":{}}')
           RETURNING server_id, name)
         SELECT pg_notify('tools_changed', json_build_object('serverId', server_id, 'name', name, 'action', 'upsert')::text) FROM t`,
      );
    }, 60_000);

    it('reconnects by itself within 20 s, with no restart', async () => {
      const took = await within(20_000, healthy);
      expect(took).toBeLessThan(20_000);
    });

    it('accepts changes again and shows the tool registered elsewhere meanwhile', async () => {
      await within(20_000, async () => {
        const list = await http<{ tools: Array<{ name: string }> }>('GET', `${servers.b}/tools`);
        return list.body.tools.some((t) => t.name === 'made_elsewhere');
      });
      const made = await http('POST', `${servers.b}/tools`, {
        name: 'after_outage',
        description: 'registered after the outage',
      });
      expect(made.status).toBe(201);
      const rows = await sql(
        postgres.url,
        `SELECT name FROM tools WHERE name LIKE '%outage%' ORDER BY name`,
      );
      expect(rows.map((r) => r.name)).toEqual(['after_outage', 'before_outage']);
    });
  });
});
