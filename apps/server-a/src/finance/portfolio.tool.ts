import { InvalidArgumentsError, UnknownSymbolError } from '@app/core';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { Inject } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { FX_RATE_PROVIDER, type FxRateProvider, UnknownCurrencyError } from './fx-rate.provider.js';
import {
  type FxConversion,
  type PortfolioResult,
  type PricedPosition,
  valuePortfolio,
} from './portfolio.js';
import { QuoteService } from './quote.service.js';
import { normalizeSymbol, SYMBOL_SCHEMA } from './symbol.js';

/** Most holdings one call may value. */
export const MAX_HOLDINGS = 1000;

interface Holding {
  symbol: string;
  quantity: number;
  costBasis?: number;
  price?: number;
  currency?: string;
}

/** Holdings of one symbol, merged; `price` is set when the caller gave one. */
interface MergedHolding {
  symbol: string;
  /** Index of the first holding of this symbol, to name it in errors. */
  index: number;
  quantity: Decimal;
  knownCost: Decimal;
  /** Lots without a cost basis: valued at the current price, so their P&L is 0. */
  uncostedQuantity: Decimal;
  price?: Decimal;
  priceIndex?: number;
  currency?: string;
}

/**
 * Exchanges quote some prices in a currency's hundredth (London in pence as `GBp`):
 * values are reported in the main unit.
 */
const SUBUNITS: Record<string, string> = { GBp: 'GBP', GBX: 'GBP', ZAc: 'ZAR', ILA: 'ILS' };

const CURRENCY_SCHEMA = { type: 'string', pattern: '^\\s*[A-Za-z]{3}\\s*$' } as const;

/** ISO 4217 codes in use, as the runtime's ICU data knows them; checked before asking for rates. */
const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

const POSITION_SCHEMA = {
  type: 'object',
  properties: {
    symbol: { type: 'string' },
    quantity: { type: 'number' },
    price: { type: 'number' },
    currency: { type: 'string' },
    value: { type: 'number' },
    cost: { type: 'number' },
    costBasis: { type: 'number' },
    weight: { type: 'number', description: 'Percent of totalValue' },
    pnl: { type: 'number' },
    pnlPercent: { type: ['number', 'null'] },
    priceSource: { type: 'string', description: '`input` or the market data provider' },
    localValue: {
      type: 'number',
      description: 'Value in the position’s own currency (only when converted into baseCurrency)',
    },
    localCost: {
      type: 'number',
      description: 'Cost in the position’s own currency (only when converted into baseCurrency)',
    },
  },
  required: [
    'symbol',
    'quantity',
    'price',
    'currency',
    'value',
    'cost',
    'costBasis',
    'weight',
    'pnl',
    'pnlPercent',
    'priceSource',
  ],
  additionalProperties: false,
} as const;

