import { isIP } from 'node:net';
import { startHttpFixture, type HttpFixture } from './support/http-fixture.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

/**
 * The SSRF guard's hard cases, end to end: a real server calls fixture upstreams on loopback,
 * and host names are answered by a scripted DNS (the executor's resolver, given at start), so a
 * test decides what a name resolves to on each lookup. Every case is refused with a clear error,
 * and the forbidden upstream (on 127.0.0.3, never in the allow list) receives no request.
 */
describe('SSRF guard of HTTP tools: redirects and DNS', () => {
  let upstream: HttpFixture;
  let forbidden: HttpFixture;
  let servers: TestServers;
  /** What each name resolves to, one answer per lookup; the last answer repeats. */
  const dns = new Map<string, string[]>();

  beforeAll(async () => {
    upstream = await startHttpFixture('127.0.0.1');
    forbidden = await startHttpFixture('127.0.0.3');
    servers = await startTestServers(
      await createTestDatabase(),
      {
        HTTP_TOOL_ALLOWED_HOSTS: [
          `127.0.0.1:${upstream.port}`,
          'upstream.test',
          'shifty.test',
          'metadata-alias.test',
        ].join(','),
      },
      ['a'],
      {
        resolve: async (host) => {
          const answers = dns.get(host);
          if (!answers) throw Object.assign(new Error(`${host} not found`), { code: 'ENOTFOUND' });
          const address = answers.length > 1 ? answers.shift()! : answers[0];
          return [{ address, family: isIP(address) }];
        },
      },
    );
  });

  afterAll(async () => {
    await servers?.stop();
    await upstream?.close();
    await forbidden?.close();
  });

  beforeEach(() => {
    dns.clear();
    dns.set('upstream.test', ['127.0.0.1']);
    upstream.received.length = 0;
    forbidden.received.length = 0;
  });

  let tools = 0;
  /** Registers a GET tool whose upstream answers with `hops` redirects (nested `/redirect?to=`). */
  async function toolRedirectingTo(target: string, base = upstream.url): Promise<string> {
    const name = `ssrf_${++tools}`;
    const url = `${base}/redirect?to=${encodeURIComponent(target)}`;
    const res = await http('POST', `${servers.a}/tools`, {
      name,
      description: 'redirect probe',
      executor: { type: 'http', url, method: 'GET' },
    });
    expect(res.status).toBe(201);
    return name;
  }
  const call = (name: string) => http('POST', `${servers.a}/tools/call`, { name });

  it('follows a redirect to an allowed name that resolves to an allowed address', async () => {
    const name = await toolRedirectingTo(`http://upstream.test:${upstream.port}/echo`);
    const res = await call(name);
    expect(res.status).toBe(200);
    expect(upstream.received.map((r) => r.path)).toEqual(['/redirect', '/echo']);
  });

  it('refuses a redirect to a name outside the allow list that resolves to a private address', async () => {
    dns.set('private.test', ['127.0.0.3']);
    const name = await toolRedirectingTo(`http://private.test:${forbidden.port}/echo`);
    const res = await call(name);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'not-allowed', url: `http://private.test:${forbidden.port}` },
    });
    expect(forbidden.received).toEqual([]);
  });

  it('refuses a redirect to an allowed name that resolves to a metadata address', async () => {
    dns.set('metadata-alias.test', ['169.254.169.254']);
    const name = await toolRedirectingTo('http://metadata-alias.test/latest/meta-data/');
    const res = await call(name);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'metadata' },
    });
    expect(res.body.message).toContain('169.254.169.254');
    expect(upstream.received.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('refuses a name that resolves to a metadata address on the second hop (DNS rebinding)', async () => {
    const name = await toolRedirectingTo(
      `http://shifty.test:${upstream.port}/echo`,
      `http://shifty.test:${upstream.port}`,
    );
    // Safe while the tool is checked and on the first hop, the metadata service on the second.
    dns.set('shifty.test', ['127.0.0.1', '169.254.169.254']);
    const res = await call(name);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'metadata' },
    });
    expect(upstream.received.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('refuses a name that turns into an unlisted loopback address on the second hop', async () => {
    const name = await toolRedirectingTo(
      `http://shifty.test:${forbidden.port}/echo`,
      `http://shifty.test:${upstream.port}`,
    );
    dns.set('shifty.test', ['127.0.0.1', '127.0.0.3']);
    const res = await call(name);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'loopback' },
    });
    expect(res.body.message).toContain('127.0.0.3');
    expect(upstream.received.map((r) => r.path)).toEqual(['/redirect']);
    expect(forbidden.received).toEqual([]);
  });

  it('refuses to register a listed name that already resolves to an unlisted loopback address', async () => {
    dns.set('shifty.test', ['127.0.0.3']);
    const res = await http('POST', `${servers.a}/tools`, {
      name: 'shifty_now',
      description: 'x',
      executor: { type: 'http', url: `http://shifty.test:${forbidden.port}/echo` },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'loopback' },
    });
  });

  it('follows at most 5 redirects: the sixth is refused and its target never called', async () => {
    let target = `${forbidden.url}/echo`;
    for (let i = 0; i < 5; i++)
      target = `${upstream.url}/redirect?to=${encodeURIComponent(target)}`;
    const name = await toolRedirectingTo(target);
    const res = await call(name);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'The upstream redirected more than 5 times',
      details: { maxRedirects: 5 },
    });
    expect(upstream.received.filter((r) => r.path === '/redirect')).toHaveLength(6);
    expect(forbidden.received).toEqual([]);
  });

  it('refuses credentials in a Location, sending nothing to where it points', async () => {
    const name = await toolRedirectingTo(`http://user:secret@127.0.0.1:${upstream.port}/echo`);
    const res = await call(name);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'credentials' },
    });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(upstream.received.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('answers a malformed Location with 502 UPSTREAM_ERROR, not a 500', async () => {
    const name = await toolRedirectingTo('http://[::1');
    const res = await call(name);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'The upstream redirected to a malformed URL',
    });
  });
});
