import { startHttpFixture, type HttpFixture } from './support/http-fixture.js';
import {
  createTestDatabase,
  http,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';

describe('HTTP-backed tools against a local upstream', () => {
  let databaseUrl: string;
  let servers: TestServers;
  let upstream: HttpFixture;
  let other: HttpFixture;

  beforeAll(async () => {
    upstream = await startHttpFixture();
    other = await startHttpFixture();
    process.env.FIXTURE_TOKEN = 'fixture-secret-value';
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(
      databaseUrl,
      {
        HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.1:${upstream.port}, 127.0.0.1:${other.port}`,
        HTTP_TOOL_MAX_RESPONSE_BYTES: '65536',
      },
      ['b'],
    );
  });

  afterAll(async () => {
    delete process.env.FIXTURE_TOKEN;
    await servers?.stop();
    await upstream?.close();
    await other?.close();
  });

  const register = (name: string, executor: Record<string, unknown>, parameters: unknown[] = []) =>
    http<Record<string, unknown>>('POST', `${servers.b}/tools`, {
      name,
      description: `HTTP tool ${name}`,
      parameters,
      executor: { type: 'http', ...executor },
    });
  const call = (name: string, args: Record<string, unknown> = {}) =>
    http<{ result: Record<string, unknown> } & Record<string, unknown>>(
      'POST',
      `${servers.b}/tools/call`,
      { name, arguments: args },
    );

  it('POSTs the arguments as JSON and returns the upstream JSON as the result', async () => {
    const created = await register('lookup', { url: `${upstream.url}/echo` }, [
      { name: 'id', type: 'integer', required: true },
      { name: 'tags', type: 'array' },
    ]);
    expect(created.status).toBe(201);
    expect(created.body.executor).toEqual({
      type: 'http',
      url: `${upstream.url}/echo`,
      method: 'POST',
      headers: {},
      timeoutMs: 10000,
    });
    const { status, body } = await call('lookup', { id: 7, tags: ['a'] });
    expect(status).toBe(200);
    expect(body.result).toEqual({
      method: 'POST',
      query: {},
      body: { id: 7, tags: ['a'] },
      authorization: null,
    });
  });

  it('sends the arguments as a query string with GET', async () => {
    await register('search', { url: `${upstream.url}/echo?fixed=1`, method: 'GET' }, [
      { name: 'q', type: 'string' },
      { name: 'n', type: 'number' },
    ]);
    const { body } = await call('search', { q: 'a b', n: 2 });
    expect(body.result).toMatchObject({ method: 'GET', query: { fixed: '1', q: 'a b', n: '2' } });
  });

  it('wraps a text answer', async () => {
    await register('texty', { url: `${upstream.url}/text`, method: 'GET' });
    const { body } = await call('texty');
    expect(body.result).toEqual({ status: 200, contentType: 'text/plain', text: 'plain words' });
  });

  it('answers 504 within the tool timeout when the upstream is slow', async () => {
    await register('sluggish', { url: `${upstream.url}/slow`, timeoutMs: 400 });
    const started = Date.now();
    const { status, body } = await call('sluggish');
    const elapsed = Date.now() - started;
    expect(status).toBe(504);
    expect(body.code).toBe('UPSTREAM_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(2000);
  });

  it('answers 502 with the upstream status when the upstream fails', async () => {
    await register('flaky', { url: `${upstream.url}/fail` });
    const five = await call('flaky');
    expect(five.status).toBe(502);
    expect(five.body).toMatchObject({ code: 'UPSTREAM_ERROR', details: { upstreamStatus: 503 } });
    await register('gone', { url: `${upstream.url}/missing` });
    const four = await call('gone');
    expect(four.status).toBe(502);
    expect(four.body).toMatchObject({ details: { upstreamStatus: 404 } });
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const closed = await startHttpFixture();
    await closed.close();
    const s = await startTestServers(
      databaseUrl,
      { HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.1:${closed.port}` },
      ['b'],
    );
    try {
      await http('POST', `${s.b}/tools`, {
        name: 'nowhere',
        description: 'down',
        executor: { type: 'http', url: `${closed.url}/echo` },
      });
      const r = await http('POST', `${s.b}/tools/call`, { name: 'nowhere' });
      expect(r.status).toBe(502);
      expect(String(r.body.message)).toContain('ECONNREFUSED');
    } finally {
      await s.stop();
    }
  });

  it('caps the response size at HTTP_TOOL_MAX_RESPONSE_BYTES with 502', async () => {
    await register('firehose', { url: `${upstream.url}/huge`, method: 'GET' });
    const { status, body } = await call('firehose');
    expect(status).toBe(502);
    expect(body).toMatchObject({
      code: 'UPSTREAM_RESPONSE_TOO_LARGE',
      details: { limitBytes: 65536 },
    });
    expect((await http('GET', `${servers.b}/health`)).status).toBe(200);
  });

  it('follows a redirect within the allowed hosts', async () => {
    await register('hop', {
      url: `${upstream.url}/redirect?to=${encodeURIComponent(`${other.url}/echo`)}`,
      headers: { Authorization: 'Bearer ${FIXTURE_TOKEN}' },
    });
    const { status, body } = await call('hop');
    expect(status).toBe(200);
    // 302 after POST continues as GET, and the secret header stays with the tool's own origin.
    expect(body.result).toMatchObject({ method: 'GET', authorization: null });
  });

  it.each([
    ['a host outside the list', 'http://127.0.0.2:1/echo'],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['the IPv6 loopback', 'http://[::1]:1/'],
  ])('refuses a redirect to %s with 502 and never connects there', async (_label, target) => {
    await register(`bounce_${Math.random().toString(36).slice(2, 8)}`, {
      url: `${upstream.url}/redirect?to=${encodeURIComponent(target)}`,
    }).then(async (r) => {
      const { status, body } = await call(String(r.body.name));
      expect(status).toBe(502);
      expect(body.code).toBe('HTTP_TOOL_HOST_REFUSED');
    });
  });

  describe('secret headers', () => {
    it('resolves ${ENV_NAME} at call time and never stores or shows the secret', async () => {
      const created = await register('secretive', {
        url: `${upstream.url}/echo`,
        headers: { Authorization: 'Bearer ${FIXTURE_TOKEN}', 'X-Plain': 'visible' },
      });
      expect(created.status).toBe(201);
      const { body } = await call('secretive');
      expect(body.result.authorization).toBe('Bearer fixture-secret-value');
      const view = await http('GET', `${servers.b}/tools/secretive`);
      expect(JSON.stringify(view.body)).not.toContain('fixture-secret-value');
      expect(JSON.stringify(view.body)).toContain('${FIXTURE_TOKEN}');
      const rows = await sql(databaseUrl, 'SELECT t::text AS row FROM tools t');
      expect(JSON.stringify(rows)).not.toContain('fixture-secret-value');
    });

    it('refuses a credential header given in clear', async () => {
      const { status, body } = await register('leaky', {
        url: `${upstream.url}/echo`,
        headers: { Authorization: 'Bearer hunter2hunter2' },
      });
      expect(status).toBe(400);
      expect(body.message).toContain('executor.headers.Authorization');
    });

    it("refuses a reference to the platform's own settings", async () => {
      const { status, body } = await register('thief', {
        url: `${upstream.url}/echo`,
        headers: { 'X-Steal': '${DATABASE_URL}' },
      });
      expect(status).toBe(400);
      expect(body.message).toContain('DATABASE_URL');
    });

    it('answers 503 TOOL_SECRET_MISSING when the variable is not set', async () => {
      await register('unset_secret', {
        url: `${upstream.url}/echo`,
        headers: { 'X-Api-Key': '${NOT_SET_ANYWHERE_7}' },
      });
      const { status, body } = await call('unset_secret');
      expect(status).toBe(503);
      expect(body).toMatchObject({ code: 'TOOL_SECRET_MISSING' });
    });
  });

  describe('PATCH of the executor', () => {
    it('re-points a runtime tool and removes its executor with null (then 501)', async () => {
      await register('movable', { url: `${upstream.url}/text`, method: 'GET' });
      const moved = await http<Record<string, unknown>>('PATCH', `${servers.b}/tools/movable`, {
        executor: { type: 'http', url: `${upstream.url}/echo` },
      });
      expect(moved.status).toBe(200);
      expect(moved.body.version).toBe(2);
      expect((await call('movable')).body.result).toMatchObject({ method: 'POST' });
      await http('PATCH', `${servers.b}/tools/movable`, { executor: null });
      expect((await call('movable')).status).toBe(501);
    });

    it('refuses to re-point a built-in tool with 409', async () => {
      const { status, body } = await http('PATCH', `${servers.b}/tools/get_time`, {
        executor: { type: 'http', url: `${upstream.url}/echo` },
      });
      expect(status).toBe(409);
      expect(body.code).toBe('BUILTIN_TOOL_PROTECTED');
    });

    it('refuses a timeout above 30 s with 400', async () => {
      const { status, body } = await register('patient', {
        url: `${upstream.url}/echo`,
        timeoutMs: 30001,
      });
      expect(status).toBe(400);
      expect(body.message).toContain('timeoutMs');
    });
  });
});
