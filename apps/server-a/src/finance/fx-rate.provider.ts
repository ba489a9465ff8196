import { InvalidArgumentsError } from '@app/core';
import type { Decimal } from 'decimal.js';

/** Injection token of the configured {@link FxRateProvider}. */
export const FX_RATE_PROVIDER = Symbol('FX_RATE_PROVIDER');

/** Exchange rates from one base currency, as their source published them. */
export interface FxRates {
  base: string;
  /** Units of each currency per one unit of `base` (the `base/currency` rate), exactly as published. */
  rates: ReadonlyMap<string, Decimal>;
  /** The day the rates are for (YYYY-MM-DD). */
  date: string;
  /** The source's id, e.g. `frankfurter` or `simulated`. */
  source: string;
}

/** A source of exchange rates, for calculate_portfolio's `baseCurrency`. */
export interface FxRateProvider {
  /** Short id used in results, e.g. `frankfurter`. */
  readonly id: string;
  /** Human name used in error messages. */
  readonly label: string;
  /**
   * Rates from `base` into each of `currencies` (upper-case ISO 4217 codes), in one upstream
   * call at most. Throws {@link UnknownCurrencyError} naming the codes it has no rate for,
   * UpstreamError / UpstreamTimeoutError when the source fails.
   */
  getRates(base: string, currencies: readonly string[]): Promise<FxRates>;
}

/** The FX source has no rate for these currencies: a client error (400) naming them. */
export class UnknownCurrencyError extends InvalidArgumentsError {
  constructor(
    readonly currencies: readonly string[],
    source: string,
  ) {
    super(`${source} has no exchange rate for ${currencies.join(', ')}`, {
      currencies,
      provider: source,
    });
  }
}
