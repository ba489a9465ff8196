import { jest } from '@jest/globals';
import { RateLimiterRes } from 'rate-limiter-flexible';
import {
  createRateLimiter,
  RATE_LIMIT_STORE_TIMEOUT_MS,
  type RateLimitStore,
} from './rate-limiter.js';

interface Row {
  points: number;
  expire: number | null;
}

/**
 * A stand-in for a pg Pool holding the `rate_limits` table: it answers the limiter's upsert
 * (`INSERT ... ON CONFLICT`) the way PostgreSQL does, atomically, and counts the queries.
 */
class FakeTable {
  readonly rows = new Map<string, Row>();
  queries = 0;
  failure?: Error;
  hang = false;

  query(q: { text: string; values: unknown[] }): Promise<{ rows: Row[]; rowCount: number }> {
    this.queries++;
    if (this.failure) return Promise.reject(this.failure);
    if (this.hang) return new Promise(() => undefined);
    if (!q.text.includes('INSERT INTO')) throw new Error(`unexpected query: ${q.text}`);
    const [key, points, expire, now] = q.values as [string, number, number | null, number];
    const row = this.rows.get(key);
    const next =
      !row || (row.expire !== null && row.expire <= now)
        ? { points, expire }
        : { points: row.points + points, expire: row.expire };
    this.rows.set(key, next);
    return Promise.resolve({ rows: [next], rowCount: 1 });
  }
}

const shared = (table: FakeTable, scope = 'server_a'): RateLimitStore => ({
  type: 'postgres',
  client: table,
  clientType: 'pool',
  tableName: 'rate_limits',
  scope,
});

/** Consumes once; 'ok', or the rejection (a RateLimiterRes past the limit, an Error otherwise). */
async function attempt(
  limiter: ReturnType<typeof createRateLimiter>,
  key: string,
): Promise<'ok' | RateLimiterRes | Error> {
  try {
    await limiter.consume(key);
    return 'ok';
  } catch (rejection) {
    return rejection as RateLimiterRes | Error;
  }
}

describe('createRateLimiter', () => {
  afterEach(() => jest.useRealTimers());

  it('memory: each limiter counts alone', async () => {
    const [one, two] = [
      createRateLimiter({ type: 'memory' }, 2),
      createRateLimiter({ type: 'memory' }, 2),
    ];
    for (const limiter of [one, two]) {
      expect(await attempt(limiter, 'key:a')).toBe('ok');
      expect(await attempt(limiter, 'key:a')).toBe('ok');
      expect(await attempt(limiter, 'key:a')).toBeInstanceOf(RateLimiterRes);
    }
  });

  it('postgres: two processes sharing the table allow exactly the limit between them', async () => {
    const table = new FakeTable();
    const processes = [createRateLimiter(shared(table), 5), createRateLimiter(shared(table), 5)];
    const outcomes = await Promise.all(
      Array.from({ length: 9 }, (_, i) => attempt(processes[i % 2], 'key:a')),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    const refused = outcomes.filter((o) => o instanceof RateLimiterRes);
    expect(refused).toHaveLength(4);
    for (const r of refused) {
      expect(r.remainingPoints).toBe(0);
      expect(r.msBeforeNext).toBeGreaterThan(50_000);
    }
    expect(table.rows.get('server_a:key:a')?.points).toBe(9);
  });

  it('postgres: keeps each server and each caller apart', async () => {
    const table = new FakeTable();
    const a = createRateLimiter(shared(table, 'server_a'), 1);
    const b = createRateLimiter(shared(table, 'server_b'), 1);
    expect(await attempt(a, 'key:x')).toBe('ok');
    expect(await attempt(a, 'key:y')).toBe('ok');
    expect(await attempt(b, 'key:x')).toBe('ok');
    expect(await attempt(a, 'key:x')).toBeInstanceOf(RateLimiterRes);
    expect([...table.rows.keys()].sort()).toEqual([
      'server_a:key:x',
      'server_a:key:y',
      'server_b:key:x',
    ]);
  });

  it('postgres: refuses a caller past the limit from memory until the window resets (no query)', async () => {
    const table = new FakeTable();
    const limiter = createRateLimiter(shared(table), 2);
    await attempt(limiter, 'key:a');
    await attempt(limiter, 'key:a');
    expect(await attempt(limiter, 'key:a')).toBeInstanceOf(RateLimiterRes);
    const queries = table.queries;
    for (let i = 0; i < 20; i++)
      expect(await attempt(limiter, 'key:a')).toBeInstanceOf(RateLimiterRes);
    expect(table.queries).toBe(queries);
  });

  it('postgres down: counts in this process instead, neither open nor closed', async () => {
    const table = new FakeTable();
    table.failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const limiter = createRateLimiter(shared(table), 3);
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await attempt(limiter, 'key:a'));
    expect(outcomes.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(outcomes[3]).toBeInstanceOf(RateLimiterRes);
    expect(outcomes[4]).toBeInstanceOf(RateLimiterRes);
  });

  it(`postgres hanging: counts in this process after ${RATE_LIMIT_STORE_TIMEOUT_MS} ms`, async () => {
    jest.useFakeTimers();
    const table = new FakeTable();
    table.hang = true;
    const limiter = createRateLimiter(shared(table), 1);
    const first = attempt(limiter, 'key:a');
    let settled = false;
    void first.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(RATE_LIMIT_STORE_TIMEOUT_MS - 1);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await first).toBe('ok');
    const second = attempt(limiter, 'key:a');
    await jest.advanceTimersByTimeAsync(RATE_LIMIT_STORE_TIMEOUT_MS);
    expect(await second).toBeInstanceOf(RateLimiterRes);
  });
});
