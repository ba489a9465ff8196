import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebResponse, webRequestOf } from './node-web-bridge.js';

/** A loopback server answering every request with `handle`; closed after each test. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('webRequestOf', () => {
  it('carries the method, the URL on its Host and every header, repeated ones too, and no body', async () => {
    let seen: Request | undefined;
    const server = await serve((req, res) => {
      seen = webRequestOf(req, new AbortController().signal);
      res.end();
    });
    close = server.close;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/mcp?x=1`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Twice': ['a', 'b'] },
      });
      req.on('response', (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end('{"jsonrpc":"2.0"}');
    });
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe(`${server.url}/mcp?x=1`);
    expect(seen?.headers.get('content-type')).toBe('application/json');
    expect(seen?.headers.get('x-twice')).toBe('a, b');
    expect(seen?.body).toBeNull();
  });

  it('is on localhost when the Host header is no valid authority', () => {
    const req = {
      method: 'GET',
      url: '/mcp',
      headers: { host: 'bad host' },
      rawHeaders: ['Host', 'bad host'],
    } as unknown as IncomingMessage;
    const web = webRequestOf(req, new AbortController().signal);
    expect(web.url).toBe('http://localhost/mcp');
    expect(web.headers.get('host')).toBe('bad host');
  });

  it("aborts the Request's signal when the given signal aborts", () => {
    const req = { method: 'GET', url: '/', headers: {}, rawHeaders: [] };
    const gone = new AbortController();
    const web = webRequestOf(req as unknown as IncomingMessage, gone.signal);
    expect(web.signal.aborted).toBe(false);
    gone.abort();
    expect(web.signal.aborted).toBe(true);
  });
});

describe('sendWebResponse', () => {
  it('writes a JSON answer with its status, headers and length, not chunked', async () => {
    const json = { jsonrpc: '2.0', id: 1, result: { text: 'ünïcode' } };
    const server = await serve((_req, res) => {
      void sendWebResponse(Response.json(json, { status: 202, headers: { 'x-a': '1' } }), res);
    });
    close = server.close;
    const res = await fetch(server.url);
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-a')).toBe('1');
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(JSON.stringify(json)));
    expect(await res.json()).toEqual(json);
  });

  it('writes an answer without a body as an empty one', async () => {
    const server = await serve((_req, res) => {
      void sendWebResponse(new Response(null, { status: 405, headers: { allow: 'POST' } }), res);
    });
    close = server.close;
    const res = await fetch(server.url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.headers.get('content-length')).toBe('0');
    expect(await res.text()).toBe('');
  });

  it('streams an event stream as it comes, and cancels it when the client goes away', async () => {
    let push!: (frame: string) => void;
    let cancelled!: () => void;
    const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    const server = await serve((_req, res) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (frame) => controller.enqueue(new TextEncoder().encode(frame));
        },
        cancel: () => cancelled(),
      });
      void sendWebResponse(
        new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
        res,
      );
    });
    close = server.close;
    const client = new AbortController();
    const res = await fetch(server.url, { signal: client.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    push('event: message\ndata: {"n":1}\n\n');
    const first = await reader.read();
    // The first frame arrives while the stream is still open.
    expect(new TextDecoder().decode(first.value)).toContain('"n":1');
    client.abort();
    await wasCancelled;
  });
});
