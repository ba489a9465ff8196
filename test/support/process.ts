import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** A port that was free a moment ago, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves as soon as the process has printed `text` (stdout or stderr). */
  printed(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `node scripts/run.mjs <target>` as a real process with exactly the given
 * environment (plus PATH and HOME), so no DATABASE_URL leaks in from the test run.
 */
export function spawnEntry(
  target: 'all' | 'server-a' | 'server-b',
  env: Record<string, string>,
  args: string[] = [],
): Spawned {
  return spawnCommand(process.execPath, ['scripts/run.mjs', target, ...args], env);
}

/**
 * Starts any command from the project's folder (or `cwd`) with exactly the given environment (plus
 * PATH and HOME). `group`: as the leader of its own process group, as a shell starts a job,
 * so that the whole group can be signalled (`process.kill(-pid)`), as Ctrl-C does.
 */
export function spawnCommand(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { group?: boolean; cwd?: string } = {},
): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.group ?? false,
  });
  let out = '';
  const listeners = new Set<() => void>();
  const collect = (d: Buffer) => {
    out += d.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  const printed = (text: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!out.includes(text)) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`"${text}" was not printed within ${timeoutMs} ms; output:\n${out}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { child, output: () => out, exited, printed };
}

/** PIDs and command lines of the postgres processes whose data directory is under `dir`. */
export function postgresUnder(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('postgres') && l.includes(dir));
}

/** True when nothing accepts connections on 127.0.0.1:`port`. */
export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Polls `url` until it answers 200, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Sends SIGTERM and waits; SIGKILL after `graceMs` so a failing test leaves nothing behind. */
export async function stopProcess(p: Spawned, graceMs = 10_000): Promise<number | string> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Processes of one server on one database, each on a free port: what the replica tests run. */
export interface Replicas {
  processes: Spawned[];
  ports: number[];
}

/**
 * Starts `count` processes of Server A on `databaseUrl` (simulated market data and news) and
 * waits until every one is ready. If one never gets ready, all are stopped before it throws.
 */
export async function startServerAReplicas(
  databaseUrl: string,
  count: number,
  env: Record<string, string> = {},
): Promise<Replicas> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const processes = ports.map((port) =>
    spawnEntry('server-a', {
      DATABASE_URL: databaseUrl,
      PORT_A: String(port),
      MARKET_DATA_PROVIDER: 'simulated',
      NEWS_PROVIDER: 'simulated',
      ...env,
    }),
  );
  try {
    await Promise.all(ports.map((p) => waitForHttp(`http://127.0.0.1:${p}/health/ready`, 180_000)));
  } catch (err) {
    await Promise.all(processes.map((p) => stopProcess(p)));
    throw err;
  }
  return { processes, ports };
}
