import { UpstreamError, UpstreamTimeoutError } from '@app/core';

/** Answers larger than this are garbage for a quote or a feed; reading stops there. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

const USER_AGENT =
  'Mozilla/5.0 (compatible; mcp-multi-server/1.0; +https://modelcontextprotocol.io)';

export interface UpstreamRequest {
  /** Human name of the provider, used in every error message. */
  provider: string;
  url: string;
  timeoutMs: number;
  accept: string;
  headers?: Record<string, string>;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * GETs a provider URL within `timeoutMs` (connection, headers and body together) and
 * returns the answer whatever its status. Timeouts become {@link UpstreamTimeoutError},
 * unreachable hosts and oversized bodies {@link UpstreamError}, each naming the provider.
 *
 * Deliberately not tied to the calling request's abort signal: quotes, feeds and rates are
 * shared by concurrent calls (one upstream request per symbol, then cached), so one caller
 * going away must not cancel the answer others wait for. A call whose client left or whose
 * CALL_TIMEOUT_MS ran out stops waiting at once (the platform settles it); the fetch itself
 * always ends within `timeoutMs`.
 */
export async function fetchUpstream(req: UpstreamRequest): Promise<UpstreamResponse> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await fetch(req.url, {
      signal,
      redirect: 'follow',
      headers: { accept: req.accept, 'user-agent': USER_AGENT, ...req.headers },
    });
    const body = await readCapped(res, req.provider);
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
  } catch (err) {
    if (signal.aborted) {
      throw new UpstreamTimeoutError(`${req.provider} did not answer within ${req.timeoutMs} ms`, {
        provider: req.provider,
        timeoutMs: req.timeoutMs,
      });
    }
    if (err instanceof UpstreamError) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new UpstreamError(`${req.provider} is unreachable (${reason})`, {
      provider: req.provider,
      reason,
    });
  }
}

async function readCapped(res: Response, provider: string): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) {
      await res.body.cancel().catch(() => undefined);
      throw new UpstreamError(`${provider} sent an answer larger than ${MAX_BODY_BYTES} bytes`, {
        provider,
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An UpstreamError for an unexpected HTTP status, naming the provider. */
export function badStatus(provider: string, status: number): UpstreamError {
  return new UpstreamError(`${provider} answered HTTP ${status}`, { provider, status });
}

/** An UpstreamError for an answer that is not in the provider's format. */
export function malformed(provider: string, what: string): UpstreamError {
  return new UpstreamError(`${provider} sent a malformed answer: ${what}`, { provider });
}
