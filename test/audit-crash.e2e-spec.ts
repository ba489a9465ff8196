import { createTestDatabase, http, sql } from './support/harness.js';
import { freePort, spawnEntry, stopProcess, waitForHttp, type Spawned } from './support/process.js';

/**
 * The audit's stated loss window on a crash (docs/operations.md): calls are written every
 * 200 ms, so a call older than this is in the database even if the process is killed.
 * 1 s leaves room for the INSERT itself on a loaded machine.
 */
const LOSS_WINDOW_MS = 1000;

describe('Audit on a crash (SIGKILL: no shutdown, no flush)', () => {
  let app: Spawned | undefined;

  afterAll(async () => {
    if (app) await stopProcess(app);
  });

  it(`keeps every call older than ${LOSS_WINDOW_MS} ms`, async () => {
    const databaseUrl = await createTestDatabase();
    const port = await freePort();
    app = spawnEntry('server-b', { DATABASE_URL: databaseUrl, PORT_B: String(port) });
    const b = `http://127.0.0.1:${port}`;
    await waitForHttp(`${b}/health`, 120_000);

    const calls = 50;
    for (let i = 0; i < calls; i++) {
      const res = await http(
        'POST',
        `${b}/tools/call`,
        { name: 'get_time', arguments: { timezone: 'UTC' } },
        { 'x-request-id': `before-crash-${i}` },
      );
      expect(res.status).toBe(200);
    }
    const metrics = await http<string>('GET', `${b}/metrics`);
    expect(metrics.body).toMatch(/^audit_pending_calls\{server="server_b"\} \d+$/m);
    expect(metrics.body).toMatch(/^audit_dropped_calls_total\{server="server_b"\} 0$/m);
    // The window is a promise about time, so the test waits it out, then kills at once.
    await new Promise((r) => setTimeout(r, LOSS_WINDOW_MS));
    app.child.kill('SIGKILL');
    expect(await app.exited).toBe('SIGKILL');

    const rows = await sql<{ n: string }>(
      databaseUrl,
      "SELECT count(*) AS n FROM tool_calls WHERE request_id LIKE 'before-crash-%'",
    );
    expect(Number(rows[0].n)).toBe(calls);
  }, 180_000);
});
