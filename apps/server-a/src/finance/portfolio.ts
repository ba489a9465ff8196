import { Decimal } from 'decimal.js';

/** One position after holdings of the same symbol were merged and its price is known. */
export interface PricedPosition {
  symbol: string;
  quantity: Decimal;
  price: Decimal;
  currency: string;
  /** Sum of quantity × cost basis over the merged lots. */
  cost: Decimal;
  /** `input` when the caller gave the price, else the provider's id. */
  priceSource: string;
}

export interface PositionResult {
  symbol: string;
  quantity: number;
  price: number;
  currency: string;
  value: number;
  cost: number;
  costBasis: number;
  weight: number;
  pnl: number;
  pnlPercent: number | null;
  priceSource: string;
  /** Value and cost in the position's own currency, when they were converted. */
  localValue?: number;
  localCost?: number;
}

/** An exchange rate a portfolio was converted with: one `pair` unit is worth `rate` of the second. */
export interface FxRateUsed {
  /** `BASE/OTHER`, e.g. `USD/EUR`: 1 USD = rate EUR; amounts in EUR are divided by it. */
  pair: string;
  rate: number;
  date: string;
  source: string;
}

/** Rates to convert positions into the base currency with. */
export interface FxConversion {
  /** Units of each position currency per one unit of the base currency. */
  rates: ReadonlyMap<string, Decimal>;
  /** The rates as the result reports them. */
  used: FxRateUsed[];
}

export interface PortfolioResult {
  totalValue: number;
  totalCost: number;
  unrealizedPnL: number;
  unrealizedPnLPercent: number | null;
  currency: string;
  positions: PositionResult[];
  concentration: {
    largestPosition: string;
    largestWeight: number;
    herfindahlIndex: number;
    effectivePositions: number | null;
  };
  /** The exchange rates used (empty when nothing was converted). */
  fxRates: FxRateUsed[];
  warnings: string[];
  asOf: string;
  source: string;
}

const ZERO = new Decimal(0);

/**
 * Division by an exchange rate rarely terminates; 40 significant digits keep the quotient
 * far from any half cent it is not exactly on, so rounding it to cents is exact.
 */
const Precise = Decimal.clone({ precision: 40 });

/** Rounds money to the cent, half away from zero, as statements do. */
export function cents(d: Decimal): Decimal {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * Values priced positions in exact decimal arithmetic. Each position's value and cost are
 * rounded to the cent once (after conversion into the base currency, when `fx` has a rate
 * for its currency); totals are the exact sums of those, so they always add up, and weights
 * are distributed by largest remainder so they sum to exactly 100.
 */
export function valuePortfolio(
  positions: readonly PricedPosition[],
  options: {
    baseCurrency?: string;
    fx?: FxConversion;
    asOf: Date;
    source: string;
    warnings?: string[];
  },
): PortfolioResult {
  const currencies = [...new Set(positions.map((p) => p.currency))].sort();
  const currency = options.baseCurrency ?? (currencies.length === 1 ? currencies[0] : 'USD');
  const rows = positions.map((p) => {
    const local = p.quantity.mul(p.price);
    const rate = p.currency === currency ? undefined : options.fx?.rates.get(p.currency);
    const value = cents(rate ? new Precise(local).div(rate) : local);
    const cost = cents(rate ? new Precise(p.cost).div(rate) : p.cost);
    const converted = rate ? { localValue: cents(local), localCost: cents(p.cost) } : undefined;
    return { p, value, cost, pnl: value.minus(cost), converted };
  });
  const totalValue = rows.reduce((s, r) => s.plus(r.value), ZERO);
  const totalCost = rows.reduce((s, r) => s.plus(r.cost), ZERO);
  const pnl = totalValue.minus(totalCost);
  const weights = percentWeights(rows.map((r) => r.value));
  const fractions = totalValue.isZero() ? [] : rows.map((r) => r.value.div(totalValue));
  const hhi = fractions.reduce((s, f) => s.plus(f.mul(f)), ZERO);
  let largest = 0;
  rows.forEach((r, i) => {
    if (r.value.greaterThan(rows[largest].value)) largest = i;
  });

  const warnings = [...(options.warnings ?? [])];
  if (currencies.some((c) => c !== currency && !options.fx?.rates.has(c))) {
    warnings.push(
      `Positions are in ${currencies.join(', ')} but totals are reported in ${currency}: amounts are added without currency conversion`,
    );
  }

  return {
    totalValue: totalValue.toNumber(),
    totalCost: totalCost.toNumber(),
    unrealizedPnL: pnl.toNumber(),
    unrealizedPnLPercent: percent(pnl, totalCost),
    currency,
    positions: rows.map((r, i) => ({
      symbol: r.p.symbol,
      quantity: r.p.quantity.toNumber(),
      price: r.p.price.toNumber(),
      currency: r.p.currency,
      value: r.value.toNumber(),
      cost: r.cost.toNumber(),
      costBasis: r.p.cost.div(r.p.quantity).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toNumber(),
      weight: weights[i],
      pnl: r.pnl.toNumber(),
      pnlPercent: percent(r.pnl, r.cost),
      priceSource: r.p.priceSource,
      ...(r.converted
        ? {
            localValue: r.converted.localValue.toNumber(),
            localCost: r.converted.localCost.toNumber(),
          }
        : {}),
    })),
    concentration: {
      largestPosition: rows[largest]?.p.symbol ?? '',
      largestWeight: weights[largest] ?? 0,
      herfindahlIndex: hhi.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toNumber(),
      effectivePositions: hhi.isZero()
        ? null
        : new Decimal(1).div(hhi).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber(),
    },
    fxRates: options.fx?.used ?? [],
    warnings,
    asOf: options.asOf.toISOString(),
    source: options.source,
  };
}

/** `part / whole` in percent to 2 decimals; null when the whole is zero (no meaningful ratio). */
function percent(part: Decimal, whole: Decimal): number | null {
  return whole.isZero()
    ? null
    : part.div(whole).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

/**
 * Percent weights to 2 decimals that sum to exactly 100 (largest remainder method);
 * all zeros when nothing has value.
 */
export function percentWeights(values: readonly Decimal[]): number[] {
  const total = values.reduce((s, v) => s.plus(v), ZERO);
  if (total.isZero()) return values.map(() => 0);
  // Work in hundredths of a percent: 10,000 units to share out.
  const exact = values.map((v) => v.mul(10000).div(total));
  const units = exact.map((e) => e.floor());
  let left = new Decimal(10000).minus(units.reduce((s, u) => s.plus(u), ZERO)).toNumber();
  const order = exact
    .map((e, i) => ({ i, rest: e.minus(units[i]) }))
    .sort((a, b) => b.rest.comparedTo(a.rest) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    units[i] = units[i].plus(1);
    left -= 1;
  }
  return units.map((u) => u.div(100).toNumber());
}
