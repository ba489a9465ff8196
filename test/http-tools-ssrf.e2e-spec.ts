import { startHttpFixture, type HttpFixture } from './support/http-fixture.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

describe('SSRF guard of HTTP tools', () => {
  let databaseUrl: string;
  let upstream: HttpFixture;
  let servers: TestServers;

  beforeAll(async () => {
    // Only 127.0.0.2 is allowed: every other spelling of loopback must be refused.
    upstream = await startHttpFixture('127.0.0.2');
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(
      databaseUrl,
      { HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.2:${upstream.port},169.254.169.254,[fd00:ec2::254]` },
      ['a'],
    );
  });

  afterAll(async () => {
    await servers?.stop();
    await upstream?.close();
  });

  const register = (name: string, url: string) =>
    http('POST', `${servers.a}/tools`, {
      name,
      description: 'ssrf probe',
      executor: { type: 'http', url },
    });

  it('accepts and calls the allowed host', async () => {
    expect((await register('allowed', `${upstream.url}/echo`)).status).toBe(201);
    const r = await http('POST', `${servers.a}/tools/call`, { name: 'allowed' });
    expect(r.status).toBe(200);
  });

  it.each([
    ['localhost (a name resolving to loopback)', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['decimal loopback 2130706433', '2130706433'],
    ['hex loopback 0x7f.1', '0x7f.1'],
    ['IPv6 loopback [::1]', '[::1]'],
    ['IPv4-mapped loopback [::ffff:127.0.0.1]', '[::ffff:127.0.0.1]'],
    ['the allowed address on another port', '127.0.0.2'],
  ])('refuses %s at registration with 400 naming the rule', async (_label, host) => {
    const port = host === '127.0.0.2' ? upstream.port + 1 : upstream.port;
    const { status, body } = await register(`probe_${Date.now()}`, `http://${host}:${port}/echo`);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'not-allowed' },
    });
    expect(body.message).toContain('HTTP_TOOL_ALLOWED_HOSTS');
  });

  it.each([
    ['169.254.169.254', 'http://169.254.169.254/latest/meta-data/'],
    ['decimal 169.254.169.254', 'http://2852039166/'],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/'],
    ['AWS IPv6 metadata', 'http://[fd00:ec2::254]/'],
    ['GCP metadata name', 'http://metadata.google.internal/computeMetadata/v1/'],
    ['unspecified 0.0.0.0', 'http://0.0.0.0/'],
  ])('refuses %s even when listed', async (_label, url) => {
    const { status, body } = await register(`meta_${Date.now()}`, url);
    expect(status).toBe(400);
    expect(body.code).toBe('HTTP_TOOL_HOST_REFUSED');
    expect(['metadata', 'reserved-address']).toContain((body.details as { rule: string }).rule);
  });

  it.each([
    ['a file URL', 'file:///etc/passwd', 'scheme'],
    ['credentials in the URL', `http://user:pw@127.0.0.2:1/`, 'credentials'],
  ])('refuses %s', async (_label, url, rule) => {
    const { status, body } = await register(`odd_${Date.now()}`, url);
    expect(status).toBe(400);
    expect(body).toMatchObject({ details: { rule } });
  });

  it('says how to allow hosts when the list is empty', async () => {
    const s = await startTestServers(databaseUrl, {}, ['b']);
    try {
      const { status, body } = await http('POST', `${s.b}/tools`, {
        name: 'no_list',
        description: 'x',
        executor: { type: 'http', url: `${upstream.url}/echo` },
      });
      expect(status).toBe(400);
      expect(body.message).toContain('HTTP_TOOL_ALLOWED_HOSTS is empty');
    } finally {
      await s.stop();
    }
  });

  it('checks again at call time: a process that does not allow the host refuses the call', async () => {
    // Its own tool, registered where the host is allowed: the test needs no earlier one.
    const name = `recheck_${Date.now()}`;
    expect((await register(name, `${upstream.url}/echo`)).status).toBe(201);
    const strict = await startTestServers(
      databaseUrl,
      { HTTP_TOOL_ALLOWED_HOSTS: 'example.invalid' },
      ['a'],
    );
    try {
      const { status, body } = await http('POST', `${strict.a}/tools/call`, { name });
      expect(status).toBe(502);
      expect(body).toMatchObject({
        code: 'HTTP_TOOL_HOST_REFUSED',
        details: { rule: 'not-allowed' },
      });
    } finally {
      await strict.stop();
    }
  });
});
