// Builds once, then starts one real PostgreSQL for the whole e2e run (unless DATABASE_URL is
// given); each test file creates its own fresh database on it (see harness.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
  // The product's own embedded-database code (built above), so tests start PostgreSQL as users do.
  const { startEmbeddedDatabase } =
    await import('../../dist/libs/core/src/database/embedded-database.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'mcp-e2e-'));
  const handle = await startEmbeddedDatabase({
    dataDir,
    port: await freePort(),
    settings: {
      max_connections: '400',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
    },
  });
  globalThis.__E2E_PG__ = { handle, dataDir };
  process.env.E2E_ADMIN_DATABASE_URL = handle.url;
}
