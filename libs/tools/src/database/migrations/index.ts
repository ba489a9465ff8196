import { CreateTools1764057600000 } from './1764057600000-create-tools.js';

/** Every migration, oldest first. Listed explicitly: ESM builds cannot rely on file globs. */
export const MIGRATIONS = [CreateTools1764057600000];
