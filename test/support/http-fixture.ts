import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HttpFixture {
  url: string;
  port: number;
  /** Every request the fixture received, oldest first. */
  received: Received[];
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * A small upstream for HTTP tools, on loopback: echo, slow, failing, huge, text
 * and redirecting endpoints. `redirectTo` answers 302 to the URL in its `to` query.
 */
export async function startHttpFixture(host = '127.0.0.1'): Promise<HttpFixture> {
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const routes: Record<string, Route> = {
    '/echo': (req, res, body) =>
      json(res, 200, {
        method: req.method,
        query: Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams),
        body: body ? (JSON.parse(body) as unknown) : null,
        authorization: req.headers.authorization ?? null,
      }),
    '/slow': (_req, res) => {
      const t = setTimeout(() => json(res, 200, { late: true }), 5000);
      timers.add(t);
      res.on('close', () => clearTimeout(t));
    },
    '/fail': (_req, res) => json(res, 503, { error: 'maintenance' }),
    '/missing': (_req, res) => json(res, 404, { error: 'no such thing' }),
    '/text': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('plain words');
    },
    '/huge': (_req, res) => {
      // Chunked, no Content-Length: the cap must be enforced while reading.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    },
    '/redirect': (req, res) => {
      const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/echo';
      res.writeHead(302, { location: to });
      res.end();
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      received.push({ method: req.method ?? '', path, headers: req.headers, body });
      (routes[path] ?? ((_q, r) => json(r, 404, { error: 'unknown fixture route' })))(
        req,
        res,
        body,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
