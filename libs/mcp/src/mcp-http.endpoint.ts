import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import {
  createMcpHandler,
  type McpHttpHandler,
  ProtocolError,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import {
  hostHeaderValidation,
  type NodeMcpRequestHandler,
  originValidation,
  toNodeHandler,
} from '@modelcontextprotocol/node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ToolRegistry } from '@app/tools';
import { PlatformMetrics } from '@app/tools';
import { type ParsedRequest, sendJson } from '@app/core';
import { REQUEST_ID_HEADER } from '@app/core';
import { callerName, callOrigin } from '@app/core';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { type DirectToolCall, directToolCall } from './mcp-direct-call.js';
import { type McpConnectionOrigin, McpServerFactory } from './mcp-server.factory.js';
import { McpToolCall } from './mcp-tool-call.js';
import { McpToolCatalog } from './mcp-tool-catalog.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/**
 * Carries the authenticated caller's name from the Express request into the SDK's
 * web Request. Always overwritten before the SDK sees the request, so never forged.
 */
const CALLER_HEADER = 'x-mcp-multi-server-caller';
const KEEP_ALIVE_MS = 15_000;
const LIST_CHANGED = [
  'notifications/tools/list_changed',
  'notifications/resources/list_changed',
].map((method) => `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method })}\n\n`);

type Guard = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The Streamable HTTP endpoint at `/mcp`. Every request enters through
 * {@link handle}; it is served statelessly by the SDK (2026-07-28 requests
 * and 2025-11-25 clients alike), so any process of a server can answer any
 * request. Change notifications reach 2026-07-28 clients on their
 * `subscriptions/listen` streams and 2025-11-25 clients on the GET stream.
 *
 * One request skips the SDK: a plain 2026-07-28 `tools/call` of a known tool
 * (see {@link directToolCall}) is answered directly with the same JSON the SDK
 * would write, without building a server instance and web Request/Response
 * objects for it. It is the hot path of the product; everything else, errors
 * included, is the SDK's.
 */
@Injectable()
export class McpHttpEndpoint implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Mcp');
  private readonly handler: McpHttpHandler;
  private readonly serve: NodeMcpRequestHandler;
  private readonly guards: Guard[];
  private readonly legacyStreams = new Set<ServerResponse>();
  private announcePending = false;
  private readonly serverInfo: Record<string, unknown>;

  constructor(
    factory: McpServerFactory,
    private readonly registry: ToolRegistry,
    private readonly catalog: McpToolCatalog,
    private readonly toolCall: McpToolCall,
    @Inject(SERVER_RUNTIME) runtime: ServerRuntime,
    @Optional() private readonly metrics?: PlatformMetrics,
  ) {
    const onerror = (err: Error) => this.logger.debug(`mcp: ${err.message}`);
    const maxRequestBodySize = runtime.config.maxBodyBytes;
    const { id, name, version } = runtime.server;
    this.serverInfo = { 'io.modelcontextprotocol/serverInfo': { name: id, title: name, version } };
    // One instance per HTTP request: it carries that request's id (set by the request-context
    // middleware) and caller into the tool calls it makes.
    this.handler = createMcpHandler((ctx) => factory.create(originOf(ctx.requestInfo)), {
      legacy: 'stateless',
      onerror,
      maxRequestBodySize,
      keepAliveMs: KEEP_ALIVE_MS,
    });
    this.serve = toNodeHandler(this.handler, { onerror, maxRequestBodySize });
    this.guards = dnsRebindingGuards(runtime);
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
      return this.openLegacyStream(req, res);
    }
    const direct = req.method === 'POST' ? directToolCall(req.headers, req.body) : undefined;
    if (direct && this.catalog.find(direct.name)) {
      this.metrics?.observeMcpRequest('direct');
      return this.answerDirectly(req, res, direct);
    }
    if (req.method === 'POST') this.metrics?.observeMcpRequest('sdk');
    req.headers[CALLER_HEADER] = callerName(req);
    await this.serve(req, res, req.body);
  }

  /** Runs a recognised tools/call and writes the JSON-RPC answer the SDK would have written. */
  private async answerDirectly(
    req: IncomingMessage,
    res: ServerResponse,
    call: DirectToolCall,
  ): Promise<void> {
    let answer: Record<string, unknown>;
    try {
      const result = await this.toolCall.run(call.name, call.arguments, {
        ...callOrigin(req, res),
        requestId: req.id ?? String(call.id),
      });
      answer = {
        result: { ...result, resultType: 'complete', _meta: this.serverInfo },
        jsonrpc: '2.0',
        id: call.id,
      };
    } catch (err) {
      // Only the tool vanishing between lookup and call gets here: the SDK's unknown-tool error.
      if (!(err instanceof ProtocolError)) throw err;
      const error = { code: err.code, message: err.message, data: err.data };
      answer = { jsonrpc: '2.0', id: call.id, error };
    }
    if (res.headersSent || res.destroyed) return;
    const json = JSON.stringify(answer);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
  }

  /**
   * The 2025-11-25 GET stream: not tied to a session, it carries list_changed
   * notifications of this server to whoever listens, from whichever process.
   */
  private openLegacyStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    this.legacyStreams.add(res);
    req.on('close', () => {
      clearInterval(keepAlive);
      this.legacyStreams.delete(res);
    });
  }

  /** Coalesces a burst of registry changes (a resync) into one announcement. */
  private scheduleAnnouncement(): void {
    if (this.announcePending) return;
    this.announcePending = true;
    setImmediate(() => {
      this.announcePending = false;
      this.handler.notify.toolsChanged();
      this.handler.notify.resourcesChanged();
      for (const res of this.legacyStreams) for (const frame of LIST_CHANGED) res.write(frame);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const res of this.legacyStreams) res.end();
    this.legacyStreams.clear();
    await this.handler.close();
  }
}

function originOf(request: globalThis.Request | undefined): McpConnectionOrigin {
  return {
    requestId: request?.headers.get(REQUEST_ID_HEADER) ?? undefined,
    caller: request?.headers.get(CALLER_HEADER) ?? undefined,
  };
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
