import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import {
  type AuthInfo,
  createMcpHandler,
  type McpHttpHandler,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import {
  hostHeaderValidation,
  type NodeMcpRequestHandler,
  originValidation,
  toNodeHandler,
} from '@modelcontextprotocol/node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InFlightRequests, sendHeadersAtOnce } from '@app/http';
import { ToolRegistry, ToolsService } from '@app/tools';
import { PlatformMetrics } from '@app/tools';
import {
  callerName,
  ErrorCode,
  type ParsedRequest,
  PlatformError,
  sendJson,
  TooManyStreamsError,
} from '@app/core';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { mcpAuthInfo } from './mcp-call-context.js';
import { McpServerFactory } from './mcp-server.factory.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/** What a client refused a stream (503 TOO_MANY_STREAMS) is told to wait, in seconds. */
const RETRY_STREAM_AFTER_S = 15;
const KEEP_ALIVE = ': keep-alive\n\n';
/** Both change notifications as one write: one system call per GET stream, not two. */
const LIST_CHANGED = ['notifications/tools/list_changed', 'notifications/resources/list_changed']
  .map((method) => `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method })}\n\n`)
  .join('');

type Guard = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Methods a web Request cannot carry (fetch's forbidden methods), so the SDK never sees them. */
const UNSERVABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * The Streamable HTTP endpoint at `/mcp`. Every request enters through {@link handle} and,
 * past the DNS-rebinding checks, is answered by the SDK's `createMcpHandler`, statelessly
 * (2026-07-28 requests and 2025-11-25 clients alike), so any process of a server can
 * answer any request. Who is calling reaches the tool through the SDK's `authInfo`
 * ({@link mcpAuthInfo}). Change notifications reach 2026-07-28 clients on their
 * `subscriptions/listen` streams (the SDK's) and 2025-11-25 clients on the GET stream,
 * which stateless SDK serving does not have, kept here. Both kinds get their keep-alive
 * comment from one timer here (see {@link sendKeepAlive}). Neither kind of stream holds up a
 * shutdown: both stay open while the calls in flight drain (they still carry changes), then
 * are closed cleanly (see {@link beforeApplicationShutdown}).
 */
@Injectable()
export class McpHttpEndpoint implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Mcp');
  private readonly handler: McpHttpHandler;
  /** The SDK's own Node adapter over {@link handler}. */
  private readonly serve: NodeMcpRequestHandler;
  private readonly guards: Guard[];
  /** The 2025-11-25 GET streams (ours). */
  private readonly legacyStreams = new Set<ServerResponse>();
  /** The responses of the 2026-07-28 `subscriptions/listen` streams (the SDK writes them). */
  private readonly subscriptions = new Set<ServerResponse>();
  private readonly maxStreams: number;
  private readonly keepAliveMs: number;
  private keepAlive?: NodeJS.Timeout;
  private announcePending = false;

  constructor(
    factory: McpServerFactory,
    private readonly registry: ToolRegistry,
    private readonly inFlight: InFlightRequests,
    private readonly tools: ToolsService,
    @Inject(SERVER_RUNTIME) runtime: ServerRuntime,
    @Optional() metrics?: PlatformMetrics,
  ) {
    // A fresh instance per exchange, as the SDK asks; what it is made of is built once (see
    // McpServerFactory). Counted here: the factory is asked once per request the SDK serves.
    this.handler = createMcpHandler(
      ({ era }) => {
        metrics?.observeMcpRequest(era);
        return factory.create();
      },
      {
        legacy: 'stateless',
        onerror: (err) => this.logger.debug(`mcp: ${err.message}`),
        maxRequestBodySize: runtime.config.maxBodyBytes,
        // Off: sendKeepAlive() keeps subscriptions alive along with the GET streams.
        keepAliveMs: 0,
        // Never reached: handle() refuses a stream past the same limit first, counting both kinds.
        maxSubscriptions: runtime.config.mcp.maxStreams,
      },
    );
    this.serve = toNodeHandler(this.handler, {
      onerror: (err) => this.logger.debug(`mcp: ${err.message}`),
      maxRequestBodySize: runtime.config.maxBodyBytes,
    });
    this.guards = dnsRebindingGuards(runtime);
    this.maxStreams = runtime.config.mcp.maxStreams;
    this.keepAliveMs = runtime.config.mcp.keepAliveMs;
  }

  onModuleInit(): void {
    this.registry.onChange(() => this.scheduleAnnouncement());
  }

  /** Serves one HTTP request to `/mcp` (any method). */
  async handle(req: ParsedRequest, res: ServerResponse): Promise<void> {
    for (const guard of this.guards) if (!guard(req, res)) return;
    if (req.method === 'GET' && acceptsEventStream(req)) {
      const version = req.headers['mcp-protocol-version'];
      if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(String(version))) {
        sendJson(res, 400, {
          jsonrpc: '2.0',
          error: {
            code: -32000,
            message: `Bad Request: Unsupported protocol version: ${String(version)}`,
          },
          id: null,
        });
        return;
      }
      this.admitStream(res);
      return this.openLegacyStream(req, res);
    }
    if (UNSERVABLE_METHODS.has(req.method ?? '')) {
      throw new PlatformError(
        405,
        ErrorCode.METHOD_NOT_ALLOWED,
        `${req.method} is not allowed here`,
      );
    }
    const listen = isListenRequest(req.body);
    if (listen) {
      this.admitStream(res);
      sendHeadersAtOnce(res);
      this.holdStream(this.subscriptions, req, res);
      // A subscription stays open as long as the client listens: not a request to wait for.
      this.inFlight.release(res);
    }
    const scopes = req.caller?.scopes;
    if (scopes) this.checkCallScopes(req.body, scopes);
    // The SDK's Node adapter hands `req.auth` to the handlers as their authInfo.
    (req as ParsedRequest & { auth?: AuthInfo }).auth = mcpAuthInfo(
      callerName(req),
      req.id,
      scopes,
    );
    const served = this.serve(req, res, req.body);
    // A subscription lives as long as its client listens. The SDK's adapter answers every
    // failure itself, so nothing waits for it here: Nest's frames and this one are let go at once
    // instead of being kept for the stream's life (about 4.7 KB per listener).
    if (listen) served.catch((err: Error) => this.logger.warn(`mcp stream: ${err.message}`));
    else await served;
  }

  /** Refuses a new listening stream (503 with Retry-After) once MCP_MAX_STREAMS are open. */
  private admitStream(res: ServerResponse): void {
    if (this.legacyStreams.size + this.subscriptions.size < this.maxStreams) return;
    res.setHeader('Retry-After', String(RETRY_STREAM_AFTER_S));
    throw new TooManyStreamsError(this.maxStreams);
  }

  /**
   * An access token may list with `tools:read`, but a `tools/call` needs `tools:call` and the
   * tool's own scope: refused here, before the SDK, so the answer is the HTTP 403 with its
   * `insufficient_scope` challenge that MCP clients step up from (the JSON-RPC error body is
   * the filter's). An unknown tool is left to the SDK's own answer.
   */
  private checkCallScopes(body: unknown, scopes: ReadonlySet<string>): void {
    for (const message of Array.isArray(body) ? body : [body]) {
      if (!isToolCall(message)) continue;
      const tool = this.registry.get(message.params.name);
      if (tool) this.tools.checkScopes(tool, scopes);
    }
  }

  /**
   * The 2025-11-25 GET stream: not tied to a session, it carries list_changed
   * notifications of this server to whoever listens, from whichever process.
   */
  private openLegacyStream(req: ParsedRequest, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    this.holdStream(this.legacyStreams, req, res);
  }

  /**
   * Keeps `res` in `streams` (and so in the keep-alive round) until it closes. A held stream
   * never goes back to Express's router, whose continuation the request keeps as `req.next`
   * for as long as it lives, and with it the router's frame (about 0.8 KB a stream): let go.
   */
  private holdStream(
    streams: Set<ServerResponse>,
    req: ParsedRequest & { next?: unknown },
    res: ServerResponse,
  ): void {
    req.next = undefined;
    streams.add(res);
    res.once('close', () => streams.delete(res));
    this.keepAlive ??= setInterval(() => this.sendKeepAlive(), this.keepAliveMs).unref();
  }

  /**
   * One timer for every listening stream of both kinds, not one each. The SDK would arm a
   * timer per subscription and pass each comment through the subscription's web streams: with
   * thousands of listeners that is memory per stream, and a steady trickle of allocations that
   * keeps V8 from ever finding the process idle and giving back the garbage that opening the
   * streams left (measured: bench/listeners.md). A comment between two of the SDK's frames is
   * safe: it writes each frame in one piece. The timer stops when the last stream has gone.
   */
  private sendKeepAlive(): void {
    if (this.legacyStreams.size + this.subscriptions.size === 0) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
      return;
    }
    for (const res of this.legacyStreams) res.write(KEEP_ALIVE);
    // A subscription's headers are the SDK's to send, and its end is the SDK's to write.
    for (const res of this.subscriptions) {
      if (res.headersSent && !res.writableEnded) res.write(KEEP_ALIVE);
    }
  }

  /** Coalesces a burst of registry changes (a resync) into one announcement. */
  private scheduleAnnouncement(): void {
    if (this.announcePending) return;
    this.announcePending = true;
    setImmediate(() => {
      this.announcePending = false;
      this.handler.notify.toolsChanged();
      this.handler.notify.resourcesChanged();
      for (const res of this.legacyStreams) res.write(LIST_CHANGED);
    });
  }

  /**
   * Once the calls in flight have drained (or SHUTDOWN_GRACE_MS has passed), closes the
   * listening streams cleanly: the SDK ends each 2026-07-28 subscription with its `complete`
   * result, and the 2025 GET streams end. Closing the handler earlier would abort the modern
   * exchanges still running.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.drain();
    clearInterval(this.keepAlive);
    for (const res of this.legacyStreams) res.end();
    this.legacyStreams.clear();
    await this.handler.close();
  }
}

function isListenRequest(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { method?: unknown }).method === 'subscriptions/listen'
  );
}

function isToolCall(message: unknown): message is { params: { name: string } } {
  if (typeof message !== 'object' || message === null) return false;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  return method === 'tools/call' && typeof params?.name === 'string';
}

function acceptsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

/**
 * Host and Origin checks against DNS rebinding: loopback names always pass,
 * plus the bind address (when it is a specific one) and MCP_ALLOWED_HOSTS /
 * MCP_ALLOWED_ORIGINS; `*` switches a check off.
 */
function dnsRebindingGuards(runtime: ServerRuntime): Guard[] {
  const { allowedHosts, allowedOrigins } = runtime.config.mcp;
  const bind = runtime.server.host;
  const bound =
    bind === '0.0.0.0' || bind === '::' ? [] : [bind.includes(':') ? `[${bind}]` : bind];
  const guards: Guard[] = [];
  if (!allowedHosts.includes('*')) {
    const hosts = [...LOOPBACK_NAMES, ...bound, ...allowedHosts];
    guards.push(rememberingAcceptedHosts(hostHeaderValidation(hosts) as Guard));
  }
  if (!allowedOrigins.includes('*')) {
    const origins = allowedOrigins.map(originHostname);
    guards.push(originValidation([...LOOPBACK_NAMES, ...bound, ...origins]) as Guard);
  }
  return guards;
}

/**
 * The SDK's check parses the header as a URL on every request; a client sends the same
 * Host each time, so the values it accepted are remembered (a few, so that a stream of
 * distinct valid values cannot grow memory). A refused value is checked again every time.
 */
function rememberingAcceptedHosts(guard: Guard): Guard {
  const accepted = new Set<string>();
  return (req, res) => {
    const value = req.headers.host;
    if (value !== undefined && accepted.has(value)) return true;
    if (!guard(req, res)) return false;
    if (value !== undefined) {
      if (accepted.size >= 32) accepted.clear();
      accepted.add(value);
    }
    return true;
  };
}

/** `https://app.example.com:8443` → `app.example.com`; host names and `<scheme>://*` stay as given. */
function originHostname(entry: string): string {
  if (!entry.includes('://') || entry.endsWith('://*')) return entry;
  try {
    return new URL(entry).hostname;
  } catch {
    return entry;
  }
}
