import {
  createTestDatabase,
  http,
  type Json,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { NO_WEATHER } from './support/open-meteo-fixture.js';

describe('Server B: data_processor over REST', () => {
  let servers: TestServers;
  const call = (args: Record<string, unknown>, name = 'data_processor') =>
    http<Json>('POST', `${servers.b}/tools/call`, { name, arguments: args });

  beforeAll(async () => {
    servers = await startTestServers(await createTestDatabase(), NO_WEATHER, ['b']);
  });

  afterAll(async () => {
    await servers?.stop();
  });

  it('computes statistics on a CSV column with quoted fields', async () => {
    const csv = 'product,price\n"Widget, large",12.5\n"Gadget ""Pro""",7.5\nThing,10\n';
    const { status, body } = await call({ operation: 'stats', data: csv, field: 'price' });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ count: 3, sum: 30, mean: 10, median: 10 });
  });

  it('answers 400 naming the position of a non-numeric value', async () => {
    const { status, body } = await call({ operation: 'stats', data: [1, 2, 'x'] });
    expect(status).toBe(400);
    expect(body.code).toBe('INVALID_ARGUMENTS');
    expect(body.message).toContain('arguments.data[2]');
  });

  it('answers 400 for an unknown operation', async () => {
    const { status, body } = await call({ operation: 'median', data: [1] });
    expect(status).toBe(400);
    expect(body.message).toContain('arguments.operation');
  });

  it('takes a million numbers, over the server-wide body limit, while still answering other requests', async () => {
    const data = Array.from({ length: 1_000_000 }, (_, i) => ((i * 7919) % 1_000_000) / 100);
    const payload = JSON.stringify({
      name: 'data_processor',
      arguments: { operation: 'stats', data },
    });
    expect(payload.length).toBeGreaterThan(1024 * 1024);
    // Liveness probes, one after another, for as long as the big call runs: the server keeps
    // answering them (how long its loop is held is measured by `npm run bench`, not here).
    let running = true;
    let answered = 0;
    const probing = (async () => {
      while (running) {
        expect((await http('GET', `${servers.b}/health/live`)).status).toBe(200);
        answered++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const answer = http<Json>('POST', `${servers.b}/tools/call`, payload);
    const { status, body } = await answer.finally(() => {
      running = false;
    });
    await probing;
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ count: 1_000_000, min: 0, max: 9999.99, median: 4999.995 });
    expect(body.result.sum).toBeCloseTo(4_999_995_000, 3);
    expect(answered).toBeGreaterThan(0);
  }, 180_000);

  it('refuses more than DATA_MAX_ITEMS items with 400', async () => {
    const payload = JSON.stringify({
      name: 'data_processor',
      arguments: { operation: 'stats', data: new Array(1_000_001).fill(1) },
    });
    const { status, body } = await http<Json>('POST', `${servers.b}/tools/call`, payload);
    expect(status).toBe(400);
    expect(body.message).toContain('DATA_MAX_ITEMS');
  }, 180_000);

  it("holds other tools to the server's body limit (413)", async () => {
    const big = 'x'.repeat(1_200_000);
    const { status, body } = await call({ timezone: big }, 'get_time');
    expect(status).toBe(413);
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.message).toContain("tool 'get_time'");
    const other = await http<Json>('POST', `${servers.b}/tools`, {
      name: 'big',
      description: big,
    });
    expect(other.status).toBe(413);
  });
});
