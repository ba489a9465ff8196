import { request, type ClientRequest } from 'node:http';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

const STREAMS = 200;
const LIST_CHANGED = 'notifications/tools/list_changed';

type StreamKind = 'get' | 'listen';

/**
 * The request that opens one listening stream: the 2025-11-25 GET /mcp event stream, or a
 * 2026-07-28 `subscriptions/listen` with its body.
 */
function streamRequestOf(
  kind: StreamKind,
  id: string,
): {
  method: string;
  headers: Record<string, string>;
  body?: string;
} {
  if (kind === 'get') {
    return {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    };
  }
  return {
    method: 'POST',
    headers: {
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'subscriptions/listen',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'subscriptions/listen',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'e2e', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
        notifications: { toolsListChanged: true },
      },
    }),
  };
}

/**
 * Opens one listening stream (resolved once open; a subscription once acknowledged). `heard`
 * runs at list_changed; `read`, if given, gets everything the stream carries.
 */
function openStream(
  base: string,
  kind: StreamKind,
  id: number,
  heard: () => void,
  read?: (chunk: string) => void,
): Promise<ClientRequest> {
  const { port } = new URL(base);
  const { method, headers, body } = streamRequestOf(kind, `listen:${id}`);
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/mcp', method, agent: false, headers },
      (res) => {
        if (res.statusCode !== 200) return fail(new Error(`${kind}: ${res.statusCode}`));
        res.setEncoding('utf8');
        let open = !body;
        let told = false;
        if (open) done(req);
        res.on('data', (chunk: string) => {
          read?.(chunk);
          if (!open && chunk.includes('notifications/subscriptions/acknowledged')) {
            open = true;
            done(req);
          }
          if (!told && chunk.includes(LIST_CHANGED)) {
            told = true;
            heard();
          }
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** The same request as {@link openStream}, with fetch: for the answers that are not a stream. */
function streamRequest(base: string, kind: StreamKind): Promise<Response> {
  return fetch(`${base}/mcp`, streamRequestOf(kind, 'over'));
}

describe('many MCP listeners on one process', () => {
  let servers: TestServers;
  const streams: ClientRequest[] = [];

  beforeAll(async () => {
    servers = await startTestServers(await createTestDatabase(), {}, ['b']);
  });
  afterAll(async () => {
    streams.forEach((s) => s.destroy());
    await servers?.stop();
  });

  it(`announces one registration to all ${STREAMS} open streams (GET and subscriptions/listen)`, async () => {
    let heard = 0;
    let everyone!: () => void;
    const all = new Promise<void>((r) => (everyone = r));
    const onHeard = () => {
      if (++heard === STREAMS) everyone();
    };
    for (let i = 0; i < STREAMS; i += 50) {
      streams.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            openStream(servers.b, (i + j) % 2 ? 'listen' : 'get', i + j, onHeard),
          ),
        )),
      );
    }
    expect(streams).toHaveLength(STREAMS);
    expect(heard).toBe(0);
    const created = await http('POST', `${servers.b}/tools`, {
      name: 'for_every_listener',
      description: 'announced once to each stream',
    });
    expect(created.status).toBe(201);
    await all;
    expect(heard).toBe(STREAMS);
  });
});

describe('MCP_MAX_STREAMS', () => {
  let servers: TestServers;
  const streams: ClientRequest[] = [];

  beforeAll(async () => {
    servers = await startTestServers(await createTestDatabase(), { MCP_MAX_STREAMS: '3' }, ['b']);
  });
  afterAll(async () => {
    streams.forEach((s) => s.destroy());
    await servers?.stop();
  });

  it('holds that many listening streams of both kinds together, refuses more with 503 and Retry-After, and takes a new one when one closes', async () => {
    for (const [i, kind] of (['get', 'listen', 'get'] as const).entries()) {
      streams.push(await openStream(servers.b, kind, i, () => undefined));
    }
    for (const kind of ['listen', 'get'] as const) {
      const refused = await streamRequest(servers.b, kind);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await refused.json()) as { error: { data: { code: string } } };
      expect(body.error.data.code).toBe('TOO_MANY_STREAMS');
    }
    // Calls are not streams: they are still served.
    const listed = await http('GET', `${servers.b}/tools`);
    expect(listed.status).toBe(200);

    streams.shift()?.destroy();
    const deadline = Date.now() + 5000;
    let reopened: ClientRequest | undefined;
    while (!reopened && Date.now() < deadline) {
      reopened = await openStream(servers.b, 'listen', 9, () => undefined).catch(() => undefined);
      if (!reopened) await new Promise((r) => setTimeout(r, 50));
    }
    expect(reopened).toBeDefined();
    streams.push(reopened!);
  });
});

describe('MCP_KEEP_ALIVE_MS', () => {
  let servers: TestServers;
  const streams: ClientRequest[] = [];

  beforeAll(async () => {
    servers = await startTestServers(await createTestDatabase(), { MCP_KEEP_ALIVE_MS: '1000' }, [
      'b',
    ]);
  });
  afterAll(async () => {
    streams.forEach((s) => s.destroy());
    await servers?.stop();
  });

  it('sends every listening stream of both kinds one keep-alive comment per interval, and the stream still carries changes', async () => {
    const text = { get: '', listen: '' };
    const heard = { get: false, listen: false };
    for (const kind of ['get', 'listen'] as const) {
      streams.push(
        await openStream(
          servers.b,
          kind,
          1,
          () => (heard[kind] = true),
          (chunk) => (text[kind] += chunk),
        ),
      );
    }
    const comments = (kind: StreamKind) => text[kind].match(/^:.*$/gm) ?? [];
    const deadline = Date.now() + 10_000;
    while (Math.min(comments('get').length, comments('listen').length) < 3) {
      if (Date.now() > deadline) throw new Error(`keep-alives: ${JSON.stringify(text)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const kind of ['get', 'listen'] as const) {
      // One comment per interval, of one kind: the SDK's own keep-alive is not sent as well.
      expect(new Set(comments(kind))).toEqual(new Set([': keep-alive']));
      expect(comments(kind).length).toBeLessThanOrEqual(4);
    }
    expect(text.listen).toContain('notifications/subscriptions/acknowledged');

    const created = await http('POST', `${servers.b}/tools`, {
      name: 'after_keep_alives',
      description: 'announced on streams that have had keep-alives',
    });
    expect(created.status).toBe(201);
    const announced = Date.now() + 5000;
    while (!(heard.get && heard.listen) && Date.now() < announced) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(heard).toEqual({ get: true, listen: true });
  });
});
