import { UnknownSymbolError } from '@app/core';
import { Decimal } from 'decimal.js';
import type { MarketDataProvider } from '../market-data.provider.js';
import type { Quote } from '../quote.js';
import { seeded } from './seeded.js';

/**
 * Offline quotes: plausible, identical for one symbol all day (UTC), different the next day.
 * Symbols starting with `ZZZ` are unknown, so the unknown-symbol path can be tried offline.
 */
export class SimulatedMarketDataProvider implements MarketDataProvider {
  readonly id = 'simulated';
  readonly label = 'the simulated market';

  constructor(private readonly now: () => Date = () => new Date()) {}

  getQuote(symbol: string): Promise<Quote> {
    if (symbol.startsWith('ZZZ')) {
      return Promise.reject(new UnknownSymbolError(symbol, this.label));
    }
    return Promise.resolve(simulatedQuote(symbol, this.now()));
  }
}

/** The simulated quote of `symbol` on the UTC day of `at`. */
export function simulatedQuote(symbol: string, at: Date): Quote {
  const day = at.toISOString().slice(0, 10);
  const base = new Decimal(10).plus(new Decimal(seeded(`base:${symbol}`)).mul(490));
  const previousClose = base
    .mul(new Decimal(0.97).plus(new Decimal(seeded(`prev:${symbol}:${day}`)).mul(0.06)))
    .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const price = previousClose
    .mul(new Decimal(0.97).plus(new Decimal(seeded(`now:${symbol}:${day}`)).mul(0.06)))
    .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const change = price.minus(previousClose);
  return {
    symbol,
    price: price.toNumber(),
    currency: 'USD',
    change: change.toNumber(),
    changePercent: change
      .div(previousClose)
      .mul(100)
      .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
      .toNumber(),
    previousClose: previousClose.toNumber(),
    exchange: 'Simulated Exchange',
    marketState: 'CLOSED',
    // Stamped at the start of the simulated day, so the whole answer repeats all day long.
    asOf: `${day}T00:00:00.000Z`,
    source: 'simulated',
  };
}
