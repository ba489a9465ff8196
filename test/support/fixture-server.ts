import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FixtureHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request path (with query) received, in order. */
  requests: string[];
  /** Replaces the handler; tests switch an upstream's behaviour between cases. */
  handle(handler: FixtureHandler): void;
  close(): Promise<void>;
}

/**
 * A stand-in for a public service on 127.0.0.1: tests point the real provider code at it
 * and make it answer in the service's real format (or fail in the ways the service fails).
 */
export async function startFixtureServer(handler: FixtureHandler): Promise<FixtureServer> {
  let current = handler;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    current(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a body with a status and content type. */
export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A port on 127.0.0.1 where nothing listens (connection refused), like a service that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
