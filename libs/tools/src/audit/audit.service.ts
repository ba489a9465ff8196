import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { TOOLS_DATA_SOURCE } from '../tools.constants.js';

/** One tool call as the audit keeps it. */
export interface CallRecord {
  tool: string;
  caller?: string;
  transport: string;
  status: 'ok' | 'error';
  errorCode?: string;
  durationMs: number;
  requestId?: string;
  calledAt: Date;
}

const FLUSH_INTERVAL_MS = 1000;
const BATCH_SIZE = 1000;
/** Calls kept in memory while the database is away; beyond it new calls are not recorded, only counted. */
export const AUDIT_BUFFER_LIMIT = 50_000;
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Records every tool call in `tool_calls` without slowing or failing it: `record` only
 * pushes onto an in-memory buffer, which a timer writes in batches (one multi-row INSERT).
 * When the database is away the buffer is kept (bounded) and written once it is back.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private buffer: CallRecord[] = [];
  private flushing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private retentionTimer?: NodeJS.Timeout;
  private failing = false;
  /** Calls dropped because the buffer was full while the database was away. */
  dropped = 0;

  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    @Inject(TOOLS_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
    this.retentionTimer = setInterval(() => void this.applyRetention(), RETENTION_INTERVAL_MS);
    this.retentionTimer.unref();
    void this.applyRetention();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.retentionTimer);
    await this.flush();
  }

  /** Queues one call; never throws, never waits. */
  record(call: CallRecord): void {
    if (this.buffer.length >= AUDIT_BUFFER_LIMIT) {
      this.dropped++;
      return;
    }
    this.buffer.push(call);
    if (this.buffer.length >= BATCH_SIZE && !this.failing) void this.flush();
  }

  /** Calls recorded but not yet written. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Writes everything buffered so far; failures keep the calls for the next attempt. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0 && this.dataSource.isInitialized) {
      const batch = this.buffer.slice(0, BATCH_SIZE);
      try {
        await this.insert(batch);
      } catch (err) {
        if (!this.failing) {
          this.logger.warn(
            `audit writes paused, ${this.buffer.length} calls kept in memory: ${(err as Error).message}`,
          );
        }
        this.failing = true;
        return;
      }
      this.buffer.splice(0, batch.length);
      if (this.failing) {
        this.logger.log('audit writes resumed');
        this.failing = false;
      }
    }
  }

  private async insert(batch: CallRecord[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO tool_calls (server_id, tool_name, caller, transport, status, error_code, duration_ms, request_id, called_at)
       SELECT $1, * FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[],
                                $7::float8[], $8::varchar[], $9::timestamptz[])`,
      [
        this.runtime.server.id,
        batch.map((c) => c.tool),
        batch.map((c) => c.caller?.slice(0, 128) ?? null),
        batch.map((c) => c.transport),
        batch.map((c) => c.status),
        batch.map((c) => c.errorCode?.slice(0, 64) ?? null),
        batch.map((c) => c.durationMs),
        batch.map((c) => c.requestId?.slice(0, 128) ?? null),
        batch.map((c) => c.calledAt.toISOString()),
      ],
    );
  }

  /** Deletes calls older than AUDIT_RETENTION_DAYS, in slices so no long lock is held. */
  async applyRetention(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const rows: unknown[] = await this.dataSource.query(
          `DELETE FROM tool_calls WHERE id IN (
             SELECT id FROM tool_calls WHERE called_at < now() - make_interval(days => $1) LIMIT 10000
           ) RETURNING 1`,
          [this.runtime.config.audit.retentionDays],
        );
        total += rows.length;
        if (rows.length < 10000) return total;
      }
    } catch (err) {
      this.logger.warn(`audit retention skipped: ${(err as Error).message}`);
      return total;
    }
  }
}