@Tool({
  name: 'calculate_portfolio',
  title: 'Portfolio value',
  description:
    'Values a portfolio in exact decimal arithmetic: total value, cost, unrealised P&L, each position with its weight and P&L, and concentration. Holdings of one symbol are merged; missing prices are fetched from the market data provider. With baseCurrency, positions in other currencies are converted at the latest exchange rates, which the answer lists.',
  inputSchema: {
    type: 'object',
    properties: {
      holdings: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_HOLDINGS,
        description: `Positions (1-${MAX_HOLDINGS}): symbol, quantity, optional cost basis per unit, price and currency`,
        items: {
          type: 'object',
          properties: {
            symbol: SYMBOL_SCHEMA,
            quantity: { type: 'number', exclusiveMinimum: 0, description: 'Units held (> 0)' },
            costBasis: {
              type: 'number',
              minimum: 0,
              description: 'Price paid per unit; without it the lot counts at the current price',
            },
            price: {
              type: 'number',
              minimum: 0,
              description: 'Price per unit to use instead of fetching a quote',
            },
            currency: {
              ...CURRENCY_SCHEMA,
              description: 'Currency of the given price (default: baseCurrency)',
            },
          },
          required: ['symbol', 'quantity'],
          additionalProperties: false,
        },
      },
      baseCurrency: {
        ...CURRENCY_SCHEMA,
        description:
          'Currency of the totals (ISO 4217); positions in other currencies are converted into it at the latest exchange rates. Without it: the positions’ currency, or USD (unconverted, with a warning) when they differ',
      },
    },
    required: ['holdings'],
    additionalProperties: false,
    examples: [
      {
        holdings: [
          { symbol: 'AAPL', quantity: 10, costBasis: 150 },
          { symbol: 'MSFT', quantity: 5, costBasis: 300 },
        ],
      },
    ],
  },
  outputSchema: {
    type: 'object',
    properties: {
      totalValue: { type: 'number' },
      totalCost: { type: 'number' },
      unrealizedPnL: { type: 'number' },
      unrealizedPnLPercent: { type: ['number', 'null'] },
      currency: { type: 'string' },
      positions: { type: 'array', items: POSITION_SCHEMA },
      concentration: {
        type: 'object',
        properties: {
          largestPosition: { type: 'string' },
          largestWeight: { type: 'number' },
          herfindahlIndex: { type: 'number', description: 'Sum of squared weights, 0-1' },
          effectivePositions: { type: ['number', 'null'] },
        },
        required: ['largestPosition', 'largestWeight', 'herfindahlIndex', 'effectivePositions'],
        additionalProperties: false,
      },
      fxRates: {
        type: 'array',
        description:
          'Exchange rates used to convert into baseCurrency: pair BASE/OTHER (1 BASE = rate OTHER), the day of the rate and its source. Cost is converted at the same rate, so P&L leaves out currency moves',
        items: {
          type: 'object',
          properties: {
            pair: { type: 'string' },
            rate: { type: 'number' },
            date: { type: 'string', format: 'date' },
            source: { type: 'string' },
          },
          required: ['pair', 'rate', 'date', 'source'],
          additionalProperties: false,
        },
      },
      warnings: { type: 'array', items: { type: 'string' } },
      asOf: { type: 'string', format: 'date-time' },
      source: { type: 'string' },
    },
    required: [
      'totalValue',
      'totalCost',
      'unrealizedPnL',
      'unrealizedPnLPercent',
      'currency',
      'positions',
      'concentration',
      'fxRates',
      'warnings',
      'asOf',
      'source',
    ],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
  offline: { MARKET_DATA_PROVIDER: 'simulated' },
})
export class PortfolioTool implements ToolHandler {
  constructor(
    private readonly quotes: QuoteService,
    @Inject(FX_RATE_PROVIDER) private readonly fx: FxRateProvider,
  ) {}

  async execute(args: ToolArguments): Promise<PortfolioResult> {
    const baseCurrency =
      typeof args.baseCurrency === 'string' ? args.baseCurrency.trim().toUpperCase() : undefined;
    const holdings = args.holdings as Holding[];
    checkCurrencyCodes(baseCurrency, holdings);
    const merged = merge(holdings);
    const positions = await this.price(merged, baseCurrency);
    const fx = baseCurrency ? await this.conversion(merged, positions, baseCurrency) : undefined;
    const warnings: string[] = [];
    const uncosted = merged.filter((m) => !m.uncostedQuantity.isZero()).map((m) => m.symbol);
    if (uncosted.length > 0) {
      warnings.push(
        `No costBasis for ${uncosted.join(', ')}: those units count at the current price (P&L 0)`,
      );
    }
    return valuePortfolio(positions, {
      baseCurrency,
      fx,
      asOf: new Date(),
      source: this.quotes.provider.id,
      warnings,
    });
  }

  /**
   * The rates that bring every position into `base`, in one call of the FX provider;
   * undefined when all positions are in `base` already. A currency the provider has no rate
   * for is a 400 naming where it came from.
   */
  private async conversion(
    merged: readonly MergedHolding[],
    positions: readonly PricedPosition[],
    base: string,
  ): Promise<FxConversion | undefined> {
    const others = [...new Set(positions.map((p) => p.currency))].filter((c) => c !== base).sort();
    if (others.length === 0) return undefined;
    const origin = (code: string): string => {
      if (code === base) return 'arguments.baseCurrency';
      const m = merged[positions.findIndex((p) => p.currency === code)];
      if (!m) return 'currency';
      return m.price !== undefined && m.currency !== undefined
        ? `holdings[${m.index}].currency`
        : `holdings[${m.index}].symbol ${m.symbol} (quoted in ${code})`;
    };
    try {
      const found = await this.fx.getRates(base, others);
      return {
        rates: found.rates,
        used: others.map((c) => ({
          pair: `${base}/${c}`,
          rate: found.rates.get(c)!.toNumber(),
          date: found.date,
          source: found.source,
        })),
      };
    } catch (err) {
      if (err instanceof UnknownCurrencyError) {
        const why = `has no exchange rate at ${this.fx.label}`;
        throw new InvalidArgumentsError(
          err.currencies.map((c) => `${origin(c)} '${c}' ${why}`).join('; '),
          { field: origin(err.currencies[0]), currencies: err.currencies },
        );
      }
      throw err;
    }
  }

