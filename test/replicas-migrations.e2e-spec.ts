import pg from 'pg';
import { MIGRATION_LOCK_KEY } from '../libs/tools/src/database/database.js';
import { MIGRATIONS } from '../libs/tools/src/database/migrations/index.js';
import { eventually } from './support/eventually.js';
import { createTestDatabase, sql } from './support/harness.js';
import { freePort, spawnEntry, stopProcess, waitForHttp, type Spawned } from './support/process.js';

const SIMULATED = { MARKET_DATA_PROVIDER: 'simulated', NEWS_PROVIDER: 'simulated' };

/** Waits until `url` is ready; fails at once, with its output, if the process ends first. */
async function readyOrDead(p: Spawned, url: string, timeoutMs: number): Promise<void> {
  const died = p.exited.then((code) => {
    throw new Error(`the process ended (${code}) before ${url} was ready:\n${p.output()}`);
  });
  await Promise.race([waitForHttp(`${url}/health/ready`, timeoutMs), died]);
}

/** Answers 200 on /health/ready, or false (not listening yet, or not ready). */
async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`)).ok;
  } catch {
    return false;
  }
}

describe('migrations under a race: real processes on one empty database', () => {
  const processes: Spawned[] = [];

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => stopProcess(p)));
  });

  it('three processes started at once all become ready; each migration ran once, built-ins seeded once', async () => {
    const databaseUrl = await createTestDatabase();
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [a, b] = [await freePort(), await freePort()];
      urls.push(`http://127.0.0.1:${a}`, `http://127.0.0.1:${b}`);
      // Each process runs both servers: six applications race for the one migration lock.
      processes.push(
        spawnEntry('all', {
          DATABASE_URL: databaseUrl,
          PORT_A: `${a}`,
          PORT_B: `${b}`,
          ...SIMULATED,
        }),
      );
    }
    await Promise.all(urls.map((url, i) => readyOrDead(processes[i >> 1], url, 240_000)));

    const ran = await sql<{ name: string; n: number }>(
      databaseUrl,
      'SELECT name, COUNT(*)::int AS n FROM migrations GROUP BY name ORDER BY name',
    );
    expect(ran).toEqual(
      MIGRATIONS.map((m) => ({ name: m.name, n: 1 })).sort((x, y) => x.name.localeCompare(y.name)),
    );
    const builtins = await sql<{ server_id: string; rows: number; names: number; newest: number }>(
      databaseUrl,
      `SELECT server_id, COUNT(*)::int AS rows, COUNT(DISTINCT name)::int AS names,
              MAX(version)::int AS newest
         FROM tools WHERE builtin GROUP BY server_id ORDER BY server_id`,
    );
    // One row per tool, never rewritten by the later seeders (version 1: the same content).
    expect(builtins).toEqual([
      { server_id: 'server_a', rows: 3, names: 3, newest: 1 },
      { server_id: 'server_b', rows: 4, names: 4, newest: 1 },
    ]);
    for (const p of processes) expect(p.child.exitCode).toBeNull();
  }, 300_000);

  it('a process waits while another holds the migration lock, and becomes ready once it is released', async () => {
    const databaseUrl = await createTestDatabase();
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      processes.push(
        spawnEntry('server-a', { DATABASE_URL: databaseUrl, PORT_A: `${port}`, ...SIMULATED }),
      );

      // The process is blocked on the same lock: PostgreSQL shows its request waiting, not granted.
      const waiting = async () =>
        (
          await holder.query(
            `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'advisory' AND l.objid = $1 AND NOT l.granted
                AND a.datname = current_database() AND a.pid <> pg_backend_pid()`,
            [MIGRATION_LOCK_KEY],
          )
        ).rowCount === 1;
      expect(await eventually(waiting, 180_000)).toBe(true);
      // While it waits it runs no migration and serves nothing, however long the lock is held.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await isReady(url)).toBe(false);
      expect(await waiting()).toBe(true);
      const tables = await holder.query(`SELECT to_regclass('migrations') AS t`);
      expect(tables.rows[0].t).toBeNull();

      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await readyOrDead(processes[0], url, 180_000);
      const ran = await holder.query('SELECT COUNT(*)::int AS n FROM migrations');
      expect(ran.rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await holder.end();
    }
  }, 420_000);
});
