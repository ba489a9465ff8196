import { CreateTools1764057600000 } from './1764057600000-create-tools.js';
import { AddToolExecutor1764230400000 } from './1764230400000-add-tool-executor.js';
import { CreateToolCalls1764316800000 } from './1764316800000-create-tool-calls.js';
import { CreateRateLimits1764417600000 } from './1764417600000-create-rate-limits.js';
import { AddToolImportOrigin1764662400000 } from './1764662400000-add-tool-import-origin.js';
import { AddToolRequiredScope1764720000000 } from './1764720000000-add-tool-required-scope.js';

/** Every migration, oldest first. Listed explicitly: ESM builds cannot rely on file globs. */
export const MIGRATIONS = [
  CreateTools1764057600000,
  AddToolExecutor1764230400000,
  CreateToolCalls1764316800000,
  CreateRateLimits1764417600000,
  AddToolImportOrigin1764662400000,
  AddToolRequiredScope1764720000000,
];
