import { Inject, Injectable } from '@nestjs/common';
import { type FinanceConfig, financeConfig } from '../config/finance.config.js';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from './market-data.provider.js';
import type { PriceHistory, PriceRange } from './price-history.js';
import type { Quote } from './quote.js';
import { mapBounded } from './bounded.js';
import { TtlCache } from './ttl-cache.js';

/** How many quotes one request fetches at once; the rest wait their turn. */
export const QUOTE_CONCURRENCY = 8;

/**
 * Quotes through the configured provider, remembered for a short time. Concurrent
 * requests for one symbol share one upstream call (single flight); failures are not cached.
 */
@Injectable()
export class QuoteService {
  private readonly cache: TtlCache<Quote>;
  private readonly histories: TtlCache<PriceHistory>;

  constructor(
    @Inject(MARKET_DATA_PROVIDER) readonly provider: MarketDataProvider,
    @Inject(financeConfig.KEY) config: Pick<FinanceConfig, 'quoteCacheTtlMs'>,
  ) {
    this.cache = new TtlCache(config.quoteCacheTtlMs);
    this.histories = new TtlCache(config.quoteCacheTtlMs);
  }

  /** Whether the provider has price history at all. */
  get hasHistory(): boolean {
    return this.provider.getHistory !== undefined;
  }

  /** The price history of one normalised symbol over `range` (the provider must have history). */
  history(symbol: string, range: PriceRange): Promise<PriceHistory> {
    return this.histories.get(`${symbol} ${range}`, () => this.provider.getHistory!(symbol, range));
  }

  /** The quote of one normalised symbol. */
  get(symbol: string): Promise<Quote> {
    return this.cache.get(symbol, () => this.provider.getQuote(symbol));
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
}
