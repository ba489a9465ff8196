import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ServerRuntime } from '@app/core';
import {
  AUDIT_BATCH_SIZE,
  AUDIT_BUFFER_LIMIT,
  AUDIT_DROP_WARNING_INTERVAL_MS,
  AUDIT_FLUSH_INTERVAL_MS,
  AuditService,
  type CallRecord,
} from './audit.service.js';

/** A database that records the rows of every INSERT, and can be taken away and brought back. */
class FakeDatabase {
  isInitialized = true;
  down = false;
  inserts: string[][] = [];
  readonly query = async (sql: string, params: unknown[] = []): Promise<unknown[]> => {
    if (sql.trimStart().startsWith('DELETE')) return [];
    if (this.down) throw new Error('connection refused');
    this.inserts.push(params[1] as string[]);
    return [];
  };

  get rows(): string[] {
    return this.inserts.flat();
  }
}

const runtime = {
  server: { id: 'server_t' },
  config: { audit: { retentionDays: 30 } },
} as unknown as ServerRuntime;

const call = (tool: string): CallRecord => ({
  tool,
  transport: 'rest',
  status: 'ok',
  durationMs: 1,
  calledAt: new Date(),
});

describe('AuditService', () => {
  let db: FakeDatabase;
  let audit: AuditService;
  let warnings: string[];
  let errors: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    db = new FakeDatabase();
    audit = new AuditService(runtime, db as unknown as DataSource);
    warnings = [];
    errors = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => {
      warnings.push(String(m));
    });
    jest.spyOn(Logger.prototype, 'error').mockImplementation((m: unknown) => {
      errors.push(String(m));
    });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    audit.onApplicationBootstrap();
  });

  afterEach(async () => {
    await audit.onApplicationShutdown();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('writes the calls of one interval in one INSERT, not one per call', async () => {
    audit.record(call('a'));
    audit.record(call('b'));
    audit.record(call('c'));
    await jest.advanceTimersByTimeAsync(AUDIT_FLUSH_INTERVAL_MS - 1);
    expect(db.inserts).toEqual([]);
    expect(audit.pending).toBe(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(db.inserts).toEqual([['a', 'b', 'c']]);
    expect(audit.pending).toBe(0);
  });

  it('writes a full batch at once, without waiting for the timer', async () => {
    for (let i = 0; i < AUDIT_BATCH_SIZE; i++) audit.record(call(`t${i}`));
    await jest.advanceTimersByTimeAsync(0);
    expect(db.inserts).toHaveLength(1);
    expect(db.inserts[0]).toHaveLength(AUDIT_BATCH_SIZE);
  });

  it('keeps the calls while the database is away and writes them, in order, once it is back', async () => {
    db.down = true;
    audit.record(call('a'));
    await jest.advanceTimersByTimeAsync(AUDIT_FLUSH_INTERVAL_MS * 5);
    audit.record(call('b'));
    await jest.advanceTimersByTimeAsync(AUDIT_FLUSH_INTERVAL_MS * 5);
    expect(audit.pending).toBe(2);
    expect(warnings.filter((w) => w.startsWith('audit writes paused'))).toHaveLength(1);
    db.down = false;
    await jest.advanceTimersByTimeAsync(AUDIT_FLUSH_INTERVAL_MS);
    expect(db.rows).toEqual(['a', 'b']);
    expect(audit.pending).toBe(0);
    expect(audit.dropped).toBe(0);
  });

  it('drops and counts calls past the buffer limit, warning once per burst and at most once a minute', async () => {
    db.down = true;
    for (let i = 0; i < AUDIT_BUFFER_LIMIT + 3; i++) audit.record(call('x'));
    await jest.advanceTimersByTimeAsync(0);
    expect(audit.pending).toBe(AUDIT_BUFFER_LIMIT);
    expect(audit.dropped).toBe(3);
    const dropWarnings = () => warnings.filter((w) => w.startsWith('audit buffer full'));
    expect(dropWarnings()).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(AUDIT_DROP_WARNING_INTERVAL_MS - 1000);
    for (let i = 0; i < 100; i++) audit.record(call('x'));
    expect(dropWarnings()).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    audit.record(call('x'));
    expect(dropWarnings()).toHaveLength(2);
    expect(dropWarnings()[1]).toContain('104 call(s) dropped');

    db.down = false;
    await jest.advanceTimersByTimeAsync(AUDIT_FLUSH_INTERVAL_MS);
    expect(audit.pending).toBe(0);
    expect(db.rows).toHaveLength(AUDIT_BUFFER_LIMIT);
    expect(audit.dropped).toBe(104);
    expect(warnings).toContain('104 call(s) were left out of the audit while its buffer was full');

    // A new burst warns again at once: the summary closed the previous one.
    db.down = true;
    for (let i = 0; i < AUDIT_BUFFER_LIMIT + 1; i++) audit.record(call('y'));
    expect(dropWarnings()).toHaveLength(3);
    db.down = false;
  });

  it('writes everything still buffered on shutdown, without waiting for the timer', async () => {
    audit.record(call('last'));
    await audit.onApplicationShutdown();
    expect(db.rows).toEqual(['last']);
    expect(errors).toEqual([]);
  });

  it('says how many calls it could not write when the database is away at shutdown', async () => {
    db.down = true;
    audit.record(call('a'));
    audit.record(call('b'));
    await audit.onApplicationShutdown();
    expect(errors).toEqual([
      '2 audit record(s) could not be written before shutdown (database unreachable)',
    ]);
    db.down = false;
  });
});
