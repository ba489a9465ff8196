import { Inject, Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
} from 'prom-client';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { ToolRegistry } from '../executor/tool-registry.js';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { TOOLS_DATA_SOURCE } from '../tools.constants.js';

/** The pieces of a `pg.Pool` the pool gauge reads. */
interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

let processRegistry: Registry | undefined;

/**
 * Process-wide metrics (CPU, memory, GC, event-loop lag) are collected once per
 * process, however many servers it runs, and appended to every server's scrape.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

const SECONDS_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The MCP protocol era a request is served in: 2026-07-28 (`modern`) or 2025-era (`legacy`). */
export type McpEra = 'modern' | 'legacy';

/** One label set's counter and histogram, resolved once and reused on the hot path. */
interface Series {
  count: { inc(): void };
  duration: { observe(value: number): void };
}

/**
 * One server's Prometheus metrics. Label children are cached by key so that
 * recording a request or a tool call costs a map lookup, not a label hash.
 */
@Injectable()
export class PlatformMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly toolCalls: Counter<'tool' | 'transport' | 'outcome'>;
  private readonly toolDuration: Histogram<'tool' | 'transport' | 'outcome'>;
  private readonly mcpRequests: Record<McpEra, { inc(): void }>;
  private readonly httpSeries = new Map<string, Series>();
  private readonly toolSeries = new Map<string, Series>();

  constructor(
    @Inject(SERVER_RUNTIME) runtime: ServerRuntime,
    @Inject(TOOLS_DATA_SOURCE) dataSource: DataSource,
    tools: ToolRegistry,
    audit: AuditService,
  ) {
    // Every series carries the server id, so two servers in one process stay apart.
    this.registry.setDefaultLabels({ server: runtime.server.id });
    const counter = <L extends string>(c: CounterConfiguration<L>) =>
      new Counter<L>({ ...c, registers: [this.registry] });
    this.httpRequests = counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, matched route and status code',
      labelNames: ['method', 'route', 'status'],
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request arrival to the end of the response',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_BUCKETS,
      registers: [this.registry],
    });
    this.toolCalls = counter({
      name: 'tool_calls_total',
      help: 'Tool calls by tool, transport (rest|mcp) and outcome (ok or an error code)',
      labelNames: ['tool', 'transport', 'outcome'],
    });
    this.toolDuration = new Histogram({
      name: 'tool_call_duration_seconds',
      help: 'Tool call duration: argument validation plus execution',
      labelNames: ['tool', 'transport', 'outcome'],
      buckets: SECONDS_BUCKETS,
      registers: [this.registry],
    });
    const mcpRequests = counter({
      name: 'mcp_requests_total',
      help: 'POST /mcp requests served by the MCP SDK, by protocol era: modern (2026-07-28) or legacy (2025)',
      labelNames: ['era'],
    });
    this.mcpRequests = {
      modern: mcpRequests.labels({ era: 'modern' }),
      legacy: mcpRequests.labels({ era: 'legacy' }),
    };
    new Gauge({
      name: 'tools_registered',
      help: "Tools in this server's in-memory registry",
      registers: [this.registry],
      collect() {
        this.set(tools.size);
      },
    });
    new Gauge({
      name: 'audit_pending_calls',
      help: 'Tool calls recorded for the audit and not yet written to the database',
      registers: [this.registry],
      collect() {
        this.set(audit.pending);
      },
    });
    new Counter({
      name: 'audit_dropped_calls_total',
      help: 'Tool calls left out of the audit because its buffer was full while the database was away',
      registers: [this.registry],
      collect() {
        // The service counts; the counter mirrors it (it never decreases).
        this.reset();
        this.inc(audit.dropped);
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database connection pool: total, idle and waiting (queued requests)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = poolOf(dataSource);
        this.set({ state: 'total' }, pool?.totalCount ?? 0);
        this.set({ state: 'idle' }, pool?.idleCount ?? 0);
        this.set({ state: 'waiting' }, pool?.waitingCount ?? 0);
      },
    });
  }

  /** Records one answered HTTP request; `route` is the matched route pattern, never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let s = this.httpSeries.get(key);
    if (!s) {
      const labels = { method, route, status: String(status) };
      s = { count: this.httpRequests.labels(labels), duration: this.httpDuration.labels(labels) };
      this.httpSeries.set(key, s);
    }
    s.count.inc();
    s.duration.observe(seconds);
  }

  /** Records one tool call; `tool` must be a registered tool's name (bounded cardinality). */
  observeToolCall(tool: string, transport: string, outcome: string, seconds: number): void {
    const key = `${tool}\u0000${transport}\u0000${outcome}`;
    let s = this.toolSeries.get(key);
    if (!s) {
      const labels = { tool, transport, outcome };
      s = { count: this.toolCalls.labels(labels), duration: this.toolDuration.labels(labels) };
      this.toolSeries.set(key, s);
    }
    s.count.inc();
    s.duration.observe(seconds);
  }

  /** Counts one POST /mcp request served by the MCP SDK, by its protocol era. */
  observeMcpRequest(era: McpEra): void {
    this.mcpRequests[era].inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of this server plus the process-wide metrics. */
  async scrape(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${proc}`;
  }
}

function poolOf(dataSource: DataSource): PoolLike | undefined {
  if (!dataSource.isInitialized) return undefined;
  // TypeORM types the postgres driver's pg.Pool as `any`; only the three counters are read.
  const pool = (dataSource.driver as unknown as { master?: PoolLike }).master;
  return pool && typeof pool.totalCount === 'number' ? pool : undefined;
}
