/** Whether the instrument's main market is trading now, as far as the provider knows. */
export type MarketState = 'PRE' | 'REGULAR' | 'POST' | 'CLOSED';

/** One quote, as every market data provider returns it. */
export interface Quote {
  symbol: string;
  name?: string;
  price: number;
  currency: string;
  change: number;
  changePercent: number;
  previousClose: number;
  dayHigh?: number;
  dayLow?: number;
  volume?: number;
  exchange?: string;
  marketState?: MarketState;
  /** When the price was last traded or computed (ISO 8601). */
  asOf: string;
  /** The provider that produced it, e.g. `yahoo` or `simulated`. */
  source: string;
}

/** The JSON Schema of a {@link Quote}; results are checked against it in tests and by MCP clients. */
export const QUOTE_SCHEMA = {
  type: 'object',
  properties: {
    symbol: { type: 'string' },
    name: { type: 'string' },
    price: { type: 'number' },
    currency: { type: 'string' },
    change: { type: 'number' },
    changePercent: { type: 'number', description: 'Percent, rounded to 2 decimals' },
    previousClose: { type: 'number' },
    dayHigh: { type: 'number' },
    dayLow: { type: 'number' },
    volume: { type: 'number' },
    exchange: { type: 'string' },
    marketState: { type: 'string', enum: ['PRE', 'REGULAR', 'POST', 'CLOSED'] },
    asOf: { type: 'string', format: 'date-time' },
    source: { type: 'string' },
  },
  required: [
    'symbol',
    'price',
    'currency',
    'change',
    'changePercent',
    'previousClose',
    'asOf',
    'source',
  ],
  additionalProperties: false,
} as const;
