import type { Environment } from './validate-environment.js';

const REFERENCE_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

/**
 * The environment variables HTTP tools may read as `${NAME}` header secrets: any upper-case
 * name except the protected ones, which are the settings of the platform and of every server
 * the launcher runs (database URL, API keys, a data provider's key...). Values are read at
 * call time, so a rotated secret needs no restart.
 */
export class ToolSecrets {
  readonly #protected: ReadonlySet<string>;

  constructor(
    protectedNames: Iterable<string>,
    private readonly env: Environment = process.env,
  ) {
    this.#protected = new Set(protectedNames);
  }

  /** Why `name` cannot be used as a `${NAME}` reference, if it cannot. */
  problem(name: string): string | undefined {
    if (!REFERENCE_NAME.test(name)) return 'must be an upper-case environment variable name';
    if (this.#protected.has(name)) return "is one of the servers' own settings";
    return undefined;
  }

  /** The secret `name` refers to, or undefined when it is unset or not readable by tools. */
  read(name: string): string | undefined {
    return this.problem(name) === undefined ? this.env[name] : undefined;
  }
}
