import { Inject, Injectable } from '@nestjs/common';
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type AllowedHost, canonicalHost, type ToolSecrets } from '@app/core';
import {
  HttpToolHostRefusedError,
  InvalidRequestError,
  ToolSecretMissingError,
  UpstreamError,
  UpstreamResponseTooLargeError,
  UpstreamTimeoutError,
} from '@app/core';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import type {
  HttpExecutorConfig,
  ToolArguments,
  ToolCallContext,
  ToolExecutor,
} from '../tool.types.js';
import { PLATFORM_VERSION } from '@app/core';
import { mapRequest } from './http-request.js';
import { resolvedAddressRefusal, urlRefusal } from './ssrf-guard.js';

export const HTTP_TIMEOUT_DEFAULT_MS = 10_000;
export const HTTP_TIMEOUT_MAX_MS = 30_000;
const MAX_REDIRECTS = 5;
const REFERENCE = /\$\{([^}]*)\}/g;
/** Headers the executor sets itself, or that would let a tool smuggle a second request. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'expect',
]);
/** Whether the executor keeps header `name` to itself (or to the proxies): no tool may set it. */
export function isPlatformHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || lower.startsWith('proxy-');
}
/** Headers that carry credentials: their values must come from `${ENV_NAME}` references. */
const SENSITIVE_HEADER = /auth|token|secret|key|password|cookie|session|signature/i;
/** A header name as HTTP allows it (a token), at most 128 characters. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

/** What the executor needs besides a tool's own settings. */
export interface HttpCallOptions {
  allowedHosts: readonly AllowedHost[];
  maxResponseBytes: number;
  resolve?: Resolver;
  /** The `${NAME}` secrets headers may refer to. */
  secrets: Pick<ToolSecrets, 'problem' | 'read'>;
}

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Checks an HTTP executor as an operator gave it and returns it with defaults filled in;
 * throws 400 naming the field, or {@link HttpToolHostRefusedError} naming the SSRF rule.
 */
