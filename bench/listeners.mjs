// Many MCP listeners on one process: opens `count` listening streams (half the 2025-11-25
// GET /mcp event stream, half 2026-07-28 `subscriptions/listen`), measures the server's memory
// per open stream from outside (resident memory from /proc right after opening and once the
// process has settled, long-lived heap from /metrics),
// registers one tool over REST and times until every stream has received
// notifications/tools/list_changed. Used by bench/run.mjs; a measurement, not a test.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PROTOCOL = '2026-07-28';
const LIST_CHANGED = 'notifications/tools/list_changed';

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** Heap held by long-lived objects (V8's old and large-object spaces), from /metrics. */
export async function longLivedHeap(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let bytes = 0;
  for (const space of ['old', 'large_object']) {
    const line = text
      .split('\n')
      .find(
        (l) => l.startsWith('nodejs_heap_space_size_used_bytes{') && l.includes(`space="${space}"`),
      );
    if (!line) return NaN;
    bytes += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return bytes;
}

/**
 * How the resident memory of `pid` comes down once nothing happens: sampled from /proc every
 * second for `ms` (the process gets no request meanwhile). Opening thousands of streams leaves
 * garbage in V8's old space; V8 gives it back when its memory reducer finds the process idle,
 * typically 30–60 s later. Returns the least value seen and when it was first within 1% of it.
 */
export async function settlingMemory(pid, ms = 90_000) {
  const samples = [];
  const start = Date.now();
  for (const end = start + ms; Date.now() < end; await sleep(1000)) {
    samples.push({ at: Date.now() - start, rss: rssOf(pid) });
  }
  const least = Math.min(...samples.map((s) => s.rss));
  return { rss: least, afterMs: samples.find((s) => s.rss <= least * 1.01).at };
}

/**
 * Resident memory and long-lived heap once they have settled: the least of each over `ms`,
 * sampled every second. The heap figure counts garbage until a major collection finds it, and
 * V8 runs one on an idle process within seconds, so the least value is the memory really held.
 */
export async function settledMemory(pid, url, ms = 10_000) {
  let rss = Infinity;
  let heap = Infinity;
  for (const end = Date.now() + ms; Date.now() < end; await sleep(1000)) {
    rss = Math.min(rss, rssOf(pid));
    heap = Math.min(heap, await longLivedHeap(url));
  }
  return { rss, heap };
}

const LISTEN_BODY = (id) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'subscriptions/listen',
    params: {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': PROTOCOL,
        'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
      notifications: { toolsListChanged: true },
    },
  });

/**
 * Opens one listening stream; resolves once the server has answered 200 (and, for a
 * subscription, acknowledged it). `onChange` runs when list_changed arrives on it.
 */
function openStream(port, kind, id, onChange) {
  return new Promise((done, fail) => {
    const modern = kind === 'listen';
    const body = modern ? LISTEN_BODY(`listen:${id}`) : undefined;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: modern ? 'POST' : 'GET',
        agent: false,
        headers: modern
          ? {
              accept: 'application/json, text/event-stream',
              'content-type': 'application/json',
              'mcp-protocol-version': PROTOCOL,
              'mcp-method': 'subscriptions/listen',
              'content-length': Buffer.byteLength(body),
            }
          : { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          fail(new Error(`${kind} stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let acknowledged = !modern;
        let heard = false;
        if (acknowledged) done(req);
        res.on('data', (chunk) => {
          if (!acknowledged && chunk.includes('notifications/subscriptions/acknowledged')) {
            acknowledged = true;
            done(req);
          }
          if (!heard && chunk.includes(LIST_CHANGED)) {
            heard = true;
            onChange();
          }
        });
      },
    );
    req.on('error', (err) => fail(err));
    req.end(body);
  });
}

/**
 * Opens `count` listening streams on the project at `url` (process `pid`), then registers a
 * tool and times delivery to all of them. Returns the counts, memory and delivery time.
 */
export async function listeningStreams(
  { url, pid },
  count,
  log = () => {},
  { only, beforeOpen, afterOpen, settleMs } = {},
) {
  const { port } = new URL(url);
  // Warm-up: what the first streams load once (modules, compiled code) is not per stream.
  const warm = await Promise.all(
    Array.from({ length: 100 }, (_, i) => openStream(port, i % 2 ? 'listen' : 'get', -i, () => {})),
  );
  warm.forEach((r) => r.destroy());
  await beforeOpen?.();
  // The baseline settles as the figure after opening will: otherwise whether V8 had already
  // shrunk its young generation before the streams opened moves the result by 1-2 KB a stream.
  log(`  waiting ${Math.round((settleMs ?? 90_000) / 1000)} s for the process to settle`);
  const baseline = await settlingMemory(pid, settleMs);
  const before = { ...(await settledMemory(pid, url, 1_000)), rss: baseline.rss };
  const streams = [];
  let received = 0;
  let lastAt = 0;
  let allHeard;
  const everyone = new Promise((r) => (allHeard = r));
  const onChange = () => {
    received++;
    lastAt = performance.now();
    if (received === count) allHeard();
  };
  const kinds = { get: 0, listen: 0 };
  try {
    for (let i = 0; i < count; i += 100) {
      const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => {
        const kind = only ?? ((i + j) % 2 === 0 ? 'get' : 'listen');
        kinds[kind]++;
        return openStream(port, kind, i + j, onChange);
      });
      streams.push(...(await Promise.all(batch)));
      log(`  ${streams.length} streams open`);
    }
  } catch (err) {
    streams.forEach((r) => r.destroy());
    return { skipped: `${err.message} after ${streams.length} streams` };
  }
  const opened = await settledMemory(pid, url, 5_000);
  log(`  waiting ${Math.round((settleMs ?? 90_000) / 1000)} s for the process to settle`);
  const settled = await settlingMemory(pid, settleMs);
  const after = await settledMemory(pid, url, 1_000);
  await afterOpen?.();
  const name = `bench_listener_${Date.now()}`;
  const started = performance.now();
  const created = await fetch(`${url}/tools`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, description: 'announced to every listener' }),
  });
  await created.arrayBuffer();
  const timeout = sleep(30_000).then(() => 'timeout');
  await Promise.race([everyone, timeout]);
  const deliveryMs = received > 0 ? lastAt - started : NaN;
  streams.forEach((r) => r.destroy());
  return {
    streams: streams.length,
    kinds,
    registered: created.status,
    received,
    deliveryMs,
    rssPerStreamAtOpen: (opened.rss - before.rss) / streams.length,
    rssPerStream: (settled.rss - before.rss) / streams.length,
    settledAfterMs: settled.afterMs,
    heapPerStream: (after.heap - before.heap) / streams.length,
    rssBefore: before.rss,
    rssTotal: settled.rss,
  };
}
