import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryDeepPartialEntity, type Repository } from 'typeorm';

import { ToolEntity } from './tool.entity.js';
import { TOOLS_DATA_SOURCE } from './tools.constants.js';
import {
  DatabaseUnavailableError,
  InvalidRequestError,
  ToolConflictError,
  ToolNotFoundError,
} from '@app/core';

const UNIQUE_VIOLATION = '23505';
/** Rows per INSERT of an import: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 200;
export const TOOLS_CHANNEL = 'tools_changed';

/** One tool changed, or (`reload`) many at once: an import, announced once. */
export type ToolChange =
  | { serverId: string; name: string; action: 'upsert' | 'delete' }
  | { serverId: string; action: 'reload' };

/** What an import writes: new rows, changed fields of existing ones, and the ids to delete. */
export interface ImportWrite {
  insert: Array<Partial<ToolEntity> & Pick<ToolEntity, 'serverId' | 'name'>>;
  update: Array<{ id: string; patch: Partial<ToolEntity> }>;
  delete: string[];
}

/** Database access for the `tools` table; the only code that writes to it. */
@Injectable()
export class ToolsRepository {
  private readonly repo: Repository<ToolEntity>;

  constructor(@Inject(TOOLS_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(ToolEntity);
  }

  findAll(serverId: string): Promise<ToolEntity[]> {
    return guard(() => this.repo.find({ where: { serverId }, order: { name: 'ASC' } }));
  }

  findOne(serverId: string, name: string): Promise<ToolEntity | null> {
    return guard(() => this.repo.findOne({ where: { serverId, name } }));
  }

  /** Every tool name of every server but `serverId`, with its server. */
  async otherServersTools(serverId: string): Promise<Array<{ serverId: string; name: string }>> {
    const rows = await guard(() =>
      this.dataSource.query<Array<{ server_id: string; name: string }>>(
        'SELECT server_id, name FROM tools WHERE server_id <> $1',
        [serverId],
      ),
    );
    return rows.map((r) => ({ serverId: r.server_id, name: r.name }));
  }

  /** Inserts a new tool; the unique index (not a prior check) decides who wins a race. */
  async insert(
    tool: Partial<ToolEntity> & Pick<ToolEntity, 'serverId' | 'name'>,
  ): Promise<ToolEntity> {
    try {
      const saved = await guard(() =>
        this.dataSource.transaction(async (em) => {
          const row = await em
            .getRepository(ToolEntity)
            .save(em.getRepository(ToolEntity).create(tool));
          await notify(em.query.bind(em), {
            serverId: tool.serverId,
            name: tool.name,
            action: 'upsert',
          });
          return row;
        }),
      );
      return saved;
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
        throw new ToolConflictError(tool.name, tool.serverId);
      }
      throw err;
    }
  }

  /**
   * Changes one tool under a row lock. `decide` sees the current row and returns the
   * fields to change (the version is bumped and every process told) or null for no change.
   */
  async update(
    serverId: string,
    name: string,
    decide: (current: ToolEntity) => Partial<ToolEntity> | null,
  ): Promise<ToolEntity> {
    return guard(() =>
      this.dataSource.transaction(async (em) => {
        const repo = em.getRepository(ToolEntity);
        const current = await lockTool(repo, serverId, name);
        const patch = decide(current);
        if (patch === null) return current;
        await repo.save(Object.assign(current, patch, { version: current.version + 1 }));
        await notify(em.query.bind(em), { serverId, name, action: 'upsert' });
        return repo.findOneOrFail({ where: { id: current.id } });
      }),
    );
  }

  /** Deletes one tool under a row lock once `check` (which may throw) accepts the current row. */
  async delete(
    serverId: string,
    name: string,
    check: (current: ToolEntity) => void,
  ): Promise<void> {
    await guard(() =>
      this.dataSource.transaction(async (em) => {
        const repo = em.getRepository(ToolEntity);
        const current = await lockTool(repo, serverId, name);
        check(current);
        await repo.delete({ id: current.id });
        await notify(em.query.bind(em), { serverId, name, action: 'delete' });
      }),
    );
  }

