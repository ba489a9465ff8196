import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  portClosed,
  postgresUnder,
  spawnCommand,
  waitForHttp,
  type Spawned,
} from './support/process.js';

/** How long a stop may take here: the default grace (5 s) plus closing, on a loaded machine. */
const STOP_WITHIN_MS = 30_000;

/** True while any process of the group `pgid` is alive (signal 0 only asks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of `parent`'s one child process (the node under npm, once the shell has exec'd it). */
function childOf(parent: number): number {
  const pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' })
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((pid) => pid > 0);
  expect(pids).toHaveLength(1);
  return pids[0];
}

interface Started {
  proc: Spawned;
  ports: number[];
  dataDir: string;
}

/**
 * A run of `command` as a user would start it: its own process group (like a terminal job),
 * free ports, a fresh data folder with its own embedded PostgreSQL; resolves once every
 * server answers /health.
 */
async function start(
  command: string,
  args: string[],
  servers: Array<'A' | 'B'>,
  dirs: string[],
): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcp-signals-'));
  dirs.push(dataDir);
  const [portA, portB, dbPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const proc = spawnCommand(
    command,
    args,
    {
      DATA_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      PORT_A: String(portA),
      PORT_B: String(portB),
      MARKET_DATA_PROVIDER: 'simulated',
      NEWS_PROVIDER: 'simulated',
      WEATHER_PROVIDER: 'simulated',
      LOG_LEVEL: 'info',
    },
    { group: true },
  );
  const ports = servers.map((s) => (s === 'A' ? portA : portB));
  try {
    for (const port of ports) await waitForHttp(`http://127.0.0.1:${port}/health`, 240_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${proc.output()}`, { cause: err });
  }
  expect(postgresUnder(dataDir).length).toBeGreaterThan(0);
  return { proc, ports: [...ports, dbPort], dataDir };
}

/** Waits for the run to end, then checks nothing of it is left: processes, ports, PostgreSQL. */
async function expectStoppedCleanly({ proc, ports, dataDir }: Started): Promise<void> {
  const pgid = proc.child.pid!;
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    proc.exited,
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('still running'), STOP_WITHIN_MS);
    }),
  ]);
  clearTimeout(timer);
  expect({ code, output: code === 0 ? '' : proc.output() }).toEqual({ code: 0, output: '' });
  expect(proc.output()).toContain('stopped');
  expect(groupAlive(pgid)).toBe(false);
  expect(postgresUnder(dataDir)).toEqual([]);
  for (const port of ports) expect(await portClosed(port)).toBe(true);
}

describe('Stopping works however it is asked (real processes, own process group)', () => {
  const runs: Started[] = [];
  const dirs: string[] = [];

  afterAll(() => {
    // A failed case must leave nothing behind: its whole group goes.
    for (const { proc } of runs) {
      if (groupAlive(proc.child.pid!)) process.kill(-proc.child.pid!, 'SIGKILL');
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const npmStart = async () => {
    const run = await start('npm', ['start'], ['A', 'B'], dirs);
    runs.push(run);
    return run;
  };

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '`npm start`, %s to npm: the servers and PostgreSQL stop, npm exits 0',
    async (signal) => {
      const run = await npmStart();
      process.kill(run.proc.child.pid!, signal);
      await expectStoppedCleanly(run);
    },
    300_000,
  );

  it('`npm start`, SIGTERM to the node process under npm: everything stops, npm exits 0', async () => {
    const run = await npmStart();
    process.kill(childOf(run.proc.child.pid!), 'SIGTERM');
    await expectStoppedCleanly(run);
  }, 300_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '`npm start`, %s to the whole process group (a container stop, Ctrl-C): everything stops once',
    async (signal) => {
      const run = await npmStart();
      process.kill(-run.proc.child.pid!, signal);
      await expectStoppedCleanly(run);
      expect(run.proc.output().match(/received, shutting down/g)).toHaveLength(1);
    },
    300_000,
  );

  it('`nest start server-a`, Ctrl-C (SIGINT to the group): the server and PostgreSQL stop', async () => {
    // The project's own Nest CLI, as `npx nest` finds it (without npx's extra shell).
    const run = await start('node_modules/.bin/nest', ['start', 'server-a'], ['A'], dirs);
    runs.push(run);
    process.kill(-run.proc.child.pid!, 'SIGINT');
    await expectStoppedCleanly(run);
  }, 400_000);
});
