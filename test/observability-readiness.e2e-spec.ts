import { eventually } from './support/eventually.js';
import { http, startTestServers, type TestServers } from './support/harness.js';
import { startStandalonePostgres, type StandalonePostgres } from './support/standalone-postgres.js';

describe('readiness during a database outage (a PostgreSQL of its own, stopped and restarted)', () => {
  let database: StandalonePostgres;
  let servers: TestServers;

  beforeAll(async () => {
    database = await startStandalonePostgres();
    servers = await startTestServers(database.url, {}, ['a']);
  });

  afterAll(async () => {
    await servers?.stop();
    await database?.destroy();
  });

  it('stays live, turns not ready (503) while the database is down, and ready again after', async () => {
    expect((await http('GET', `${servers.a}/health/ready`)).status).toBe(200);

    await database.stop();
    const ready = await http('GET', `${servers.a}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', database: 'disconnected' });
    const live = await http('GET', `${servers.a}/health/live`);
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('alive');
    const health = await http('GET', `${servers.a}/health`);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', database: 'disconnected' });
    // Calls are served from the in-memory registry, so they keep working through the outage.
    const call = await http('POST', `${servers.a}/tools/call`, {
      name: 'get_stock_price',
      arguments: { symbol: 'AAPL' },
    });
    expect(call.status).toBe(200);

    await database.start();
    const back = await eventually(
      async () => (await http('GET', `${servers.a}/health/ready`)).status === 200,
      15_000,
    );
    expect(back).toBe(true);
  });
});