  /**
   * Applies an import in one transaction under a per-server advisory lock (two imports on
   * one server never interleave): `plan` sees this server's current tools and returns what
   * to write. Every process is told once, with a `reload`, so one import is one change.
   */
  async applyImport<T>(
    serverId: string,
    plan: (current: ToolEntity[]) => { write: ImportWrite; result: T },
  ): Promise<T> {
    try {
      return await guard(() =>
        this.dataSource.transaction(async (em) => {
          await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
            `tools-import:${serverId}`,
          ]);
          const repo = em.getRepository(ToolEntity);
          const current = await repo.find({ where: { serverId } });
          const { write, result } = plan(current);
          if (write.delete.length > 0) await repo.delete(write.delete);
          for (const { id, patch } of write.update) {
            await repo.update(id, {
              ...(patch as QueryDeepPartialEntity<ToolEntity>),
              version: () => 'version + 1',
              updatedAt: () => 'now()',
            });
          }
          // Multi-row INSERTs: save() would insert and re-read one row at a time.
          for (let i = 0; i < write.insert.length; i += INSERT_CHUNK) {
            const rows = write.insert.slice(i, i + INSERT_CHUNK);
            await repo.insert(rows as QueryDeepPartialEntity<ToolEntity>[]);
          }
          if (write.delete.length + write.update.length + write.insert.length > 0) {
            await notify(em.query.bind(em), { serverId, action: 'reload' });
          }
          return result;
        }),
      );
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
        throw new ToolConflictError('(one of the imported tools)', serverId);
      }
      throw err;
    }
  }

  /**
   * Seeds built-in tools idempotently: inserts missing ones, refreshes their
   * description and schemas, and leaves `enabled` (an operator's choice) alone.
   */
  async upsertBuiltins(
    rows: Array<
      Pick<
        ToolEntity,
        | 'serverId'
        | 'name'
        | 'title'
        | 'description'
        | 'parameters'
        | 'inputSchema'
        | 'outputSchema'
        | 'annotations'
        | 'requiredScope'
      >
    >,
  ): Promise<void> {
    if (rows.length === 0) return;
    await guard(() =>
      this.dataSource.transaction(async (em) => {
        for (const r of rows) {
          await em.query(
            `INSERT INTO tools (server_id, name, title, description, parameters, input_schema, output_schema, annotations, required_scope, builtin)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)
             ON CONFLICT (server_id, name) DO UPDATE SET
               title = EXCLUDED.title, description = EXCLUDED.description, parameters = EXCLUDED.parameters,
               input_schema = EXCLUDED.input_schema, output_schema = EXCLUDED.output_schema,
               annotations = EXCLUDED.annotations, required_scope = EXCLUDED.required_scope, builtin = true,
               version = tools.version + 1, updated_at = now()
             WHERE tools.description IS DISTINCT FROM EXCLUDED.description
                OR tools.title IS DISTINCT FROM EXCLUDED.title
                OR tools.input_schema IS DISTINCT FROM EXCLUDED.input_schema
                OR tools.output_schema IS DISTINCT FROM EXCLUDED.output_schema
                OR tools.annotations IS DISTINCT FROM EXCLUDED.annotations
                OR tools.required_scope IS DISTINCT FROM EXCLUDED.required_scope
                OR tools.builtin IS DISTINCT FROM true`,
            [
              r.serverId,
              r.name,
              r.title,
              r.description,
              JSON.stringify(r.parameters),
              JSON.stringify(r.inputSchema),
              r.outputSchema === null ? null : JSON.stringify(r.outputSchema),
              r.annotations === null ? null : JSON.stringify(r.annotations),
              r.requiredScope,
            ],
          );
        }
      }),
    );
  }

  /** True when a trivial query answers within `timeoutMs`. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.dataSource.query('SELECT 1').then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reads one tool and locks its row until the transaction ends; 404 when it does not exist. */
async function lockTool(
  repo: Repository<ToolEntity>,
  serverId: string,
  name: string,
): Promise<ToolEntity> {
  const current = await repo.findOne({
    where: { serverId, name },
    lock: { mode: 'pessimistic_write' },
  });
  if (!current) throw new ToolNotFoundError(name, serverId);
  return current;
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Tells every process sharing the database (including this one) that a tool changed; delivered at commit. */
function notify(query: Query, change: ToolChange): Promise<unknown> {
  return query('SELECT pg_notify($1, $2)', [TOOLS_CHANNEL, JSON.stringify(change)]);
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P03',
  '08006',
  '08001',
  '08003',
]);

/**
 * SQLSTATEs of values PostgreSQL refuses to store: the client sent them, so they answer 400
 * (with what was wrong, never the SQL) instead of 500. Class 22 is "data exception", 54000
 * "program limit exceeded" (a value too large for an index).
 */
const UNSTORABLE: Record<string, string> = {
  '22021': 'a text value holds a character PostgreSQL cannot store (NUL, U+0000)',
  '22P05': 'a JSON value holds a character PostgreSQL cannot store (\\u0000)',
  '22001': 'a value is longer than the database allows',
  '54000': 'a value is too large for the database',
};

/** The 400 for a value the database refused, or undefined when the failure is not the client's. */
function unstorableValue(code: string | undefined): InvalidRequestError | undefined {
  if (!code || !(code in UNSTORABLE || code.startsWith('22'))) return undefined;
  const reason = UNSTORABLE[code] ?? 'a value is outside what the database accepts';
  return new InvalidRequestError(`The request cannot be stored: ${reason}`, { reason });
}

/**
 * Maps "the database is not there" failures to a 503 and values the database refuses to
 * store to a 400, instead of a 500.
 */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; driverError?: { code?: string }; message?: string };
    const code = e.code ?? e.driverError?.code;
    const unstorable = unstorableValue(code);
    if (unstorable) throw unstorable;
    if (
      (code && CONNECTION_ERRORS.has(code)) ||
      /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(
        e.message ?? '',
      )
    ) {
      throw new DatabaseUnavailableError();
    }
    throw err;
  }
}
