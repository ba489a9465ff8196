import {
  createTestDatabase,
  http,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { ADMIN, BOB, bearer, KEYS_ENV } from './support/keys.js';
import { MCP_ACCEPT } from './support/mcp-clients.js';

const call = { name: 'get_time', arguments: { timezone: 'Asia/Bangkok' } };

/** A caller of its own for each rate-limit test, so no test spends another's budget. */
const CAROL = 'car-2f8e1c7a9b3d4e50a6c1d8f2';
const DAVE = 'dav-7a1d3e9c5b2f4a68c0e4b7d1';
const ERIN = 'eri-4c9b2a7e1d6f4c83b5a0e2f9';
const LIMITS_KEYS_ENV = {
  ...KEYS_ENV,
  API_KEYS: `${KEYS_ENV.API_KEYS},carol:${CAROL},dave:${DAVE},erin:${ERIN}`,
};

describe('Security: limits, hostile bodies and races (real apps)', () => {
  let databaseUrl: string;
  let servers: TestServers;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(
      databaseUrl,
      {
        RATE_LIMIT_PER_MINUTE: '5',
        ...LIMITS_KEYS_ENV,
        MAX_JSON_DEPTH: '16',
        MAX_JSON_ARRAY_LENGTH: '1000',
      },
      ['b'],
    );
  });
  afterAll(() => servers?.stop());

  describe('rate limit (RATE_LIMIT_PER_MINUTE per caller)', () => {
    /** Spends a caller's whole budget of 5 calls. */
    const spend = async (key: string) => {
      for (let i = 0; i < 5; i++) {
        expect((await http('POST', `${servers.b}/tools/call`, call, bearer(key))).status).toBe(200);
      }
    };

    it('answers the 6th call in a minute 429 with Retry-After and RateLimit headers', async () => {
      const remaining: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await http('POST', `${servers.b}/tools/call`, call, bearer(CAROL));
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-limit')).toBe('5');
        remaining.push(res.headers.get('ratelimit-remaining') ?? '');
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);
      const limited = await http('POST', `${servers.b}/tools/call`, call, bearer(CAROL));
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    });

    it('counts /mcp against the same caller budget', async () => {
      await spend(DAVE);
      const res = await http(
        'POST',
        `${servers.b}/mcp`,
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { ...bearer(DAVE), ...MCP_ACCEPT },
      );
      expect(res.status).toBe(429);
    });

    it('keeps a separate budget for each key name, and leaves reads unlimited', async () => {
      await spend(ERIN);
      expect((await http('POST', `${servers.b}/tools/call`, call, bearer(ERIN))).status).toBe(429);
      expect((await http('POST', `${servers.b}/tools/call`, call, bearer(BOB))).status).toBe(200);
      for (let i = 0; i < 8; i++) {
        expect((await http('GET', `${servers.b}/tools`, undefined, bearer(ERIN))).status).toBe(200);
      }
    });
  });

  describe('hostile bodies', () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      http('POST', `${servers.b}/tools`, body, { ...bearer(ADMIN), ...headers });

    it('refuses deep nesting with 400, even 200 000 levels deep', async () => {
      const deep = `{"name":"x","description":"d","parameters":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
      const res = await post(deep);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BODY_TOO_COMPLEX' });
      expect((await http('GET', `${servers.b}/health`)).status).toBe(200);
    });

    it('refuses arrays past MAX_JSON_ARRAY_LENGTH for tools that declare no larger limit', async () => {
      // data_processor raises its own limits (@Tool maxArrayLength); text_analyzer keeps the server's.
      const res = await http(
        'POST',
        `${servers.b}/tools/call`,
        { name: 'text_analyzer', arguments: { text: 'x', extra: Array(1001).fill(1) } },
        bearer(BOB),
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BODY_TOO_COMPLEX' });
    });

    it.each([
      ['__proto__', '{"name":"p1","description":"d","__proto__":{"admin":true}}'],
      ['constructor', '{"name":"p2","description":"d","constructor":{"prototype":{"x":1}}}'],
      ['U+0000', '{"name":"p3","description":"a\\u0000b"}'],
      ['lone surrogate', '{"name":"p4","description":"\\ud800"}'],
    ])('refuses %s with 400 and stores nothing', async (_, body) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('answers malformed JSON 400, a body over MAX_BODY_BYTES 413, a wrong type 415', async () => {
      expect((await post('{"name": "x",')).status).toBe(400);
      const huge = await post({ name: 'big', description: 'x'.repeat(1_100_000) });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      const latin1 = await post('{}', { 'content-type': 'application/json; charset=latin1' });
      expect(latin1.status).toBe(415);
      const text = await post('name=x', { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      expect(text.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('stores SQL-looking names nowhere and answers 400', async () => {
      for (const name of ["x'; DROP TABLE tools; --", '" OR 1=1 --', 'a;DELETE FROM tools']) {
        expect((await post({ name, description: 'd' })).status).toBe(400);
      }
      const stored = await sql(databaseUrl, `SELECT name FROM tools WHERE name ~ '[;''" ]'`);
      expect(stored).toEqual([]);
    });
  });

  describe('races', () => {
    it('20 concurrent registrations of one name: exactly one 201, nineteen 409', async () => {
      const body = { name: 'raced_tool', description: 'who wins?', parameters: [] };
      const results = await Promise.all(
        Array.from({ length: 20 }, () => http('POST', `${servers.b}/tools`, body, bearer(ADMIN))),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body).toMatchObject({ code: 'TOOL_ALREADY_EXISTS' });
      }
      const rows = await sql(databaseUrl, `SELECT 1 FROM tools WHERE name = 'raced_tool'`);
      expect(rows).toHaveLength(1);
    });
  });
});
