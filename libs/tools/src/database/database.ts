import { DataSource, type DataSourceOptions } from 'typeorm';
import { ToolEntity } from '../tool.entity.js';
import { MIGRATIONS } from './migrations/index.js';

/** Key of the advisory lock that serialises migrations between processes sharing one database. */
export const MIGRATION_LOCK_KEY = 4_240_317;

/** TypeORM options for the platform's database; `synchronize` is always off. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [ToolEntity],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: 10, connectionTimeoutMillis: 5000, application_name: 'mcp-multi-server' },
  };
}

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so that
 * several processes starting together against one database take turns.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await runner.release();
  }
}
