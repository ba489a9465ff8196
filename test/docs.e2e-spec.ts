// Runs the documentation: every fenced block of README.md, CONTRIBUTING.md, docs/*.md and
// apps/*/README.md is executed against real servers (real processes, real PostgreSQL, free
// ports) and its answer compared with the one shown, so the pages cannot drift from the code.
// The rules, for the people who write the pages, are in CONTRIBUTING.md ("Documentation").
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import ts from 'typescript';
import {
  CHECKOUT_PLACEHOLDER,
  httpConfigSnippet,
  sdkSnippet,
  type SnippetServer,
  stdioConfigSnippet,
} from '../console/src/snippets.js';
import {
  type Block,
  compareJson,
  normaliseText,
  parseBlocks,
  psqlTable,
  readBlocks,
  shellLines,
  START_LINE,
} from './support/doc-blocks.js';
import { createTestDatabase } from './support/harness.js';
import { freePort, type Spawned, spawnCommand, stopProcess } from './support/process.js';

const ROOT = resolve(import.meta.dirname, '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, 'apps'))
    .filter((d) => existsSync(join(ROOT, 'apps', d, 'README.md')))
    .sort()
    .map((d) => `apps/${d}/README.md`),
].filter((page) => existsSync(join(ROOT, page)));
const SHELL = new Set(['bash', 'sh', 'shell']);
const SERVERS: Record<string, SnippetServer & { builtin: string }> = {
  server_a: {
    server: 'Server A',
    id: 'server_a',
    mcpEndpoint: 'http://127.0.0.1:3001/mcp',
    builtin: 'get_stock_price',
  },
  server_b: {
    server: 'Server B',
    id: 'server_b',
    mcpEndpoint: 'http://127.0.0.1:3002/mcp',
    builtin: 'get_time',
  },
};
/** Commands that run the test suite, the benchmark or a linter: checked to exist, not run here. */
const NOT_RUN = /^npm (?:test|run (?!start:|build\b)([\w:.-]+))(?:\s+--\s+(.*))?\s*(?:#.*)?$/;
/** How long a server started by a block may take (a cold start on a loaded machine is slow). */
const STARTUP_MS = 150_000;
const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };

const blocks = PAGES.map((page) => ({ page, blocks: readBlocks(page, join(ROOT, page)) }));
/** What the docs hold and this test did with it, printed at the end. */
const tally = { commands: 0, programs: 0, sql: 0, clientConfigs: 0, excerpts: 0, skipped: 0 };

/** The state of one page: its database, its servers, the variables its commands set. */
class PageRun {
  readonly workdir = mkdtempSync(join(tmpdir(), 'doc-page-'));
  env: Record<string, string> = {};
  private server?: Spawned;
  private ports = { a: 0, b: 0 };

  constructor(readonly databaseUrl: string) {}

  /** The page's commands, pointed at this run's ports instead of 3001 and 3002. */
  rewrite(text: string): string {
    return text.replace(
      /(localhost|127\.0\.0\.1|\[::1\]):(3001|3002)\b/g,
      (_, host: string, port: string) => `${host}:${port === '3001' ? this.ports.a : this.ports.b}`,
    );
  }

  /** Output as it would read on the documented ports. */
  unrewrite(text: string): string {
    return text
      .replace(new RegExp(`\\b${this.ports.a}\\b`, 'g'), '3001')
      .replace(new RegExp(`\\b${this.ports.b}\\b`, 'g'), '3002');
  }

  private async choosePorts(): Promise<void> {
    if (this.ports.a === 0) this.ports = { a: await freePort(), b: await freePort() };
  }

  private processEnv(vars: Record<string, string>): Record<string, string> {
    return {
      ...BASE_ENV,
      LOG_LEVEL: 'warn',
      PORT_A: String(this.ports.a),
      PORT_B: String(this.ports.b),
      ...this.env,
      ...vars,
      // Never the embedded database of the checkout: the page's own.
      DATABASE_URL: this.databaseUrl,
    };
  }

