import { request, type ClientRequest } from 'node:http';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';

const STREAMS = 200;
const LIST_CHANGED = 'notifications/tools/list_changed';

/**
 * Opens one listening stream: the 2025-11-25 GET /mcp event stream, or a 2026-07-28
 * `subscriptions/listen` (resolved once acknowledged). `heard` runs at list_changed.
 */
function openStream(
  base: string,
  kind: 'get' | 'listen',
  id: number,
  heard: () => void,
): Promise<ClientRequest> {
  const { port } = new URL(base);
  const body =
    kind === 'listen'
      ? JSON.stringify({
          jsonrpc: '2.0',
          id: `listen:${id}`,
          method: 'subscriptions/listen',
          params: {
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientInfo': { name: 'e2e', version: '1.0.0' },
              'io.modelcontextprotocol/clientCapabilities': {},
            },
            notifications: { toolsListChanged: true },
          },
        })
      : undefined;
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: body ? 'POST' : 'GET',
        agent: false,
        headers: body
          ? {
              accept: 'application/json, text/event-stream',
              'content-type': 'application/json',
              'mcp-protocol-version': '2026-07-28',
              'mcp-method': 'subscriptions/listen',
            }
          : { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      },
      (res) => {
        if (res.statusCode !== 200) return fail(new Error(`${kind}: ${res.statusCode}`));
        res.setEncoding('utf8');
        let open = !body;
        let told = false;
        if (open) done(req);
        res.on('data', (chunk: string) => {
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
