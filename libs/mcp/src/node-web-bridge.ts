import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/*
 * The SDK's HTTP entry (`createMcpHandler`) speaks web `Request`/`Response`. Its own Node
 * adapter (`toNodeHandler` from @modelcontextprotocol/node) is built for a body it reads
 * itself: given an already parsed body it serialises it again into a body stream of the
 * web Request, which the SDK never reads when `parsedBody` is passed, and it writes every
 * answer chunk by chunk, a JSON answer included. Measured on the tools/call hot path, that
 * was about a fifth of the request's CPU time. These two functions do the same conversion
 * for a request whose JSON body the pipeline has already parsed; the protocol, every
 * answer's status, headers and bytes, stay the SDK's.
 */

/**
 * The web Request the SDK sees for `req`: method, URL and headers, no body (the SDK takes the
 * parsed one as `parsedBody`, and refuses a POST that is not JSON with 415 without reading
 * it). `signal` tells the SDK the client has gone, which ends the exchange and its handlers.
 */
export function webRequestOf(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    // HTTP/2 pseudo-headers (`:authority`) are not header names a Request accepts.
    if (raw[i].charCodeAt(0) !== 58) headers.append(raw[i], raw[i + 1]);
  }
  return new Request(urlOf(req), { method: req.method ?? 'GET', headers, signal });
}

/**
 * Writes the SDK's answer to `res`: a JSON (or empty) answer in one write with its length,
 * an event stream as it comes, with backpressure, until the SDK ends it or the client goes
 * away (which cancels the stream, and so the SDK's exchange).
 */
export async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const type = response.headers.get('content-type');
  if (response.body === null || type === null || !type.startsWith('text/event-stream')) {
    const body = response.body === null ? '' : await response.text();
    headers['content-length'] = Buffer.byteLength(body);
    if (!res.destroyed) res.writeHead(response.status, headers).end(body);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  // The stream's web type and Node's differ only in their declared generics.
  const stream = Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]);
  // A client that leaves mid-stream ends the pipeline with an error; that is not a failure.
  await pipeline(stream, res).catch(() => undefined);
}

/** The request's URL on its own Host; `localhost` when the Host is no valid authority. */
function urlOf(req: IncomingMessage): string {
  const path = req.url ?? '/';
  const host = req.headers.host;
  if (host !== undefined && URL.canParse(`http://${host}${path}`)) return `http://${host}${path}`;
  return `http://localhost${path}`;
}