  /** `[VARS] npm start` (or one server): the real entry point, as a user starts it. */
  async start(
    target: 'all' | 'server-a' | 'server-b',
    vars: Record<string, string>,
  ): Promise<void> {
    await this.stop();
    await this.choosePorts();
    this.server = spawnCommand(
      process.execPath,
      [join(ROOT, 'scripts/run.mjs'), target],
      this.processEnv(vars),
      { cwd: this.workdir },
    );
    const ports =
      target === 'all'
        ? [this.ports.a, this.ports.b]
        : [target === 'server-a' ? this.ports.a : this.ports.b];
    for (const port of ports) await listening(port, this.server);
    this.env = { ...this.env, ...vars };
  }

  /** A start the page shows failing: its output, once the process has exited. */
  async failingStart(target: 'all' | 'server-a' | 'server-b', vars: Record<string, string>) {
    await this.choosePorts();
    const spawned = spawnCommand(
      process.execPath,
      [join(ROOT, 'scripts/run.mjs'), target],
      this.processEnv(vars),
      { cwd: this.workdir },
    );
    const timer = setTimeout(() => spawned.child.kill('SIGTERM'), 60_000);
    const code = await spawned.exited;
    clearTimeout(timer);
    return { code, output: spawned.output() };
  }

  /** Servers as `npm start` runs them, unless the page started its own. */
  async ensureServers(): Promise<void> {
    if (!this.server) await this.start('all', {});
  }

  /** Runs shell lines with the page's variables, in the page's working directory. */
  async shell(script: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
    const child = spawn('bash', ['-e', '-c', script], {
      cwd: this.workdir,
      env: { ...BASE_ENV, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | string>((done) =>
      child.once('exit', (c, s) => done(c ?? s ?? -1)),
    );
    clearTimeout(timer);
    return { code, stdout: this.unrewrite(stdout), stderr };
  }

  /** The variables `export NAME=...` lines or `NAME=value` prefixes set, as bash reads them. */
  async variables(lines: string[]): Promise<Record<string, string>> {
    const given: Record<string, string> = { ...BASE_ENV, ...this.env };
    const dump = `'${process.execPath}' -e 'process.stdout.write(JSON.stringify(process.env))'`;
    const { code, stdout, stderr } = await this.shell(['set -a', ...lines, dump].join('\n'));
    if (code !== 0)
      throw new Error(`could not read the variables of ${lines.join('; ')}: ${stderr}`);
    const after = JSON.parse(stdout) as Record<string, string>;
    const ignored = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD']);
    return Object.fromEntries(
      Object.entries(after).filter(([k, v]) => !ignored.has(k) && given[k] !== v),
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const code = await stopProcess(server);
    if (code !== 0) throw new Error(`the servers exited ${code} when stopped:\n${server.output()}`);
  }

  async close(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.workdir, { recursive: true, force: true });
    }
  }
}

/** Resolves once `port` accepts connections; fails if the process ends first or after STARTUP_MS. */
async function listening(port: number, server: Spawned): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  let ended: number | string | undefined;
  void server.exited.then((code) => (ended = code));
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`the servers exited (${ended}):\n${server.output()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listened on ${port} within ${STARTUP_MS} ms:\n${server.output()}`);
}

function where(block: Block): string {
  return `${block.page}:${block.line}`;
}

/** Checks a command's output against the block's answer, if it has one. */
function checkAnswer(block: Block, output: string): void {
  const answer = block.answer;
  if (!answer) return;
  if (answer.lang === 'json') {
    let actual: unknown;
    try {
      actual = JSON.parse(output);
    } catch {
      throw new Error(`${where(block)}: the command printed no JSON:\n${output}`);
    }
    const vary = new Set(block.marker?.kind === 'vary' ? block.marker.fields : []);
    const problems = compareJson(actual, JSON.parse(answer.text), vary);
    if (problems.length > 0) {
      throw new Error(
        `${where(block)}: the answer differs from ${where(answer)}:\n${problems.join('\n')}\n\nprinted:\n${JSON.stringify(actual, null, 2)}`,
      );
    }
  } else {
    expect(`${where(block)}\n${normaliseText(output)}`).toBe(
      `${where(block)}\n${normaliseText(answer.text)}`,
    );
  }
}

