import { Decimal } from 'decimal.js';
import { type FxRateProvider, type FxRates, UnknownCurrencyError } from '../fx-rate.provider.js';

/** Plausible units of each currency per US dollar; fixed, so simulated conversions repeat exactly. */
export const SIMULATED_USD_RATES: Readonly<Record<string, string>> = {
  USD: '1',
  EUR: '0.92',
  GBP: '0.79',
  JPY: '150.5',
  CHF: '0.88',
  CAD: '1.36',
  AUD: '1.52',
  NZD: '1.66',
  CNY: '7.2',
  HKD: '7.8',
  SGD: '1.34',
  SEK: '10.5',
  NOK: '10.7',
  DKK: '6.86',
  PLN: '3.95',
  CZK: '23.1',
  HUF: '360',
  TRY: '32.5',
  ILS: '3.7',
  ZAR: '18.6',
  INR: '83.5',
  KRW: '1350',
  THB: '35.5',
  IDR: '15800',
  MYR: '4.7',
  PHP: '56.5',
  BRL: '5',
  MXN: '17.2',
};

/**
 * Offline exchange rates from a fixed table (MARKET_DATA_PROVIDER=simulated): cross rates of
 * the table's USD rates to 6 significant digits, dated today (UTC), labelled `simulated`.
 */
export class SimulatedFxRateProvider implements FxRateProvider {
  readonly id = 'simulated';
  readonly label = 'the simulated FX table';

  constructor(private readonly now: () => Date = () => new Date()) {}

  getRates(base: string, currencies: readonly string[]): Promise<FxRates> {
    const unknown = [base, ...currencies].filter((c) => SIMULATED_USD_RATES[c] === undefined);
    if (unknown.length > 0) {
      return Promise.reject(new UnknownCurrencyError([...new Set(unknown)], this.label));
    }
    const perUsd = new Decimal(SIMULATED_USD_RATES[base]);
    return Promise.resolve({
      base,
      rates: new Map(
        currencies.map((c) => [
          c,
          new Decimal(SIMULATED_USD_RATES[c]).div(perUsd).toSignificantDigits(6),
        ]),
      ),
      date: this.now().toISOString().slice(0, 10),
      source: this.id,
    });
  }
}
