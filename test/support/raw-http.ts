import { request } from 'node:http';

/** What a bare request got back: the status and the body as text. */
export interface RawAnswer {
  status: number;
  body: string;
}

/**
 * A bare HTTP request: the path goes out byte for byte (so `%00`, `%2F` and `..` reach the
 * router as sent), and odd methods, raw bytes and unusual headers reach the server as given.
 * A listening stream (an event stream, such as GET /mcp) stays open by design: its status is
 * the answer, and it is closed at once.
 */
export function sendRaw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, method, path, headers, agent: false, timeout: 15_000 },
      (res) => {
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, body: '' });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
