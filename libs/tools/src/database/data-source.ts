import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnv } from '@app/core';
import { dataSourceOptions } from './database.js';
import { runningEmbeddedUrl } from '@app/core';

/**
 * The DataSource used by the TypeORM CLI (`npm run migration:run|revert|generate`).
 * It uses DATABASE_URL, or the embedded cluster that `npm start` is running.
 */
loadDotEnv();
const config = loadConfig();
const url = config.databaseUrl ?? (await runningEmbeddedUrl(config.dataDir));
if (!url) {
  throw new Error(
    'No database: set DATABASE_URL, or start the servers (npm start) so the embedded PostgreSQL runs.',
  );
}

export default new DataSource(dataSourceOptions(url));
