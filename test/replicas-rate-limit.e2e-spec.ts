import { startRoundRobin, type Balancer } from './support/balancer.js';
import { http, sql } from './support/harness.js';
import { ALICE, BOB, bearer, KEYS_ENV } from './support/keys.js';
import { startServerAReplicas, stopProcess, waitForHttp, type Spawned } from './support/process.js';
import { startStandalonePostgres, type StandalonePostgres } from './support/standalone-postgres.js';

const LIMIT = 6;
// Each test has callers of its own: a budget spent by one test is not another's.
const CAROL = 'car-3e6a9d2f7b1c4058b4e1d7a2';
const DAVE = 'dav-8b1f4c7e2a9d4e36c0f5a1b8';
const ERIN = 'eri-2d7c9a4f1e6b4b05d8a3c6e9';
const call = { name: 'get_stock_price', arguments: { symbol: 'AAPL' } };

describe('shared rate limits: two processes of Server A behind a round-robin balancer', () => {
  let postgres: StandalonePostgres;
  let processes: Spawned[] = [];
  let ports: number[] = [];
  let balancer: Balancer;

  beforeAll(async () => {
    postgres = await startStandalonePostgres();
    ({ processes, ports } = await startServerAReplicas(postgres.url, 2, {
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      ...KEYS_ENV,
      API_KEYS: `${KEYS_ENV.API_KEYS},carol:${CAROL},dave:${DAVE},erin:${ERIN}`,
    }));
    balancer = await startRoundRobin(ports);
  }, 240_000);

  afterAll(async () => {
    await balancer?.close();
    await Promise.all(processes.map((p) => stopProcess(p)));
    await postgres?.destroy();
  });

  const direct = (i: number) => `http://127.0.0.1:${ports[i]}`;
  /** A process's count of answered REST calls of get_stock_price, which other tests also call. */
  const okCalls = async (i: number) => {
    const series =
      'tool_calls_total{tool="get_stock_price",transport="rest",outcome="ok",server="server_a"}';
    const text = await (await fetch(`${direct(i)}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };

  it(`gives a caller exactly ${LIMIT} calls in a minute across both processes, then 429 with Retry-After`, async () => {
    const before = [await okCalls(0), await okCalls(1)];
    const remaining: string[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await http('POST', `${balancer.url}/tools/call`, call, bearer(ALICE));
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('ratelimit-remaining') ?? '');
    }
    // One budget: the count goes down across both processes, not per process.
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    for (const base of [balancer.url, direct(0), direct(1)]) {
      const limited = await http('POST', `${base}/tools/call`, call, bearer(ALICE));
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Both processes served their turn of the calls.
    for (const i of [0, 1]) expect(await okCalls(i)).toBe(before[i] + LIMIT / 2);
  });

  it('holds the limit exactly under concurrent calls through the balancer', async () => {
    const answers = await Promise.all(
      Array.from({ length: 3 * LIMIT }, () =>
        http('POST', `${balancer.url}/tools/call`, call, bearer(BOB)),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * LIMIT);
  });

  it('keeps the counts in the rate_limits table, one row per server and caller', async () => {
    // Two callers, each past its limit through both processes.
    for (const key of [DAVE, ERIN]) {
      for (let n = 0; n < LIMIT + 2; n++) {
        await http('POST', `${balancer.url}/tools/call`, call, bearer(key));
      }
    }
    const rows = await sql<{ key: string; points: number }>(
      postgres.url,
      `SELECT key, points FROM rate_limits WHERE key IN ('server_a:key:dave', 'server_a:key:erin') ORDER BY key`,
    );
    // Calls refused after the first refusal are answered from memory, without a query.
    expect(rows.map((r) => r.key)).toEqual(['server_a:key:dave', 'server_a:key:erin']);
    for (const r of rows) expect(r.points).toBeGreaterThan(LIMIT);
  });

  describe('while PostgreSQL is down', () => {
    beforeAll(() => postgres.stop(), 60_000);
    // The database comes back before the other tests, which count in it, run.
    afterAll(async () => {
      await postgres.start();
      await Promise.all([0, 1].map((i) => waitForHttp(`${direct(i)}/health/ready`, 60_000)));
    }, 120_000);

    it('counts in each process: calls are still answered, and each process still refuses past the limit', async () => {
      for (const i of [0, 1]) {
        for (let n = 0; n < LIMIT; n++) {
          const res = await http('POST', `${direct(i)}/tools/call`, call, bearer(CAROL));
          expect(res.status).toBe(200);
        }
        const limited = await http('POST', `${direct(i)}/tools/call`, call, bearer(CAROL));
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });
  });
});
