import type { PriceHistory, PriceRange } from './price-history.js';
import type { Quote } from './quote.js';

/** Injection token of the configured {@link MarketDataProvider}. */
export const MARKET_DATA_PROVIDER = Symbol('MARKET_DATA_PROVIDER');

/** A source of quotes (MARKET_DATA_PROVIDER picks one). */
export interface MarketDataProvider {
  /** Short id used in results (`source`) and error messages, e.g. `yahoo`. */
  readonly id: string;
  /** Human name used in error messages, e.g. `Yahoo Finance`. */
  readonly label: string;
  /**
   * The latest quote for a normalised symbol. Throws UnknownSymbolError when the
   * provider knows no such instrument, UpstreamError / UpstreamTimeoutError otherwise.
   */
  getQuote(symbol: string): Promise<Quote>;
  /**
   * Closing prices of a normalised symbol over `range`, oldest first; absent on providers
   * without history. Errors as {@link getQuote}.
   */
  getHistory?(symbol: string, range: PriceRange): Promise<PriceHistory>;
}
