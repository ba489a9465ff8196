import { Inject, Injectable } from '@nestjs/common';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from './market-data.provider.js';
import type { Quote } from './quote.js';
import { mapBounded } from './bounded.js';

/** Injection token of the quote cache's time to live, in milliseconds (0: no cache). */
export const QUOTE_CACHE_TTL = Symbol('QUOTE_CACHE_TTL');

/** How many quotes one request fetches at once; the rest wait their turn. */
export const QUOTE_CONCURRENCY = 8;

const MAX_CACHED = 5000;

interface Entry {
  quote: Quote;
  expires: number;
}

/**
 * Quotes through the configured provider, remembered for a short time. Concurrent
 * requests for one symbol share one upstream call (single flight); failures are not cached.
 */
@Injectable()
export class QuoteService {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Quote>>();

  constructor(
    @Inject(MARKET_DATA_PROVIDER) readonly provider: MarketDataProvider,
    @Inject(QUOTE_CACHE_TTL) private readonly ttlMs: number,
  ) {}

  /** The quote of one normalised symbol. */
  get(symbol: string): Promise<Quote> {
    const now = Date.now();
    const hit = this.cache.get(symbol);
    if (hit && hit.expires > now) return Promise.resolve(hit.quote);
    const pending = this.inFlight.get(symbol);
    if (pending) return pending;
    const call = this.provider
      .getQuote(symbol)
      .then((quote) => {
        if (this.ttlMs > 0) {
          this.evictExpired(now);
          this.cache.set(symbol, { quote, expires: Date.now() + this.ttlMs });
        }
        return quote;
      })
      .finally(() => this.inFlight.delete(symbol));
    this.inFlight.set(symbol, call);
    return call;
  }

  /** Each symbol's quote or its error, in order, with a bounded number of upstream calls at once. */
  getMany(symbols: readonly string[]): Promise<Array<PromiseSettledResult<Quote>>> {
    return mapBounded(symbols, QUOTE_CONCURRENCY, (s) =>
      this.get(s).then(
        (value): PromiseSettledResult<Quote> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<Quote> => ({ status: 'rejected', reason }),
      ),
    );
  }

  // Keeps the cache bounded when many distinct symbols are asked for; Maps iterate oldest first.
  private evictExpired(now: number): void {
    if (this.cache.size < MAX_CACHED) return;
    for (const [key, entry] of this.cache) if (entry.expires <= now) this.cache.delete(key);
    for (const key of this.cache.keys()) {
      if (this.cache.size < MAX_CACHED) break;
      this.cache.delete(key);
    }
  }
}