  private async price(
    merged: MergedHolding[],
    baseCurrency: string | undefined,
  ): Promise<PricedPosition[]> {
    const missing = merged.filter((m) => m.price === undefined);
    const settled = await this.quotes.getMany(missing.map((m) => m.symbol));
    const fetched = new Map<string, { price: Decimal; currency: string }>();
    settled.forEach((r, i) => {
      const m = missing[i];
      if (r.status === 'rejected') {
        if (r.reason instanceof UnknownSymbolError) {
          throw new UnknownSymbolError(
            m.symbol,
            this.quotes.provider.label,
            `holdings[${m.index}].symbol`,
          );
        }
        throw r.reason;
      }
      const main = SUBUNITS[r.value.currency];
      fetched.set(m.symbol, {
        price: main ? new Decimal(r.value.price).div(100) : new Decimal(r.value.price),
        currency: main ?? r.value.currency,
      });
    });
    return merged.map((m) => {
      const quote = fetched.get(m.symbol);
      const price = m.price ?? quote!.price;
      return {
        symbol: m.symbol,
        quantity: m.quantity,
        price,
        currency: m.price !== undefined ? (m.currency ?? baseCurrency ?? 'USD') : quote!.currency,
        cost: m.knownCost.plus(m.uncostedQuantity.mul(price)),
        priceSource: m.price !== undefined ? 'input' : this.quotes.provider.id,
      };
    });
  }
}

/** Refuses a baseCurrency or holding currency that is no ISO 4217 code, naming it, before any call. */
function checkCurrencyCodes(baseCurrency: string | undefined, holdings: readonly Holding[]): void {
  const given = [
    { field: 'arguments.baseCurrency', code: baseCurrency },
    ...holdings.map((h, i) => ({
      field: `holdings[${i}].currency`,
      code: h.currency?.trim().toUpperCase(),
    })),
  ];
  const bad = given.filter((g) => g.code !== undefined && !ISO_CURRENCIES.has(g.code));
  if (bad.length > 0) {
    const named = bad.slice(0, 5).map((b) => `${b.field} '${b.code}'`);
    if (bad.length > 5) named.push(`${bad.length - 5} more`);
    throw new InvalidArgumentsError(`${named.join(', ')}: not an ISO 4217 currency code`, {
      field: bad[0].field,
      currencies: [...new Set(bad.map((b) => b.code))],
    });
  }
}

/** Merges holdings of one symbol; two different prices or currencies for one symbol are an error. */
function merge(holdings: readonly Holding[]): MergedHolding[] {
  const bySymbol = new Map<string, MergedHolding>();
  holdings.forEach((h, index) => {
    const symbol = normalizeSymbol(h.symbol);
    const quantity = new Decimal(h.quantity);
    const m = bySymbol.get(symbol) ?? {
      symbol,
      index,
      quantity: new Decimal(0),
      knownCost: new Decimal(0),
      uncostedQuantity: new Decimal(0),
    };
    m.quantity = m.quantity.plus(quantity);
    if (h.costBasis === undefined) m.uncostedQuantity = m.uncostedQuantity.plus(quantity);
    else m.knownCost = m.knownCost.plus(quantity.mul(new Decimal(h.costBasis)));
    if (h.price !== undefined) {
      const price = new Decimal(h.price);
      if (m.price && !m.price.equals(price)) {
        throw new InvalidArgumentsError(
          `holdings[${index}].price ${h.price} differs from holdings[${m.priceIndex}].price ${m.price.toString()} for ${symbol}: give one price per symbol`,
          { field: `holdings[${index}].price` },
        );
      }
      m.price = price;
      m.priceIndex ??= index;
    }
    if (h.currency !== undefined) {
      const currency = h.currency.trim().toUpperCase();
      if (m.currency && m.currency !== currency) {
        throw new InvalidArgumentsError(
          `holdings[${index}].currency ${currency} differs from ${m.currency} for ${symbol}: give one currency per symbol`,
          { field: `holdings[${index}].currency` },
        );
      }
      m.currency = currency;
    }
    bySymbol.set(symbol, m);
  });
  return [...bySymbol.values()];
}
