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

/**
 * How often buffered calls are written: with the one INSERT in flight, the most a crash
 * (SIGKILL, OOM) can lose. An empty buffer costs nothing; under load it means 5 multi-row
 * INSERTs a second instead of 1, off the request path.
 */
export const AUDIT_FLUSH_INTERVAL_MS = 200;
/** Rows per INSERT; a full batch is written at once, without waiting for the timer. */
export const AUDIT_BATCH_SIZE = 1000;
/** Calls kept in memory while the database is away; beyond it new calls are not recorded, only counted. */
export const AUDIT_BUFFER_LIMIT = 50_000;
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** While calls are being dropped, at most one warning per this long. */
export const AUDIT_DROP_WARNING_INTERVAL_MS = 60_000;

/**
 * Records every tool call in `tool_calls` without slowing or failing it: `record` only
 * pushes onto an in-memory buffer, which a timer writes in batches (one multi-row INSERT).
 * When the database is away the buffer is kept (bounded) and written once it is back;
 * past the bound new calls are dropped, counted, and warned about once per minute at most.
 * On shutdown (Nest's `onApplicationShutdown`, after the calls in flight have drained) the
 * buffer is written out.
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
  /** Dropped since writes last succeeded: the size of the current burst. */
  private droppedInBurst = 0;
  private lastDropWarning = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    @Inject(TOOLS_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), AUDIT_FLUSH_INTERVAL_MS);
    this.timer.unref();
    this.retentionTimer = setInterval(() => void this.applyRetention(), RETENTION_INTERVAL_MS);
    this.retentionTimer.unref();
    void this.applyRetention();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.retentionTimer);
    await this.flush();
    if (this.buffer.length > 0) {
      this.logger.error(
        `${this.buffer.length} audit record(s) could not be written before shutdown (database unreachable)`,
      );
    }
  }

  /** Queues one call; never throws, never waits. */
  record(call: CallRecord): void {
    if (this.buffer.length >= AUDIT_BUFFER_LIMIT) {
      this.dropped++;
      this.droppedInBurst++;
      this.warnDropping();
      return;
    }
    this.buffer.push(call);
    if (this.buffer.length >= AUDIT_BATCH_SIZE && !this.failing) void this.flush();
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
      const batch = this.buffer.slice(0, AUDIT_BATCH_SIZE);
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
      if (this.droppedInBurst > 0) {
        this.logger.warn(
          `${this.droppedInBurst} call(s) were left out of the audit while its buffer was full`,
        );
        this.droppedInBurst = 0;
        this.lastDropWarning = Number.NEGATIVE_INFINITY;
      }
    }
  }

  /** One warning when a burst of drops begins, then at most one a minute while it lasts. */
  private warnDropping(): void {
    const now = Date.now();
    if (now - this.lastDropWarning < AUDIT_DROP_WARNING_INTERVAL_MS) return;
    this.lastDropWarning = now;
    this.logger.warn(
      `audit buffer full (${AUDIT_BUFFER_LIMIT} calls waiting for the database): ` +
        `${this.droppedInBurst} call(s) dropped from the audit so far (audit_dropped_calls_total)`,
    );
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
