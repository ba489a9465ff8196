import { inspect } from 'node:util';

/**
 * A secret setting (a data provider's key, a collector's headers): readable by the one place
 * that sends it, and shown as `(hidden)` by JSON, string conversion and `console.log`, so a
 * stray dump of the config gives nothing away.
 */
export class ProviderSecret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself, for the request header that carries it. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '(hidden)';
  }

  toString(): string {
    return '(hidden)';
  }

  [inspect.custom](): string {
    return 'ProviderSecret (hidden)';
  }
}
