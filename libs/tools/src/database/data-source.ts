import { DataSource } from 'typeorm';
import { resolve } from 'node:path';
import { findProjectDir, loadConfig, loadDotEnv } from '@app/core';
import { dataSourceOptions } from './database.js';
import { runningEmbeddedUrl } from '@app/core';

/**
 * The DataSource used by the TypeORM CLI (`npm run migration:run|revert|generate`).
 * It uses DATABASE_URL, or the embedded cluster that `npm start` is running.
 */
// The project's `.env` and data directory, as the servers read them, from any working directory.
const projectDir = findProjectDir(import.meta.url);
loadDotEnv(projectDir);
const config = loadConfig();
const url = config.databaseUrl ?? (await runningEmbeddedUrl(resolve(projectDir, config.dataDir)));
if (!url) {
  throw new Error(
    'No database: set DATABASE_URL, or start the servers (npm start) so the embedded PostgreSQL runs.',
  );
}

export default new DataSource(dataSourceOptions(url));
