import { findProjectDir } from '@app/core';

/**
 * This checkout's directory (where `package.json` is), found from this file, whether it runs
 * from `apps/` or `dist/apps/`: the servers read its `.env` and keep their data under it.
 */
export const PROJECT_DIR = findProjectDir(import.meta.url);