async function runShellBlock(run: PageRun, block: Block): Promise<void> {
  tally.commands++;
  let output = '';
  let group: string[] = [];
  const flush = async () => {
    if (group.length === 0) return;
    await run.ensureServers();
    const script = run.rewrite(group.join('\n'));
    const result = await run.shell(script);
    if (result.code !== 0) {
      throw new Error(
        `${where(block)}: exited ${result.code}\n${script}\n${result.stdout}${result.stderr}`,
      );
    }
    output += result.stdout;
    group = [];
  };
  for (const line of shellLines(block.text)) {
    const start = START_LINE.exec(line);
    const notRun = NOT_RUN.exec(line);
    if (line === 'npm ci' || line === 'npm run build') {
      // The test runs in an installed checkout that the e2e set-up has built.
      continue;
    } else if (start) {
      await flush();
      const vars = start[1].trim() ? await run.variables([start[1].trim()]) : {};
      const target = (start[2] as 'server-a' | 'server-b' | undefined) ?? 'all';
      if (block.answer?.lang === 'text') {
        const { code, output: printed } = await run.failingStart(target, vars);
        expect(code).not.toBe(0);
        expect(normaliseText(printed)).toContain(normaliseText(block.answer.text));
        return;
      }
      await run.start(target, vars);
    } else if (notRun) {
      const [, script, args] = notRun;
      if (script)
        expect(`${where(block)} npm run ${script}: ${script in PACKAGE.scripts}`).toBe(
          `${where(block)} npm run ${script}: true`,
        );
      for (const path of (args ?? '').split(/\s+/).filter((a) => /^[\w./-]+\.\w+$/.test(a))) {
        expect(`${where(block)} ${path}: ${existsSync(join(ROOT, path))}`).toBe(
          `${where(block)} ${path}: true`,
        );
      }
    } else if (/^export [A-Z_][A-Z0-9_]*=/.test(line)) {
      await flush();
      run.env = { ...run.env, ...(await run.variables([line])) };
    } else {
      group.push(line);
    }
  }
  await flush();
  checkAnswer(block, output);
}

