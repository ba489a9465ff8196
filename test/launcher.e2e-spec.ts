import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/eventually.js';
import { sql } from './support/harness.js';
import { freePort, spawnEntry, stopProcess, waitForHttp, type Spawned } from './support/process.js';

/** PIDs of postgres servers whose data directory is under `dir`. */
function postgresUnder(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('postgres') && l.includes(dir));
}

function embeddedUrl(dataDir: string, port: number): string {
  const { user, password } = JSON.parse(
    readFileSync(join(dataDir, 'credentials.json'), 'utf8'),
  ) as {
    user: string;
    password: string;
  };
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/mcp`;
}

describe('the launcher as a user runs it (real processes, embedded PostgreSQL)', () => {
  // Real processes that build, start PostgreSQL and boot Nest: generous limits for a loaded machine.
  // Each test has a data directory (and so an embedded cluster) of its own.
  let dataDir: string;
  let dbPort: number;
  const started: Spawned[] = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mcp-launcher-'));
    dbPort = await freePort();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => stopProcess(p)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('npm start: serves both servers on an embedded database and stops everything on SIGTERM', async () => {
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    const app = spawnEntry('all', {
      DATA_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      PORT_A: String(portA),
      PORT_B: String(portB),
      LOG_LEVEL: 'info',
      // A misspelt variable, which no server reads: warned about with the name meant.
      SEVER_A_PORT: '3001',
    });
    started.push(app);
    await waitForHttp(`http://127.0.0.1:${portA}/health`);
    await waitForHttp(`http://127.0.0.1:${portB}/health`);
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    // One summary line per server: where it answers, its providers, its database, its auth.
    const a = `http://127.0.0.1:${portA}`;
    const b = `http://127.0.0.1:${portB}`;
    // Log lines are written in batches (at most 250 ms late): wait for Server B's.
    await eventually(async () => app.output().includes(`Server B (server_b) ready at ${b}`));
    expect(app.output()).toContain(
      `Server A (server_a) ready at ${a} | docs ${a}/docs | console ${a}/console`,
    );
    expect(app.output()).toContain(
      `MCP ${b}/mcp | data providers: weather WEATHER_PROVIDER=open-meteo | database: embedded PostgreSQL at ${dataDir} (port ${dbPort}`,
    );
    expect(app.output()).toContain(
      'SEVER_A_PORT is set but no server reads it: did you mean PORT_A?',
    );

    const counts = await sql(
      embeddedUrl(dataDir, dbPort),
      'SELECT server_id, COUNT(*)::int AS tool_count FROM tools GROUP BY server_id ORDER BY 1',
    );
    expect(counts).toEqual([
      { server_id: 'server_a', tool_count: 3 },
      { server_id: 'server_b', tool_count: 4 },
    ]);
    const created = await fetch(`http://127.0.0.1:${portA}/tools`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'registered', description: 'registered under npm start' }),
    });
    expect(created.status).toBe(201);

    const stoppingAt = Date.now();
    expect(await stopProcess(app)).toBe(0);
    expect(Date.now() - stoppingAt).toBeLessThan(10_000);
    expect(postgresUnder(dataDir)).toEqual([]);
    // The password is generated per data directory and never printed.
    const { password } = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
      password: string;
    };
    expect(app.output()).not.toContain(password);
    expect(app.output()).toContain('****');
  }, 180_000);

  it('start:server-a then start:server-b: the second joins the first one’s database, which kept its data', async () => {
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    const env = {
      DATA_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      PORT_A: String(portA),
      PORT_B: String(portB),
    };
    // A first run of Server A leaves a tool behind in its embedded database.
    const first = spawnEntry('server-a', env);
    started.push(first);
    await waitForHttp(`http://127.0.0.1:${portA}/health`);
    const created = await fetch(`http://127.0.0.1:${portA}/tools`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept', description: 'kept across restarts' }),
    });
    expect(created.status).toBe(201);
    expect(await stopProcess(first)).toBe(0);
    expect(postgresUnder(dataDir)).toEqual([]);

    const a = spawnEntry('server-a', env);
    started.push(a);
    await waitForHttp(`http://127.0.0.1:${portA}/health`);
    const b = spawnEntry('server-b', env);
    started.push(b);
    await waitForHttp(`http://127.0.0.1:${portB}/health`);

    const list = (await (await fetch(`http://127.0.0.1:${portA}/tools`)).json()) as {
      tools: Array<{ name: string }>;
    };
    expect(list.tools.map((t) => t.name)).toContain('kept');
    const servers = await sql<{ server_id: string }>(
      embeddedUrl(dataDir, dbPort),
      'SELECT DISTINCT server_id FROM tools ORDER BY 1',
    );
    expect(servers.map((r) => r.server_id)).toEqual(['server_a', 'server_b']);

    expect(await stopProcess(b)).toBe(0);
    expect(postgresUnder(dataDir)).not.toEqual([]); // still owned by server A
    expect(await stopProcess(a)).toBe(0);
    expect(postgresUnder(dataDir)).toEqual([]);
  }, 180_000);

  it.each([
    ['PORT_A', 'abc'],
    ['LOG_LEVEL', 'loud'],
    ['SERVER_B_HOST', 'not a host!'],
  ])('refuses to start with %s=%s, naming the variable', async (name, value) => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'mcp-badconfig-'));
    try {
      const app = spawnEntry('all', { DATA_DIR: emptyDir, [name]: value });
      started.push(app);
      const code = await app.exited;
      expect(code).not.toBe(0);
      expect(app.output()).toContain(name);
      expect(existsSync(join(emptyDir, 'pg'))).toBe(false);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
