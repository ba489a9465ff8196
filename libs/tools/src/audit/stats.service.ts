import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InvalidRequestError } from '@app/core';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { TOOLS_DATA_SOURCE } from '../tools.constants.js';
import { guard } from '../tools.repository.js';
import { AuditService } from './audit.service.js';

export const DEFAULT_WINDOW = '24h';
const WINDOW = /^(\d{1,5})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Usage of one tool (or of all tools) over a window. */
export interface UsageStats {
  calls: number;
  errors: number;
  /** errors / calls, 0 when there were no calls. */
  errorRate: number;
  /** Latency percentiles in milliseconds; null when there were no calls. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  byTransport: Record<string, number>;
  errorCodes: Record<string, number>;
}

export interface ToolUsage extends UsageStats {
  tool: string;
}

export interface StatsWindow {
  server: string;
  window: string;
  since: string;
  until: string;
}

interface Row {
  tool: string | null;
  calls: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  by_transport: Record<string, number> | null;
  error_codes: Record<string, number> | null;
}

/** Counts, error rate and latency percentiles from `tool_calls`, computed by PostgreSQL. */
@Injectable()
export class StatsService {
  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    @Inject(TOOLS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Parses `15m`, `1h`, `7d`...; at most AUDIT_RETENTION_DAYS, since older calls are gone. */
  parseWindow(window: string | undefined): { label: string; ms: number } {
    const label = window ?? DEFAULT_WINDOW;
    const match = WINDOW.exec(label);
    const maxDays = this.runtime.config.audit.retentionDays;
    const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
    if (!match || ms <= 0 || ms > maxDays * UNIT_MS.d) {
      throw new InvalidRequestError(
        `window must be a duration such as 15m, 1h or 7d, at most ${maxDays}d (AUDIT_RETENTION_DAYS)`,
        { field: 'window' },
      );
    }
    return { label, ms };
  }

  /** Per-tool usage and the total over the window. */
  async overview(
    window: string | undefined,
  ): Promise<StatsWindow & { total: UsageStats; tools: ToolUsage[] }> {
    const { label, ms } = this.parseWindow(window);
    const until = new Date();
    const since = new Date(until.getTime() - ms);
    const rows = await this.query(since, until);
    const total = rows.find((r) => r.tool === null);
    return {
      ...this.frame(label, since, until),
      total: usage(total),
      tools: rows
        .filter((r) => r.tool !== null)
        .map((r) => ({ tool: r.tool as string, ...usage(r) })),
    };
  }

  /** Usage of one tool over the window. */
  async forTool(tool: string, window: string | undefined): Promise<StatsWindow & ToolUsage> {
    const { label, ms } = this.parseWindow(window);
    const until = new Date();
    const since = new Date(until.getTime() - ms);
    const rows = await this.query(since, until, tool);
    return {
      ...this.frame(label, since, until),
      tool,
      ...usage(rows.find((r) => r.tool === tool)),
    };
  }

  private frame(window: string, since: Date, until: Date): StatsWindow {
    return {
      server: this.runtime.server.id,
      window,
      since: since.toISOString(),
      until: until.toISOString(),
    };
  }

  private async query(since: Date, until: Date, tool?: string): Promise<Row[]> {
    // Calls this process made a moment ago are still in the audit buffer: write them first.
    await this.audit.flush();
    return guard(() =>
      this.dataSource.query(
        `WITH calls AS (
           SELECT tool_name, transport, status, error_code, duration_ms FROM tool_calls
            WHERE server_id = $1 AND called_at > $2 AND called_at <= $3
              AND ($4::varchar IS NULL OR tool_name = $4)
         ),
         transports AS (
           SELECT tool_name, jsonb_object_agg(transport, n) AS by_transport FROM (
             SELECT tool_name, transport, count(*)::int AS n FROM calls GROUP BY ROLLUP (tool_name), transport
           ) t GROUP BY tool_name
         ),
         codes AS (
           SELECT tool_name, jsonb_object_agg(error_code, n) AS error_codes FROM (
             SELECT tool_name, error_code, count(*)::int AS n FROM calls
              WHERE error_code IS NOT NULL GROUP BY ROLLUP (tool_name), error_code
           ) c GROUP BY tool_name
         ),
         summary AS (
           SELECT tool_name, count(*)::int AS calls,
                  count(*) FILTER (WHERE status <> 'ok')::int AS errors,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
                  percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99
             FROM calls GROUP BY ROLLUP (tool_name)
         )
         SELECT s.tool_name AS tool, s.calls, s.errors, s.p50, s.p95, s.p99,
                t.by_transport, c.error_codes
           FROM summary s
           LEFT JOIN transports t ON t.tool_name IS NOT DISTINCT FROM s.tool_name
           LEFT JOIN codes c ON c.tool_name IS NOT DISTINCT FROM s.tool_name
          ORDER BY s.tool_name NULLS FIRST`,
        [this.runtime.server.id, since.toISOString(), until.toISOString(), tool ?? null],
      ),
    );
  }
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}

function usage(row: Row | undefined): UsageStats {
  const calls = row?.calls ?? 0;
  const errors = row?.errors ?? 0;
  return {
    calls,
    errors,
    errorRate: calls === 0 ? 0 : Math.round((errors / calls) * 10_000) / 10_000,
    latencyMs: {
      p50: round(row?.p50 ?? null),
      p95: round(row?.p95 ?? null),
      p99: round(row?.p99 ?? null),
    },
    byTransport: row?.by_transport ?? {},
    errorCodes: row?.error_codes ?? {},
  };
}