export async function checkHttpExecutor(
  input: { url: string; method?: string; headers?: Record<string, unknown>; timeoutMs?: number },
  options: HttpCallOptions,
  fields: { url: string; headers: string } = { url: 'executor.url', headers: 'executor.headers' },
): Promise<HttpExecutorConfig> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new InvalidRequestError(`${fields.url} '${input.url}' is not an absolute URL`, {
      field: fields.url,
    });
  }
  const refusal = urlRefusal(url, options.allowedHosts);
  if (refusal) {
    throw new HttpToolHostRefusedError(400, `${fields.url} refused: ${refusal.message}`, {
      rule: refusal.rule,
      url: url.origin,
    });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const field = `${fields.headers}.${name}`;
    if (!HEADER_NAME.test(name))
      throw new InvalidRequestError(`${field} is not a valid header name`, { field });
    if (isPlatformHeader(name)) {
      throw new InvalidRequestError(`${field} is set by the platform and cannot be configured`, {
        field,
      });
    }
    if (typeof value !== 'string' || value.length > 4096 || /[\r\n\0]/.test(value)) {
      throw new InvalidRequestError(
        `${field} must be a single-line string of at most 4096 characters`,
        {
          field,
        },
      );
    }
    const references = [...value.matchAll(REFERENCE)].map((m) => m[1]);
    for (const ref of references) {
      const problem = options.secrets.problem(ref);
      if (problem) throw new InvalidRequestError(`${field}: \${${ref}} ${problem}`, { field });
    }
    if (SENSITIVE_HEADER.test(name) && references.length === 0) {
      throw new InvalidRequestError(
        `${field} carries a credential: give it as a \${ENV_NAME} reference (for example "Bearer \${MY_API_TOKEN}") so the secret is read from the environment at call time and never stored`,
        { field },
      );
    }
    headers[name] = value;
  }
  // Best effort: a name that already resolves somewhere forbidden is refused now; the
  // check that matters runs again on every call, because DNS answers change.
  const host = canonicalHost(url.hostname);
  if (isIP(host) === 0) {
    const addresses = await (options.resolve ?? systemResolver)(host).catch(() => []);
    for (const a of addresses) {
      const bad = resolvedAddressRefusal(url, a.address, options.allowedHosts);
      if (bad) {
        throw new HttpToolHostRefusedError(400, `${fields.url} refused: ${bad.message}`, {
          rule: bad.rule,
          url: url.origin,
        });
      }
    }
  }
  return {
    type: 'http',
    url: url.toString(),
    method: input.method === 'GET' ? 'GET' : 'POST',
    headers,
    timeoutMs: input.timeoutMs ?? HTTP_TIMEOUT_DEFAULT_MS,
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Calls the endpoint behind an HTTP tool: arguments as a JSON body (POST) or query
 * string (GET); the upstream's JSON comes back as the result, anything else as
 * `{ status, contentType, text }`. Every hop is checked by the SSRF guard after DNS
 * resolution and the socket connects to exactly the address that was checked.
 */
export async function callHttpTool(
  tool: string,
  config: HttpExecutorConfig,
  args: ToolArguments,
  context: Pick<ToolCallContext, 'signal' | 'requestId' | 'traceparent'>,
  options: HttpCallOptions,
): Promise<unknown> {
  return interpret(await exchange(tool, config, args, context, options));
}

/**
 * Reads a document (an OpenAPI description) with GET through the same SSRF guard and
 * pinned connections as a tool call, up to `maxBytes`; a status other than 2xx is an
 * {@link UpstreamError}.
 */
export async function fetchHttpDocument(
  url: string,
  maxBytes: number,
  options: HttpCallOptions,
): Promise<{ contentType: string | null; text: string }> {
  const config: HttpExecutorConfig = {
    type: 'http',
    url,
    method: 'GET',
    headers: {},
    timeoutMs: HTTP_TIMEOUT_MAX_MS,
  };
  const answer = await exchange(
    url,
    config,
    {},
    { signal: new AbortController().signal },
    { ...options, maxResponseBytes: maxBytes },
  );
  if (answer.status < 200 || answer.status >= 300) {
    throw new UpstreamError(`The upstream answered ${answer.status}`, {
      upstreamStatus: answer.status,
    });
  }
  return {
    contentType: answer.headers['content-type'] ?? null,
    text: answer.body.toString('utf8'),
  };
}

/** One call: the request, every redirect hop checked again, and the final answer as it came. */
async function exchange(
  tool: string,
  config: HttpExecutorConfig,
  args: ToolArguments,
  context: Pick<ToolCallContext, 'signal' | 'requestId' | 'traceparent'>,
  options: HttpCallOptions,
): Promise<Answer> {
  const timeoutMs = Math.min(config.timeoutMs, HTTP_TIMEOUT_MAX_MS);
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), timeoutMs);
  const signal = AbortSignal.any([timer.signal, context.signal]);
  // `operation` belongs to the platform (HTTP tools only know `execute`): not sent upstream.
  const payload = Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'operation'));
  const configured = Object.entries(config.headers).map(([name, value]) => {
    const resolved = value.replace(REFERENCE, (_m, ref: string) => {
      const secret = options.secrets.read(ref);
      if (secret === undefined) throw new ToolSecretMissingError(tool, ref);
      return secret;
    });
    return [name, resolved] as const;
  });

  let url: URL;
  let method: string = config.method;
  let body: string | undefined;
  let parameterHeaders: Record<string, string> = {};
  if (config.request) {
    const mapped = mapRequest(config.url, config.request, payload);
    url = mapped.url;
    parameterHeaders = mapped.headers;
    body = mapped.body === undefined ? undefined : JSON.stringify(mapped.body);
  } else {
    url = new URL(config.url);
    if (method === 'GET') {
      for (const [k, v] of Object.entries(payload)) {
        url.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
    } else body = JSON.stringify(payload);
  }
  const origin = url.origin;
  try {
    for (let hop = 0; ; hop++) {
      const address = await checkedAddress(url, options, signal);
      const headers: Record<string, string> = {
        accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
        'user-agent': `mcp-multi-server/${PLATFORM_VERSION}`,
        ...(context.requestId ? { 'x-request-id': context.requestId } : {}),
        // The upstream's own spans join the caller's trace (W3C Trace Context).
        ...(context.traceparent ? { traceparent: context.traceparent } : {}),
        // Configured headers may carry secrets: they go to the tool's own origin only.
        ...(url.origin === origin
          ? { ...parameterHeaders, ...Object.fromEntries(configured) }
          : {}),
        ...(body === undefined
          ? {}
          : {
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(body)),
            }),
      };
      const answer = await send(
        url,
        address,
        method,
        headers,
        body,
        signal,
        options.maxResponseBytes,
      );
      const location = answer.headers.location;
      if (answer.status >= 300 && answer.status < 400 && location) {
        if (hop >= MAX_REDIRECTS) {
          throw new UpstreamError(`The upstream redirected more than ${MAX_REDIRECTS} times`, {
            upstreamStatus: answer.status,
            maxRedirects: MAX_REDIRECTS,
          });
        }
        url = redirectTarget(location, url);
        if (
          (answer.status === 303 && method !== 'GET') ||
          ((answer.status === 301 || answer.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return answer;
    }
  } catch (err) {
    if (timer.signal.aborted) {
      throw new UpstreamTimeoutError(
        `The HTTP endpoint of '${tool}' did not answer within ${timeoutMs} ms`,
        {
          timeoutMs,
        },
      );
    }
    if (context.signal.aborted) throw context.signal.reason ?? err;
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}

/** Where a `Location` points, relative to the URL that answered; a malformed one is the upstream's fault. */
function redirectTarget(location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch {
    throw new UpstreamError('The upstream redirected to a malformed URL', {
      location: location.slice(0, 256),
    });
  }
}

/** Applies the SSRF rules to a URL and the addresses its host resolves to; returns the one to connect to. */
async function checkedAddress(
  url: URL,
  options: HttpCallOptions,
  signal: AbortSignal,
): Promise<{ address: string; family: 4 | 6 }> {
  const refuse = (message: string, rule: string) =>
    new HttpToolHostRefusedError(502, `Refused to call ${url.origin}: ${message}`, {
      rule,
      url: url.origin,
    });
  const refusal = urlRefusal(url, options.allowedHosts);
  if (refusal) throw refuse(refusal.message, refusal.rule);
  const host = canonicalHost(url.hostname);
  const family = isIP(host);
  if (family !== 0) return { address: host, family: family as 4 | 6 };
  signal.throwIfAborted();
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = await abortable((options.resolve ?? systemResolver)(host), signal);
  } catch (err) {
    if (signal.aborted) throw err;
    throw new UpstreamError(
      `Could not resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? 'DNS error'}`,
    );
  }
  if (addresses.length === 0) throw new UpstreamError(`Could not resolve ${host}`);
  for (const a of addresses) {
    const bad = resolvedAddressRefusal(url, a.address, options.allowedHosts);
    if (bad) throw refuse(bad.message, bad.rule);
  }
  const first = addresses[0];
  return {
    address: canonicalHost(first.address),
    family: isIP(canonicalHost(first.address)) as 4 | 6,
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** One HTTP exchange on a fresh socket pinned to `target`; the body is read up to `maxBytes`. */
function send(
  url: URL,
  target: { address: string; family: 4 | 6 },
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal,
  maxBytes: number,
): Promise<Answer> {
  // The checked address is the only answer the socket's lookup can get: a rebinding
  // DNS server gets no second chance between the check and the connection.
  const pinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(
        null,
        [{ address: target.address, family: target.family }],
      );
    } else callback(null, target.address, target.family);
  };
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<Answer>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(
      {
        protocol: url.protocol,
        hostname: isIP(hostname) ? target.address : hostname,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        lookup: pinned,
        agent: false,
        signal,
      },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          reject(new UpstreamResponseTooLargeError(maxBytes));
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            // Settle first: destroying the socket emits errors that must not win the race.
            reject(new UpstreamResponseTooLargeError(maxBytes));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
        res.on('aborted', () =>
          reject(new UpstreamError('The upstream closed the connection mid-answer')),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal.aborted) return reject(signal.reason);
      reject(new UpstreamError(`Could not reach ${url.origin}: ${err.code ?? err.message}`));
    });
    req.end(body);
  });
}

