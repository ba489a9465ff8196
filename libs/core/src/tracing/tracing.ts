import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { Logger } from '@nestjs/common';
import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  diag,
  DiagLogLevel,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { parseKeyPairsIntoRecord, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TracingSettings } from '../config/environment.js';
import type { ServerIdentity } from '../server-runtime.js';
import { routeOf } from '../http/node-http.js';

/** The platform's own span and resource attributes (`app.*`, as the OpenTelemetry demo names its own). */
export const TRACE_ATTRIBUTES = {
  serverId: 'app.server.id',
  toolName: 'app.tool.name',
  toolTransport: 'app.tool.transport',
  toolOutcome: 'app.tool.outcome',
} as const;

/** What tests replace: the exporter, and how long shutdown waits for the last spans. */
export interface TracingOptions {
  exporter?: SpanExporter;
  shutdownTimeoutMs?: number;
}

/** The span of one tool call; ended once with `ok` or the call's error code. */
export interface ToolCallSpan {
  /** The W3C `traceparent` naming this span, for the tool's own upstream requests (tracing on only). */
  readonly traceparent?: string;
  end(outcome: string): void;
}

/** Starts the span of one tool call, as a child of the HTTP request being served (if any). */
export type ToolCallTracer = (tool: string, transport: 'rest' | 'mcp') => ToolCallSpan;

const NO_SPAN: ToolCallSpan = { end: () => undefined };

/** The tool-call hook when tracing is off: no span, no allocation. */
export const untracedToolCall: ToolCallTracer = () => NO_SPAN;

/** Express-style middleware on Node's own request and response. */
export type RequestMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
) => void;

/** One server's tracing: built once at start-up, only when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
export interface ServerTracing {
  /**
   * The first middleware of every request: one SERVER span, continuing an incoming
   * `traceparent`; the rest of the request runs inside its context.
   */
  readonly middleware: RequestMiddleware;
  /** The tool-call hook {@link ToolsService.call} uses. */
  readonly toolCall: ToolCallTracer;
  /** Exports the spans still buffered (at most a few seconds) and stops; never throws. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
/**
 * The context of the request being served. The request middleware enters it and the
 * tool-call hook reads it, so REST and MCP (direct and SDK) calls find their parent
 * without the span being passed through every layer. Private to this module: no global
 * context manager is installed, so two servers in one process never share state.
 */
const activeRequest = new AsyncLocalStorage<Context>();

/**
 * Builds one server's tracer provider: OTLP/HTTP exporter (JSON) behind a batch
 * processor, resource `service.name` (OTEL_SERVICE_NAME or the server id),
 * `service.version` and `app.server.id`.
 */
export function createServerTracing(
  settings: TracingSettings,
  server: Pick<ServerIdentity, 'id' | 'version'>,
  { exporter = otlpExporter(settings), shutdownTimeoutMs = 3000 }: TracingOptions = {},
): ServerTracing {
  forwardDiagnostics();
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: settings.serviceName ?? server.id,
        [ATTR_SERVICE_VERSION]: server.version,
        [TRACE_ATTRIBUTES.serverId]: server.id,
      }),
    ),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@app/tools', server.version);
  return {
    middleware: requestSpans(tracer),
    toolCall: toolCallSpans(tracer, server.id),
    shutdown: () => shutdownWithin(provider, shutdownTimeoutMs),
  };
}

function otlpExporter(settings: TracingSettings): SpanExporter {
  return new OTLPTraceExporter({
    url: settings.tracesUrl,
    headers: parseKeyPairsIntoRecord(settings.headers?.reveal()),
  });
}

function requestSpans(tracer: Tracer): RequestMiddleware {
  return (req, res, next) => {
    const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const q = url.indexOf('?');
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          // Query strings may carry tokens; the path is enough to find the request.
          [ATTR_URL_PATH]: q === -1 ? url : url.slice(0, q),
        },
      },
      parent,
    );
    req.traceId = span.spanContext().traceId;
    res.once('close', () => endRequestSpan(span, req, res));
    activeRequest.run(trace.setSpan(parent, span), next);
  };
}

function endRequestSpan(span: Span, req: IncomingMessage, res: ServerResponse): void {
  const route = routeOf(req);
  if (route !== 'unmatched') {
    span.updateName(`${req.method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
  }
  // A client that went away before the answer has no status; it is not the server's error.
  if (res.writableFinished) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

function toolCallSpans(tracer: Tracer, serverId: string): ToolCallTracer {
  return (tool, transport) => {
    const span = tracer.startSpan(
      `tool.call ${tool}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [TRACE_ATTRIBUTES.toolName]: tool,
          [TRACE_ATTRIBUTES.toolTransport]: transport,
          [TRACE_ATTRIBUTES.serverId]: serverId,
        },
      },
      activeRequest.getStore(),
    );
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
    return {
      traceparent: carrier.traceparent,
      end(outcome) {
        span.setAttribute(TRACE_ATTRIBUTES.toolOutcome, outcome);
        if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        span.end();
      },
    };
  };
}

/** Shutdown flushes the batch; a collector that does not answer must not hold the process. */
function shutdownWithin(provider: NodeTracerProvider, ms: number): Promise<void> {
  const logger = new Logger('Tracing');
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      logger.warn(`spans not exported within ${ms} ms of shutdown were dropped`);
      resolve();
    }, ms);
    timer.unref();
    provider
      .shutdown()
      .catch((err: unknown) => logger.warn(`tracing shutdown failed: ${String(err)}`))
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

let diagnosticsForwarded = false;

/** The SDK reports export failures through its global diagnostic logger: send them to ours. */
function forwardDiagnostics(): void {
  if (diagnosticsForwarded) return;
  diagnosticsForwarded = true;
  const logger = new Logger('Tracing');
  const ignore = () => undefined;
  diag.setLogger(
    {
      error: (message, ...args) => logger.error(format(message, ...args)),
      warn: (message, ...args) => logger.warn(format(message, ...args)),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    DiagLogLevel.WARN,
  );
}
