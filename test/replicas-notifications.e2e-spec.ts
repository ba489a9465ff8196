import { http } from './support/harness.js';
import {
  connectClient,
  listAllTools,
  REVISIONS,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { startServerAReplicas, stopProcess, type Spawned } from './support/process.js';
import { startStandalonePostgres, type StandalonePostgres } from './support/standalone-postgres.js';

const DELIVERY_MS = 5000;

/** Resolves with what `promise` gave, or rejects after `ms` naming `what`. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('change notifications survive a PostgreSQL restart under two processes of Server A', () => {
  let postgres: StandalonePostgres;
  let processes: Spawned[] = [];
  let ports: number[] = [];
  const clients: TestMcpClient[] = [];

  beforeAll(async () => {
    postgres = await startStandalonePostgres();
    ({ processes, ports } = await startServerAReplicas(postgres.url, 2));
    // Listening clients of both revisions on the second process.
    for (const revision of REVISIONS) {
      const client = await connectClient(revision, new URL(`http://127.0.0.1:${ports[1]}/mcp`));
      await client.listen();
      clients.push(client);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(processes.map((p) => stopProcess(p)));
    await postgres?.destroy();
  });

  const direct = (i: number) => `http://127.0.0.1:${ports[i]}`;

  it(`lists and announces a tool registered on one process on the other within ${DELIVERY_MS / 1000} s of the database's return, with no restart`, async () => {
    const pids = processes.map((p) => p.child.pid);
    await postgres.stop();
    // Long enough for both processes to notice and back off a few times.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await http('GET', `${direct(1)}/health`)).status).toBe(503);
    await postgres.start();
    const heard = clients.map((c) => c.nextToolsChanged());

    // The registering process reconnects its pool on the first query that needs it.
    let created = await http('POST', `${direct(0)}/tools`, {
      name: 'after_restart',
      description: 'x',
    });
    const deadline = Date.now() + 20_000;
    while (created.status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      created = await http('POST', `${direct(0)}/tools`, {
        name: 'after_restart',
        description: 'x',
      });
    }
    expect(created.status).toBe(201);
    const registeredAt = Date.now();

    await within(DELIVERY_MS, 'list_changed on the other process', Promise.all(heard));
    for (const client of clients) {
      expect((await listAllTools(client)).map((t) => t.name)).toContain('after_restart');
    }
    const rest = await http<{ tools: Array<{ name: string }> }>('GET', `${direct(1)}/tools`);
    expect(rest.body.tools.map((t) => t.name)).toContain('after_restart');
    expect(Date.now() - registeredAt).toBeLessThan(DELIVERY_MS);
    expect(processes.map((p) => p.child.pid)).toEqual(pids);
    for (const p of processes) expect(p.child.exitCode).toBeNull();
  }, 90_000);
});