function interpret(answer: Answer): unknown {
  const contentType = answer.headers['content-type'] ?? null;
  const text = answer.body.toString('utf8');
  if (answer.status >= 400) {
    throw new UpstreamError(`The upstream answered ${answer.status}`, {
      upstreamStatus: answer.status,
      body: text.slice(0, 512),
    });
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new UpstreamError(`The upstream answered ${answer.status}`, {
      upstreamStatus: answer.status,
    });
  }
  if (
    text.length > 0 &&
    (contentType === null || /json/i.test(contentType) || /^\s*[[{"]/.test(text))
  ) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON after all: wrapped as text below
    }
  }
  return { status: answer.status, contentType, text };
}

/** The HTTP executor with this server's SSRF settings; one instance serves every HTTP tool. */
@Injectable()
export class HttpToolExecutor {
  private readonly options: HttpCallOptions;

  constructor(@Inject(SERVER_RUNTIME) runtime: ServerRuntime) {
    this.options = runtime.config.httpTools;
  }

  /** Validates an executor given over REST (400 / SSRF refusal) and fills in its defaults. */
  check(
    input: Parameters<typeof checkHttpExecutor>[0],
    fields?: Parameters<typeof checkHttpExecutor>[2],
  ): Promise<HttpExecutorConfig> {
    return checkHttpExecutor(input, this.options, fields);
  }

  /** Reads a document from a URL through the SSRF guard, up to `maxBytes`. */
  fetchDocument(url: string, maxBytes: number): ReturnType<typeof fetchHttpDocument> {
    return fetchHttpDocument(url, maxBytes, this.options);
  }

  /** The executor of one HTTP tool. */
  create(tool: string, config: HttpExecutorConfig): ToolExecutor {
    return {
      execute: (args, context) => callHttpTool(tool, config, args, context, this.options),
    };
  }
}
