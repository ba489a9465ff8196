import { createHash, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

/** Who made a request, as far as its bearer key or access token says. */
export interface Caller {
  /** Name used in logs, audit and rate limits (`admin` for the admin key, `oauth:<sub>` for a token). */
  name: string;
  role: 'admin' | 'caller';
  /**
   * What an OAuth access token allows (its `scope`); absent for API keys, which the key's
   * role alone limits.
   */
  scopes?: ReadonlySet<string>;
  /** The OAuth client the token was issued to (`client_id`), for logs. */
  clientId?: string;
}

export interface ApiKeyEntry {
  name: string;
  key: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Parses `API_KEYS`: a comma list of `name:key` or bare `key` entries. Bare keys
 * are named `key-1`, `key-2`... by position, so logs can still tell callers apart.
 */
export function parseApiKeys(raw: string): ApiKeyEntry[] {
  return raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const colon = entry.indexOf(':');
      const name = colon > 0 ? entry.slice(0, colon) : '';
      return NAME.test(name) && entry.length - colon - 1 >= 16
        ? { name, key: entry.slice(colon + 1) }
        : { name: `key-${i + 1}`, key: entry };
    });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

interface StoredKey {
  caller: Caller;
  digest: Buffer;
}

/**
 * The configured keys. Only SHA-256 digests are kept, compared in constant time
 * against every key (no early exit), so neither timing nor a heap dump nor a
 * stray `console.log(config)` gives a key away.
 */
export class KeyRing {
  readonly #keys: StoredKey[];
  readonly hasAdminKey: boolean;
  readonly hasCallerKeys: boolean;

  constructor(adminKey: string | undefined, callerKeys: ApiKeyEntry[]) {
    const keys: StoredKey[] = [];
    if (adminKey) keys.push({ caller: { name: 'admin', role: 'admin' }, digest: digest(adminKey) });
    const names = new Set<string>();
    for (const entry of callerKeys) {
      if (names.has(entry.name) || entry.name === 'admin') {
        throw new Error(`the caller name '${entry.name}' is used twice or is reserved`);
      }
      names.add(entry.name);
      const d = digest(entry.key);
      if (keys.some((k) => timingSafeEqual(k.digest, d))) {
        throw new Error(`the key of '${entry.name}' repeats another key (or ADMIN_API_KEY)`);
      }
      keys.push({ caller: { name: entry.name, role: 'caller' }, digest: d });
    }
    this.#keys = keys;
    this.hasAdminKey = Boolean(adminKey);
    this.hasCallerKeys = callerKeys.length > 0;
  }

  /** The caller a presented key belongs to, or undefined; takes the same time whichever key matches. */
  identify(presented: string): Caller | undefined {
    const d = digest(presented);
    let found: Caller | undefined;
    for (const k of this.#keys) {
      if (timingSafeEqual(k.digest, d) && !found) found = k.caller;
    }
    return found;
  }

  get size(): number {
    return this.#keys.length;
  }

  toJSON(): string {
    return `[KeyRing: ${this.#keys.length} keys]`;
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
