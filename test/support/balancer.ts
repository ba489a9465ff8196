import { createServer, request, type Server } from 'node:http';
import { freePort } from './process.js';

export interface Balancer {
  url: string;
  close(): Promise<void>;
}

/**
 * A plain round-robin HTTP balancer on 127.0.0.1 (no sticky sessions), like the nginx example
 * in the operations guide: each request goes to the next upstream port in turn.
 */
export async function startRoundRobin(upstreams: number[]): Promise<Balancer> {
  let next = 0;
  const server: Server = createServer((req, res) => {
    const port = upstreams[next++ % upstreams.length];
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
