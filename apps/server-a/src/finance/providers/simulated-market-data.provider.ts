import { UnknownSymbolError } from '@app/core';
import { Decimal } from 'decimal.js';
import type { MarketDataProvider } from '../market-data.provider.js';
import { type PriceHistory, type PriceRange, RANGE_INTERVALS } from '../price-history.js';
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

  getHistory(symbol: string, range: PriceRange): Promise<PriceHistory> {
    if (symbol.startsWith('ZZZ')) {
      return Promise.reject(new UnknownSymbolError(symbol, this.label));
    }
    return Promise.resolve(simulatedHistory(symbol, range, this.now()));
  }
}

/** How many points each simulated range has (a trading day of 5-minute bars, and so on). */
const POINTS: Record<PriceRange, number> = {
  '1d': 78,
  '5d': 65,
  '1mo': 22,
  '3mo': 63,
  '6mo': 126,
  '1y': 52,
  '5y': 60,
};

/**
 * The simulated closes of `symbol` over `range` on the UTC day of `at`: a seeded random walk
 * that ends at the day's simulated price, so the chart agrees with the quote.
 */
export function simulatedHistory(symbol: string, range: PriceRange, at: Date): PriceHistory {
  const quote = simulatedQuote(symbol, at);
  const { interval, seconds } = RANGE_INTERVALS[range];
  const count = POINTS[range];
  const end = Date.parse(quote.asOf);
  // Longer steps move further: about 1% per day, scaled by the square root of the step.
  const volatility = new Decimal(0.01).mul(Math.sqrt(seconds / 86_400));
  const points = [{ time: quote.asOf, close: new Decimal(quote.price) }];
  for (let i = 1; i < count; i++) {
    const step = new Decimal(seeded(`walk:${symbol}:${range}:${quote.asOf}:${i}`))
      .minus(0.5)
      .mul(2);
    const previous = points[0].close.div(new Decimal(1).plus(step.mul(volatility)));
    points.unshift({
      time: new Date(end - i * seconds * 1000).toISOString(),
      close: previous,
    });
  }
  return {
    range,
    interval,
    currency: quote.currency,
    points: points.map((p) => ({
      time: p.time,
      close: p.close.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber(),
    })),
  };
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
