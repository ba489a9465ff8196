import { InvalidArgumentsError, PlatformError } from '@app/core';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import {
  PRICE_HISTORY_SCHEMA,
  PRICE_RANGES,
  type PriceHistory,
  type PriceRange,
} from './price-history.js';
import { QUOTE_SCHEMA, type Quote } from './quote.js';
import { QuoteService } from './quote.service.js';
import { normalizeSymbol, SYMBOL_SCHEMA } from './symbol.js';

/** Most symbols one call may ask for. */
export const MAX_SYMBOLS = 50;

/** A quote with its price history (`range` given). */
type QuoteWithHistory = Quote & { history: PriceHistory };

const QUOTE_WITH_HISTORY_SCHEMA = {
  ...QUOTE_SCHEMA,
  properties: { ...QUOTE_SCHEMA.properties, history: PRICE_HISTORY_SCHEMA },
  required: [...QUOTE_SCHEMA.required, 'history'],
} as const;

interface QuoteBatch {
  quotes: Quote[];
  errors: Array<{ symbol: string; code: string; message: string }>;
  count: number;
  source: string;
  asOf: string;
}

@Tool({
  name: 'get_stock_price',
  title: 'Stock price',
  description:
    'Latest price of a stock, index, fund or currency pair: price, currency, change since the previous close, market state and exchange. Give `symbol` for one quote or `symbols` (up to 50) for several; with `symbol`, `range` adds the closing prices over that span (1d to 5y).',
  inputSchema: {
    type: 'object',
    properties: {
      symbol: SYMBOL_SCHEMA,
      symbols: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_SYMBOLS,
        items: SYMBOL_SCHEMA,
        description: `Several ticker symbols (1-${MAX_SYMBOLS}); the answer lists a quote or an error for each`,
      },
      range: {
        type: 'string',
        enum: [...PRICE_RANGES],
        description:
          'With `symbol`: also return the price history over this span (1d: 5-minute closes, 5d: 30-minute, 1mo-6mo: daily, 1y: weekly, 5y: monthly)',
      },
    },
    anyOf: [{ required: ['symbol'] }, { required: ['symbols'] }],
    additionalProperties: false,
    examples: [{ symbol: 'AAPL' }, { symbols: ['MSFT', 'EURUSD=X'] }],
  },
  outputSchema: {
    type: 'object',
    anyOf: [
      QUOTE_SCHEMA,
      QUOTE_WITH_HISTORY_SCHEMA,
      {
        type: 'object',
        properties: {
          quotes: { type: 'array', items: QUOTE_SCHEMA },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                symbol: { type: 'string' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
              required: ['symbol', 'code', 'message'],
              additionalProperties: false,
            },
          },
          count: { type: 'integer' },
          source: { type: 'string' },
          asOf: { type: 'string', format: 'date-time' },
        },
        required: ['quotes', 'errors', 'count', 'source', 'asOf'],
        additionalProperties: false,
      },
    ],
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
  offline: { MARKET_DATA_PROVIDER: 'simulated' },
})
export class StockPriceTool implements ToolHandler {
  constructor(private readonly quotes: QuoteService) {}

  async execute(args: ToolArguments): Promise<Quote | QuoteWithHistory | QuoteBatch> {
    if (args.symbol !== undefined && args.symbols !== undefined) {
      throw new InvalidArgumentsError(
        'Give either arguments.symbol or arguments.symbols, not both',
        {
          field: 'arguments.symbols',
        },
      );
    }
    const range = args.range as PriceRange | undefined;
    if (range !== undefined) {
      if (typeof args.symbol !== 'string') {
        throw new InvalidArgumentsError('arguments.range goes with arguments.symbol (one quote)', {
          field: 'arguments.range',
        });
      }
      if (!this.quotes.hasHistory) {
        throw new InvalidArgumentsError(
          `arguments.range: ${this.quotes.provider.label} has no price history (MARKET_DATA_PROVIDER=yahoo or simulated has)`,
          { field: 'arguments.range' },
        );
      }
      const symbol = normalizeSymbol(args.symbol);
      const [quote, history] = await Promise.all([
        this.quotes.get(symbol),
        this.quotes.history(symbol, range),
      ]);
      return { ...quote, history };
    }
    if (typeof args.symbol === 'string') return this.quotes.get(normalizeSymbol(args.symbol));
    const symbols = [...new Set((args.symbols as string[]).map(normalizeSymbol))];
    const settled = await this.quotes.getMany(symbols);
    const batch: QuoteBatch = {
      quotes: [],
      errors: [],
      count: 0,
      source: this.quotes.provider.id,
      asOf: new Date().toISOString(),
    };
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') batch.quotes.push(r.value);
      // An unknown symbol spoils only its own line; a provider failure fails the whole call.
      else if (r.reason instanceof PlatformError && r.reason.status < 500) {
        batch.errors.push({ symbol: symbols[i], code: r.reason.code, message: r.reason.message });
      } else throw r.reason;
    });
    batch.count = batch.quotes.length;
    return batch;
  }
}
