import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

/** GET over HTTPS trusting only `ca`, so the test proves the server's certificate verifies. */
function httpsGet(
  url: string,
  ca: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Transport and time: HTTPS and the per-call timeout (real apps)', () => {
  describe('HTTPS with TLS_CERT_FILE and TLS_KEY_FILE (a throwaway self-signed certificate)', () => {
    let dir: string;
    let cert: Buffer;
    let servers: TestServers;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'mcp-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      cert = readFileSync(join(dir, 'cert.pem'));
      servers = await startTestServers(
        await createTestDatabase(),
        { TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'key.pem') },
        ['a'],
      );
    });
    afterAll(async () => {
      await servers?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves HTTPS with a certificate that verifies, and HSTS', async () => {
      expect(servers.a).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await httpsGet(`${servers.a}/health`, cert);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ status: 'healthy' });
      expect(String(res.headers['strict-transport-security'])).toContain('max-age=');
    });

    it('does not answer plain HTTP on the HTTPS port', async () => {
      const plain = servers.a.replace('https:', 'http:');
      const outcome = await fetch(`${plain}/health`).then(
        (r) => r.status,
        () => 'failed',
      );
      expect(outcome === 'failed' || outcome === 400).toBe(true);
    });

    it('refuses to start when a TLS file cannot be read, naming the variable', async () => {
      await expect(
        startTestServers(
          await createTestDatabase(),
          { TLS_CERT_FILE: join(dir, 'missing.pem'), TLS_KEY_FILE: join(dir, 'key.pem') },
          ['b'],
        ),
      ).rejects.toThrow(/TLS_CERT_FILE=.*missing\.pem: cannot read it \(ENOENT\)/);
    });
  });

  describe('CALL_TIMEOUT_MS', () => {
    let upstream: FixtureServer;
    let servers: TestServers;

    beforeAll(async () => {
      // A market-data service that never answers.
      upstream = await startFixtureServer(() => undefined);
      servers = await startTestServers(
        await createTestDatabase(),
        {
          MARKET_DATA_PROVIDER: 'yahoo',
          YAHOO_FINANCE_BASE_URL: upstream.url,
          PROVIDER_TIMEOUT_MS: '60000',
          CALL_TIMEOUT_MS: '700',
        },
        ['a'],
      );
    });
    afterAll(async () => {
      await servers?.stop();
      await upstream?.close();
    });

    it('answers 504 TOOL_TIMEOUT when an executor runs past it, and the server stays healthy', async () => {
      const started = Date.now();
      const res = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'AAPL' },
      });
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ code: 'TOOL_TIMEOUT', details: { timeoutMs: 700 } });
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await http('GET', `${servers.a}/health`)).status).toBe(200);
    });
  });
});
