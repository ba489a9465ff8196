import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import {
  type FxConversion,
  percentWeights,
  type PricedPosition,
  valuePortfolio,
} from './portfolio.js';

const asOf = new Date('2026-01-02T15:00:00Z');

function position(
  symbol: string,
  quantity: number,
  price: number,
  costBasis?: number,
): PricedPosition {
  const q = new Decimal(quantity);
  const p = new Decimal(price);
  return {
    symbol,
    quantity: q,
    price: p,
    currency: 'USD',
    cost: q.mul(costBasis === undefined ? p : new Decimal(costBasis)),
    priceSource: 'input',
  };
}

const value = (positions: PricedPosition[], baseCurrency?: string) =>
  valuePortfolio(positions, { asOf, source: 'simulated', baseCurrency });

describe('valuePortfolio', () => {
  it('values a small portfolio to the cent', () => {
    const result = value([position('AAPL', 10, 150.25, 120), position('MSFT', 5, 300.1, 310.5)]);
    expect(result).toMatchObject({
      totalValue: 3003,
      totalCost: 2752.5,
      unrealizedPnL: 250.5,
      unrealizedPnLPercent: 9.1,
      currency: 'USD',
      asOf: '2026-01-02T15:00:00.000Z',
      source: 'simulated',
      warnings: [],
    });
    expect(result.positions).toEqual([
      {
        symbol: 'AAPL',
        quantity: 10,
        price: 150.25,
        currency: 'USD',
        value: 1502.5,
        cost: 1200,
        costBasis: 120,
        weight: 50.03,
        pnl: 302.5,
        pnlPercent: 25.21,
        priceSource: 'input',
      },
      {
        symbol: 'MSFT',
        quantity: 5,
        price: 300.1,
        currency: 'USD',
        value: 1500.5,
        cost: 1552.5,
        costBasis: 310.5,
        weight: 49.97,
        pnl: -52,
        pnlPercent: -3.35,
        priceSource: 'input',
      },
    ]);
    expect(result.concentration).toEqual({
      largestPosition: 'AAPL',
      largestWeight: 50.03,
      herfindahlIndex: 0.5,
      effectivePositions: 2,
    });
  });

  it('adds 0.1 + 0.2 exactly', () => {
    const result = value([position('A', 1, 0.1, 0), position('B', 1, 0.2, 0)]);
    expect(result.totalValue).toBe(0.3);
    expect(result.unrealizedPnL).toBe(0.3);
    expect(result.unrealizedPnLPercent).toBeNull();
  });

  it('rounds half a cent away from zero, once per position', () => {
    const result = value([position('A', 3, 0.335, 0.335)]);
    expect(result.positions[0].value).toBe(1.01);
    expect(result.totalValue).toBe(1.01);
    expect(result.positions[0].pnl).toBe(0);
  });

  it('warns when positions are in several currencies', () => {
    const eur = { ...position('SAP.DE', 1, 200), currency: 'EUR' };
    const result = value([position('AAPL', 1, 100), eur]);
    expect(result.currency).toBe('USD');
    expect(result.warnings).toEqual([
      'Positions are in EUR, USD but totals are reported in USD: amounts are added without currency conversion',
    ]);
    expect(value([eur]).currency).toBe('EUR');
    expect(value([eur]).warnings).toEqual([]);
    expect(value([eur], 'USD').warnings).toHaveLength(1);
  });

  it('reports a single position as fully concentrated', () => {
    expect(value([position('AAPL', 2, 10)]).concentration).toEqual({
      largestPosition: 'AAPL',
      largestWeight: 100,
      herfindahlIndex: 1,
      effectivePositions: 1,
    });
  });

  // Amounts as a finance user types them: up to 4 decimals of quantity, cents or mills of price.
  const quantity = fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 10_000);
  const price = fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 1000);
  const holdings = fc.array(fc.tuple(quantity, price, fc.option(price, { nil: undefined })), {
    minLength: 1,
    maxLength: 40,
  });

  it('keeps totals equal to the sum of the positions (property)', () => {
    fc.assert(
      fc.property(holdings, (hs) => {
        const r = value(hs.map(([q, p, c], i) => position(`S${i}`, q, p, c)));
        const sum = (f: (p: (typeof r.positions)[number]) => number) =>
          r.positions.reduce((s, p) => s.plus(f(p)), new Decimal(0)).toNumber();
        expect(r.totalValue).toBe(sum((p) => p.value));
        expect(r.totalCost).toBe(sum((p) => p.cost));
        expect(r.unrealizedPnL).toBe(sum((p) => p.pnl));
        expect(r.unrealizedPnL).toBe(new Decimal(r.totalValue).minus(r.totalCost).toNumber());
      }),
    );
  });

  it('gives every money amount in whole cents (property)', () => {
    fc.assert(
      fc.property(holdings, (hs) => {
        const r = value(hs.map(([q, p, c], i) => position(`S${i}`, q, p, c)));
        const amounts = [r.totalValue, r.totalCost, r.unrealizedPnL];
        for (const p of r.positions) amounts.push(p.value, p.cost, p.pnl);
        for (const a of amounts) expect(new Decimal(a).decimalPlaces()).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('matches exact decimal arithmetic on the inputs (property)', () => {
    fc.assert(
      fc.property(holdings, (hs) => {
        const r = value(hs.map(([q, p], i) => position(`S${i}`, q, p)));
        r.positions.forEach((pos, i) => {
          const exact = new Decimal(String(hs[i][0])).mul(String(hs[i][1]));
          expect(Math.abs(exact.minus(pos.value).toNumber())).toBeLessThanOrEqual(0.005);
        });
      }),
    );
  });
});

describe('valuePortfolio with a base currency and exchange rates', () => {
  const inEur = (symbol: string, quantity: number, price: number, costBasis?: number) => ({
    ...position(symbol, quantity, price, costBasis),
    currency: 'EUR',
  });
  /** `rate` EUR per USD, as Frankfurter publishes USD/EUR. */
  const usdEur = (rate: string): FxConversion => ({
    rates: new Map([['EUR', new Decimal(rate)]]),
    used: [{ pair: 'USD/EUR', rate: Number(rate), date: '2026-11-24', source: 'frankfurter' }],
  });
  const convert = (positions: PricedPosition[], fx: FxConversion) =>
    valuePortfolio(positions, { asOf, source: 'yahoo', baseCurrency: 'USD', fx });

  it('converts into the base currency, reports the rates and warns about nothing', () => {
    const result = convert(
      [position('AAPL', 10, 150, 100), inEur('SAP.DE', 4, 190, 150)],
      usdEur('0.95'),
    );
    expect(result).toMatchObject({
      currency: 'USD',
      // 4 × 190 / 0.95 = 800 and 4 × 150 / 0.95 = 631.578947... → 631.58
      totalValue: 2300,
      totalCost: 1631.58,
      unrealizedPnL: 668.42,
      fxRates: [{ pair: 'USD/EUR', rate: 0.95, date: '2026-11-24', source: 'frankfurter' }],
      warnings: [],
    });
    expect(result.positions[1]).toEqual({
      symbol: 'SAP.DE',
      quantity: 4,
      price: 190,
      currency: 'EUR',
      value: 800,
      cost: 631.58,
      costBasis: 150,
      weight: 34.78,
      pnl: 168.42,
      pnlPercent: 26.67,
      priceSource: 'input',
      localValue: 760,
      localCost: 600,
    });
    expect(result.positions[0]).not.toHaveProperty('localValue');
  });

  it('rounds to cents only after converting', () => {
    // 3 × 0.035 = 0.105 EUR; / 0.5 = 0.21 USD. Rounding the euros first would give 0.22.
    const result = convert([inEur('X', 3, 0.035, 0)], usdEur('0.5'));
    expect(result.positions[0]).toMatchObject({ value: 0.21, localValue: 0.11 });
    expect(result.totalValue).toBe(0.21);
  });

  it('lists no rates and keeps the unconverted warning when there are none', () => {
    const result = valuePortfolio([position('AAPL', 1, 100), inEur('SAP.DE', 1, 200)], {
      asOf,
      source: 'simulated',
    });
    expect(result.fxRates).toEqual([]);
    expect(result.warnings).toEqual([
      'Positions are in EUR, USD but totals are reported in USD: amounts are added without currency conversion',
    ]);
  });

  // Rates as sources publish them: up to 6 significant digits, from 0.0001 to 20,000.
  const rate = fc
    .tuple(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: -10, max: -2 }))
    .map(([digits, exponent]) => new Decimal(digits).mul(new Decimal(10).pow(exponent)))
    .filter((r) => r.greaterThanOrEqualTo('0.0001') && r.lessThanOrEqualTo(20_000));
  const quantity = fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 10_000);
  const price = fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 1000);
  const holdings = fc.array(fc.tuple(quantity, price, fc.boolean()), {
    minLength: 1,
    maxLength: 30,
  });

  it('converts each value exactly, rounding once, and still adds up (property)', () => {
    const Exact = Decimal.clone({ precision: 200 });
    fc.assert(
      fc.property(holdings, rate, (hs, r) => {
        const positions = hs.map(([q, p, eur], i) =>
          eur ? inEur(`S${i}`, q, p) : position(`S${i}`, q, p),
        );
        const fx: FxConversion = {
          rates: new Map([['EUR', r]]),
          used: [{ pair: 'USD/EUR', rate: r.toNumber(), date: '2026-11-24', source: 'test' }],
        };
        const result = convert(positions, fx);
        result.positions.forEach((pos, i) => {
          const [q, p, eur] = hs[i];
          const local = new Exact(String(q)).mul(String(p));
          const exact = eur ? local.div(r.toString()) : local;
          expect(pos.value).toBe(exact.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber());
        });
        const sum = result.positions.reduce((s, p) => s.plus(p.value), new Decimal(0));
        expect(result.totalValue).toBe(sum.toNumber());
        const weights = result.positions.reduce((s, p) => s.plus(p.weight), new Decimal(0));
        expect(weights.toNumber()).toBe(result.totalValue === 0 ? 0 : 100);
      }),
    );
  });
});

describe('percentWeights', () => {
  it('sums to exactly 100 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 200 }),
        (cents) => {
          fc.pre(cents.some((c) => c > 0));
          const weights = percentWeights(cents.map((c) => new Decimal(c).div(100)));
          const total = weights.reduce((s, w) => s.plus(w), new Decimal(0));
          expect(total.toNumber()).toBe(100);
          for (const w of weights) expect(new Decimal(w).decimalPlaces()).toBeLessThanOrEqual(2);
        },
      ),
    );
  });

  it('shares out thirds without losing a hundredth', () => {
    expect(percentWeights([1, 1, 1].map((n) => new Decimal(n)))).toEqual([33.34, 33.33, 33.33]);
  });

  it('is all zeros when nothing has value', () => {
    expect(percentWeights([new Decimal(0), new Decimal(0)])).toEqual([0, 0]);
  });
});
