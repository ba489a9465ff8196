import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RLWrapperTimeouts,
} from 'rate-limiter-flexible';

/** The one window the limits are counted in. */
export const RATE_LIMIT_WINDOW_SECONDS = 60;

/**
 * How long the shared store may take to count a call before the process counts it itself:
 * far above a loopback round trip (under 1 ms), far below a client's patience.
 */
export const RATE_LIMIT_STORE_TIMEOUT_MS = 500;

/**
 * Where the rate-limit counters live, provided under {@link RATE_LIMIT_STORE} by the module
 * that composes a server. `memory`: in this process only. `postgres`: in a table every
 * process of every server shares (keys carry `scope`, so each server keeps its own budgets).
 */
export type RateLimitStore =
  | { type: 'memory' }
  | {
      type: 'postgres';
      /** A TypeORM DataSource (its pg pool is used) or a pg Pool. */
      client: unknown;
      clientType: 'typeorm' | 'pool';
      /** The table a migration created (the library's own CREATE TABLE is never run). */
      tableName: string;
      /** What makes one server's counters its own, e.g. its id. */
      scope: string;
    };

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/**
 * The limiter for `points` calls per window in the given store. A shared store is used
 * through rate-limiter-flexible's PostgreSQL limiter, with two of its own safeguards: a
 * caller past the limit is then refused from memory until the window resets (a flood costs
 * no query), and when the store fails or takes longer than {@link RATE_LIMIT_STORE_TIMEOUT_MS}
 * the call is counted in this process instead (the insurance limiter): the database being
 * down neither opens the limit nor refuses every call.
 */
export function createRateLimiter(store: RateLimitStore, points: number): RateLimiterAbstract {
  const perProcess = new RateLimiterMemory({ points, duration: RATE_LIMIT_WINDOW_SECONDS });
  if (store.type === 'memory') return perProcess;
  const shared = new RateLimiterPostgres({
    storeClient: store.client,
    storeType: store.clientType,
    tableName: store.tableName,
    tableCreated: true,
    keyPrefix: store.scope,
    points,
    duration: RATE_LIMIT_WINDOW_SECONDS,
    inMemoryBlockOnConsumed: points + 1,
  });
  return new RLWrapperTimeouts({
    limiter: shared,
    timeoutMs: RATE_LIMIT_STORE_TIMEOUT_MS,
    insuranceLimiter: perProcess,
  });
}
