import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

/** The value of one sample line of a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}{`) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('observability: request ids, metrics and probes', () => {
  let servers: TestServers;

  beforeAll(async () => {
    servers = await startTestServers(await createTestDatabase(), {}, ['b']);
  });

  afterAll(async () => {
    await servers?.stop();
  });

  describe('X-Request-Id', () => {
    it('echoes a sane incoming request id', async () => {
      const res = await http('GET', `${servers.b}/health/live`, undefined, {
        'x-request-id': 'client-req-42',
      });
      expect(res.headers.get('x-request-id')).toBe('client-req-42');
    });

    it('replaces an unsafe or oversized id with a fresh UUID', async () => {
      for (const bad of ['has spaces', 'x'.repeat(200), 'quote"d']) {
        const res = await http('GET', `${servers.b}/health/live`, undefined, {
          'x-request-id': bad,
        });
        expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('gives every request its own id, errors included', async () => {
      const a = await http('POST', `${servers.b}/tools/call`, { name: 'nope' });
      const b = await http('POST', `${servers.b}/tools/call`, '{not json');
      expect(a.status).toBe(404);
      expect(b.status).toBe(400);
      const ids = [a.headers.get('x-request-id'), b.headers.get('x-request-id')];
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
      expect(ids[0]).not.toBe(ids[1]);
    });
  });

  describe('GET /metrics', () => {
    it('counts requests by route and status, and tool calls by tool and outcome', async () => {
      const before = await (await fetch(`${servers.b}/metrics`)).text();
      const call = (args: Record<string, unknown>) =>
        http('POST', `${servers.b}/tools/call`, { name: 'get_time', arguments: args });
      expect((await call({ timezone: 'UTC' })).status).toBe(200);
      expect((await call({ timezone: 'UTC' })).status).toBe(200);
      expect((await call({ timezone: 42 })).status).toBe(400);
      await http('POST', `${servers.b}/tools/call`, { name: 'no_such_tool_xyz' });

      const res = await fetch(`${servers.b}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();

      const labels = { server: 'server_b', transport: 'rest' };
      // Read as differences from `before`: other tests of this file may have called too.
      const grew = (name: string, sampleLabels: Record<string, string>) =>
        (sample(text, name, sampleLabels) ?? 0) - (sample(before, name, sampleLabels) ?? 0);
      expect(grew('tool_calls_total', { ...labels, tool: 'get_time', outcome: 'ok' })).toBe(2);
      expect(
        grew('tool_calls_total', { ...labels, tool: 'get_time', outcome: 'INVALID_ARGUMENTS' }),
      ).toBe(1);
      // A made-up tool name never becomes a label of its own.
      expect(text).not.toContain('no_such_tool_xyz');
      const unknown = { ...labels, tool: '(unknown)', outcome: 'TOOL_NOT_FOUND' };
      expect(sample(text, 'tool_calls_total', unknown)).toBe(
        (sample(before, 'tool_calls_total', unknown) ?? 0) + 1,
      );
      expect(grew('tool_call_duration_seconds_count', { tool: 'get_time', outcome: 'ok' })).toBe(2);
      expect(
        grew('http_requests_total', { method: 'POST', route: '/tools/call', status: '200' }),
      ).toBe(2);
      // Refusals are counted under the route too (earlier tests here sent refused bodies).
      const refused = { method: 'POST', route: '/tools/call', status: '400' };
      expect(sample(text, 'http_requests_total', refused)).toBe(
        (sample(before, 'http_requests_total', refused) ?? 0) + 1,
      );
      expect(
        grew('http_request_duration_seconds_count', { route: '/tools/call', status: '200' }),
      ).toBe(2);
      const listed = await http<{ count: number }>('GET', `${servers.b}/tools`);
      expect(sample(text, 'tools_registered', { server: 'server_b' })).toBe(listed.body.count);
      expect(sample(text, 'db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
      expect(sample(text, 'db_pool_connections', { state: 'waiting' })).toBe(0);
      expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    });

    it('labels unknown URLs as one route so that scanners cannot grow the series', async () => {
      const unmatched = { route: 'unmatched', status: '404' };
      const before = await (await fetch(`${servers.b}/metrics`)).text();
      await http('GET', `${servers.b}/random-${Date.now()}`);
      const text = await (await fetch(`${servers.b}/metrics`)).text();
      expect(sample(text, 'http_requests_total', unmatched)).toBe(
        (sample(before, 'http_requests_total', unmatched) ?? 0) + 1,
      );
      expect(text).not.toMatch(/route="\/random-/);
    });

    it('follows the registry size when a tool is registered', async () => {
      const before = await (await fetch(`${servers.b}/metrics`)).text();
      const created = await http('POST', `${servers.b}/tools`, {
        name: 'metrics_probe_tool',
        description: 'counted by tools_registered',
      });
      expect(created.status).toBe(201);
      const text = await (await fetch(`${servers.b}/metrics`)).text();
      expect(sample(text, 'tools_registered', { server: 'server_b' })).toBe(
        (sample(before, 'tools_registered', { server: 'server_b' }) ?? 0) + 1,
      );
    });
  });

  describe('probes', () => {
    it('answers liveness and readiness while the database is up', async () => {
      const live = await http('GET', `${servers.b}/health/live`);
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('alive');
      const ready = await http('GET', `${servers.b}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', database: 'connected' });
      expect(ready.body.tools).toBeGreaterThanOrEqual(4);
    });
  });
});