/** A TypeScript program of the docs (it imports something): transpiled and run with Node. */
async function runProgram(run: PageRun, block: Block): Promise<void> {
  await run.ensureServers();
  const dir = mkdtempSync(join(tmpdir(), 'doc-program-'));
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const { outputText } = ts.transpileModule(run.rewrite(block.text), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, 'program.mjs'), outputText);
    const result = await run.shell(`'${process.execPath}' '${join(dir, 'program.mjs')}'`);
    if (result.code !== 0)
      throw new Error(`${where(block)}: exited ${result.code}\n${result.stderr}`);
    checkAnswer(block, result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SQL of the docs, run on the page's database; rows in order only when the query orders them. */
async function runSql(run: PageRun, block: Block): Promise<void> {
  await run.ensureServers();
  const client = new pg.Client({ connectionString: run.databaseUrl });
  await client.connect();
  try {
    const statements = block.text
      .replace(/--.*$/gm, '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    const tables: string[] = [];
    for (const statement of statements) {
      const result = await client.query(statement);
      const fields = result.fields.map((f) => f.name);
      const rows = /\border\s+by\b/i.test(statement)
        ? result.rows
        : [...result.rows].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
      tables.push(psqlTable(rows as Array<Record<string, unknown>>, fields));
    }
    checkAnswer(block, tables.join('\n\n'));
  } finally {
    await client.end();
  }
}

/** An MCP client configuration: each server in it is started or reached and lists its tools. */
async function runClientConfig(run: PageRun, block: Block): Promise<void> {
  const config = JSON.parse(block.text) as {
    mcpServers: Record<string, { command?: string; args?: string[]; url?: string; type?: string }>;
  };
  const entries = Object.entries(config.mcpServers);
  expect(entries.length).toBeGreaterThan(0);
  for (const [id, entry] of entries) {
    const known = SERVERS[id];
    const client = new Client({ name: 'docs-test', version: '1.0.0' });
    // A desktop client's working directory is never the checkout.
    const elsewhere = mkdtempSync(join(tmpdir(), 'doc-client-'));
    try {
      if (entry.command) {
        // The console's snippet, character for character, when the block shows one server.
        if (known && entries.length === 1) expect(block.text).toBe(stdioConfigSnippet(known));
        await client.connect(
          new StdioClientTransport({
            command: entry.command,
            args: (entry.args ?? []).map((a) => a.replaceAll(CHECKOUT_PLACEHOLDER, ROOT)),
            cwd: elsewhere,
            env: { ...BASE_ENV, LOG_LEVEL: 'warn', DATABASE_URL: run.databaseUrl },
            stderr: 'ignore',
          }),
          { timeout: STARTUP_MS },
        );
      } else {
        if (known && entries.length === 1) expect(block.text).toBe(httpConfigSnippet(known));
        await run.ensureServers();
        await client.connect(
          new StreamableHTTPClientTransport(new URL(run.rewrite(entry.url ?? ''))),
          { timeout: STARTUP_MS },
        );
      }
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names.length).toBeGreaterThan(0);
      if (known) expect(names).toContain(known.builtin);
    } finally {
      await client.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }
}

/** Each line of the block appears in the file, in the same order. */
function checkExcerpt(block: Block, path: string): void {
  const file = readFileSync(join(ROOT, path), 'utf8')
    .split('\n')
    .map((l) => l.trim());
  let at = 0;
  for (const line of block.text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const found = file.indexOf(line, at);
    expect(`${where(block)} ${found >= 0 ? 'found' : 'missing'} in ${path}: ${line}`).toBe(
      `${where(block)} found in ${path}: ${line}`,
    );
    at = found + 1;
  }
}

async function runBlock(run: PageRun, block: Block): Promise<void> {
  const marker = block.marker;
  if (marker?.kind === 'skip') {
    tally.skipped++;
    expect(marker.reason.length).toBeGreaterThanOrEqual(15);
    return;
  }
  if (marker?.kind === 'excerpt') {
    tally.excerpts++;
    return checkExcerpt(block, marker.path);
  }
  if (SHELL.has(block.lang)) return runShellBlock(run, block);
  if (block.lang === 'ts' && /^import /m.test(block.text)) {
    tally.programs++;
    return runProgram(run, block);
  }
  if (block.lang === 'sql') {
    tally.sql++;
    return runSql(run, block);
  }
  if (block.lang === 'json' && /"mcpServers"/.test(block.text)) {
    tally.clientConfigs++;
    return runClientConfig(run, block);
  }
  throw new Error(
    `${where(block)}: a \`\`\`${block.lang} block with nothing to check it: make it the answer of a command, or mark it (CONTRIBUTING.md, "Documentation")`,
  );
}

describe('the documentation, run', () => {
  afterAll(() => {
    process.stdout.write(`docs test: ${JSON.stringify(tally)}\n`);
  });

  describe.each(blocks)('$page', ({ page, blocks: pageBlocks }) => {
    const runnable = pageBlocks.filter((b) => !b.isAnswer && b.lang !== '');
    // A page is one test: its blocks build on each other, so they run top to bottom in whatever
    // order the tests are shuffled, and `-t <page>` runs a whole page. Every block runs; the
    // failures are reported together, each with its line. A page of prose and pictures only has
    // nothing to run but its links.
    if (runnable.length > 0)
      it(
        `runs its ${runnable.length} blocks top to bottom`,
        async () => {
          const run = new PageRun(await createTestDatabase());
          const failures: string[] = [];
          const failed = (err: unknown, at: string) => {
            const message = err instanceof Error ? err.message : String(err);
            failures.push(message.startsWith(at) ? message : `${at}: ${message}`);
          };
          for (const block of runnable) {
            await runBlock(run, block).catch((err: unknown) => failed(err, where(block)));
          }
          await run.close().catch((err: unknown) => failed(err, `${page} (after its blocks)`));
          if (failures.length > 0) {
            throw new Error(
              `${page}: ${failures.length} failure(s) running its ${runnable.length} blocks:\n\n${failures.join('\n\n')}`,
            );
          }
        },
        300_000 * runnable.length,
      );

    it('links only to files that exist', () => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      const missing = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1].split('#')[0])
        .filter((target) => target && !/^[a-z]+:/.test(target))
        .filter((target) => !existsSync(resolve(ROOT, dirname(page), target)));
      expect(missing).toEqual([]);
    });
  });

  it.each([['README.md'], ['docs/mcp-clients.md']])(
    "%s shows the console's stdio configuration and TypeScript program for Server A",
    (page) => {
      const texts = blocks.find((p) => p.page === page)?.blocks.map((b) => b.text) ?? [];
      expect(texts).toContain(stdioConfigSnippet(SERVERS.server_a));
      expect(texts).toContain(sdkSnippet(SERVERS.server_a));
    },
  );
});

