import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { ToolEntity } from './tool.entity.js';
import { TOOLS_DATA_SOURCE } from './tools.constants.js';
import { DatabaseUnavailableError, ToolConflictError, ToolNotFoundError } from '@app/core';

const UNIQUE_VIOLATION = '23505';
export const TOOLS_CHANNEL = 'tools_changed';

export interface ToolChange {
  serverId: string;
  name: string;
  action: 'upsert' | 'delete';
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

/** Maps "the database is not there" failures to a 503 instead of a 500. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; driverError?: { code?: string }; message?: string };
    const code = e.code ?? e.driverError?.code;
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
