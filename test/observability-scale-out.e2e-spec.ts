import { startRoundRobin, type Balancer } from './support/balancer.js';
import { eventually } from './support/eventually.js';
import { createTestDatabase, http } from './support/harness.js';
import {
  connectClient,
  listAllTools,
  registerAndHear,
  REVISIONS,
  type Revision,
} from './support/mcp-clients.js';
import { startServerAReplicas, stopProcess, type Spawned } from './support/process.js';

describe('scale-out: two processes of Server A on one database behind a round-robin balancer', () => {
  let processes: Spawned[] = [];
  let ports: number[] = [];
  let balancer: Balancer;
  let lb: string;

  beforeAll(async () => {
    ({ processes, ports } = await startServerAReplicas(await createTestDatabase(), 2));
    balancer = await startRoundRobin(ports);
    lb = balancer.url;
  }, 240_000);

  afterAll(async () => {
    await balancer?.close();
    await Promise.all(processes.map((p) => stopProcess(p)));
  });

  const direct = (i: number) => `http://127.0.0.1:${ports[i]}`;
  const names = async (base: string) =>
    (await http<{ tools: Array<{ name: string }> }>('GET', `${base}/tools`)).body.tools.map(
      (t) => t.name,
    );

  // One series of a process's /metrics. Tests compare it before and after what they do, as the
  // other tests of this file may have changed it before.
  const metric = async (i: number, series: string) => {
    const text = await (await fetch(`${direct(i)}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };
  const registered = 'tools_registered{server="server_a"}';
  const restCalls =
    'tool_calls_total{tool="get_stock_price",transport="rest",outcome="ok",server="server_a"}';

  it('serves a tool registered through one process from the other at once', async () => {
    const before = await metric(1, registered);
    const created = await http('POST', `${direct(0)}/tools`, {
      name: 'scale_out_tool',
      description: 'registered on process 1',
      parameters: [{ name: 'x', type: 'string', required: true }],
    });
    expect(created.status).toBe(201);
    expect(await eventually(async () => (await names(direct(1))).includes('scale_out_tool'))).toBe(
      true,
    );
    // The other process validates the new tool's arguments with its schema (400, not 404).
    const bad = await http('POST', `${direct(1)}/tools/call`, {
      name: 'scale_out_tool',
      arguments: {},
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('arguments.x');
    expect(await metric(1, registered)).toBe(before + 1);
  });

  it('forgets a deleted tool on every process', async () => {
    await http('POST', `${direct(1)}/tools`, { name: 'short_lived', description: 'deleted soon' });
    expect(await eventually(async () => (await names(direct(0))).includes('short_lived'))).toBe(
      true,
    );
    expect((await http('DELETE', `${direct(0)}/tools/short_lived`)).status).toBe(204);
    expect(await eventually(async () => !(await names(direct(1))).includes('short_lived'))).toBe(
      true,
    );
  });

  it('answers REST through the balancer with no sticky sessions, alternating processes', async () => {
    const before = [await metric(0, restCalls), await metric(1, restCalls)];
    for (let i = 0; i < 6; i++) {
      const res = await http('POST', `${lb}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'AAPL' },
      });
      expect(res.status).toBe(200);
      expect(res.body.result).toMatchObject({ symbol: 'AAPL', source: 'simulated' });
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
    // Both processes answered: each counted its own share of the calls.
    for (const i of [0, 1]) expect(await metric(i, restCalls)).toBe(before[i] + 3);
    // A registration through the balancer, whichever process takes it, is listed by both.
    expect(
      (await http('POST', `${lb}/tools`, { name: 'via_balancer', description: 'through the LB' }))
        .status,
    ).toBe(201);
    for (const i of [0, 1]) {
      expect(await eventually(async () => (await names(direct(i))).includes('via_balancer'))).toBe(
        true,
      );
    }
    const ready = await http<{ status: string }>('GET', `${lb}/health/ready`);
    expect(ready.body.status).toBe('ready');
  });

  describe.each(REVISIONS)('an MCP %s client', (revision: Revision) => {
    it('hears list_changed for a tool registered through the other process, and calls it', async () => {
      const client = await connectClient(revision, new URL(`${direct(1)}/mcp`));
      try {
        await client.listen();
        const name = `remote_${revision.replace(/-/g, '_')}`;
        await registerAndHear(client, direct(0), {
          name,
          description: 'registered on the other process',
          parameters: [{ name: 'q', type: 'string', required: true }],
        });
        expect((await listAllTools(client)).map((t) => t.name)).toContain(name);
        // Registered tools have no executor: the other process answers as the first would.
        const result = await client.callTool(name, { q: 'x' });
        expect(result.isError).toBe(true);
        expect(result.content[0].text).toContain('TOOL_NOT_IMPLEMENTED');
      } finally {
        await client.close();
      }
    });

    it('works through the round-robin balancer with no sticky sessions', async () => {
      const client = await connectClient(revision, new URL(`${lb}/mcp`));
      try {
        expect(client.negotiatedVersion()).toBe(revision);
        for (let i = 0; i < 4; i++) {
          const result = await client.callTool('get_stock_price', { symbol: 'MSFT' });
          expect(result.isError).toBeFalsy();
          expect(result.structuredContent).toMatchObject({ symbol: 'MSFT' });
        }
      } finally {
        await client.close();
      }
    });
  });
});
