/** Most entries kept; the oldest go first when more keys than this are asked for. */
const MAX_ENTRIES = 5000;

/**
 * Remembers successful answers for `ttlMs` (0: not at all) and lets concurrent requests
 * for one key share one call (single flight). Failures are never remembered.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(private readonly ttlMs: number) {}

  /** The remembered value of `key`, the call already under way for it, or a new call of `load`. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return Promise.resolve(hit.value);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const call = load()
      .then((value) => {
        if (this.ttlMs > 0) this.remember(key, value);
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private remember(key: string, value: V): void {
    const now = Date.now();
    if (this.entries.size >= MAX_ENTRIES) {
      for (const [k, e] of this.entries) if (e.expires <= now) this.entries.delete(k);
      // Maps iterate oldest first.
      for (const k of this.entries.keys()) {
        if (this.entries.size < MAX_ENTRIES) break;
        this.entries.delete(k);
      }
    }
    this.entries.delete(key);
    this.entries.set(key, { value, expires: now + this.ttlMs });
  }
}