describe('the documentation checker', () => {
  it('pairs a command with the JSON right after it, and reads markers', () => {
    const page = [
      '<!-- doc-test: vary price -->',
      '```bash',
      'curl x',
      '```',
      '',
      '```json',
      '{"a":1}',
      '```',
      'prose',
      '```json',
      '{"b":2}',
      '```',
    ].join('\n');
    const [command, answer, alone] = parseBlocks('p.md', page);
    expect(command.marker).toEqual({ kind: 'vary', fields: ['price'] });
    expect(command.answer).toBe(answer);
    expect(answer.isAnswer).toBe(true);
    expect(alone.isAnswer).toBe(false);
  });

  it('finds a changed value, a missing or extra field, and a shorter array', () => {
    expect(compareJson({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toEqual([]);
    expect(compareJson({ a: 2 }, { a: 1 })).toEqual(['$.a: expected 1, got 2']);
    expect(compareJson({ a: 1, extra: true }, { a: 1 })).toEqual([
      '$.extra: not in the documented answer',
    ]);
    expect(compareJson({}, { a: 1 })).toEqual(['$.a: missing']);
    expect(compareJson([1], [1, 2])).toEqual(['$: expected 2 items, got 1']);
  });

  it('lets volatile fields, elided keys and elided items differ', () => {
    expect(
      compareJson(
        { timestamp: 'now', price: 3 },
        { timestamp: 'then', price: 2 },
        new Set(['price']),
      ),
    ).toEqual([]);
    expect(compareJson({ timestamp: 5 }, { timestamp: 'then' })).toHaveLength(1);
    expect(compareJson({ a: 1, b: 2 }, { a: 1, '...': '...' })).toEqual([]);
    expect(compareJson([1, 2, 3], [1, '...'])).toEqual([]);
  });

  it('reads a multi-line curl as one command, and a start line with its variables', () => {
    expect(shellLines('# c\ncurl -X POST x \\\n  -d \'{\n  "a": 1\n}\'\necho ok')).toEqual([
      `curl -X POST x    -d '{\n  "a": 1\n}'`,
      'echo ok',
    ]);
    expect(START_LINE.exec('PORT_A=abc npm start')?.[1]).toBe('PORT_A=abc ');
    expect(START_LINE.exec('npm run start:server-b')?.[2]).toBe('server-b');
    expect(START_LINE.exec('npm test')).toBeNull();
  });

  it('prints rows as psql does', () => {
    expect(psqlTable([{ server_id: 'server_a', count: '3' }], ['server_id', 'count'])).toBe(
      [' server_id | count ', '-----------+-------', ' server_a  |     3 ', '(1 row)'].join('\n'),
    );
  });
});
