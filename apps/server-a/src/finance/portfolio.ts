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
  warnings: string[];
  asOf: string;
  source: string;
}

const ZERO = new Decimal(0);

/** Rounds money to the cent, half away from zero, as statements do. */
export function cents(d: Decimal): Decimal {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * Values priced positions in exact decimal arithmetic. Each position's value and cost are
 * rounded to the cent once; totals are the exact sums of those, so they always add up, and
 * weights are distributed by largest remainder so they sum to exactly 100.
 */
export function valuePortfolio(
  positions: readonly PricedPosition[],
  options: { baseCurrency?: string; asOf: Date; source: string; warnings?: string[] },
): PortfolioResult {
  const rows = positions.map((p) => {
    const value = cents(p.quantity.mul(p.price));
    const cost = cents(p.cost);
    return { p, value, cost, pnl: value.minus(cost) };
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

  const currencies = [...new Set(positions.map((p) => p.currency))].sort();
  const currency = options.baseCurrency ?? (currencies.length === 1 ? currencies[0] : 'USD');
  const warnings = [...(options.warnings ?? [])];
  if (currencies.some((c) => c !== currency)) {
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
    })),
    concentration: {
      largestPosition: rows[largest]?.p.symbol ?? '',
      largestWeight: weights[largest] ?? 0,
      herfindahlIndex: hhi.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toNumber(),
      effectivePositions: hhi.isZero()
        ? null
        : new Decimal(1).div(hhi).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber(),
    },
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
