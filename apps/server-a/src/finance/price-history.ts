/** The spans of price history `get_stock_price` offers (its `range` argument). */
export const PRICE_RANGES = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '5y'] as const;
export type PriceRange = (typeof PRICE_RANGES)[number];

/**
 * The spacing of the points of each range: a few dozen to a few hundred points, enough for a
 * chart and little enough for a model's context. These are intervals Yahoo's chart API offers.
 */
export const RANGE_INTERVALS: Record<PriceRange, { interval: string; seconds: number }> = {
  '1d': { interval: '5m', seconds: 300 },
  '5d': { interval: '30m', seconds: 1800 },
  '1mo': { interval: '1d', seconds: 86_400 },
  '3mo': { interval: '1d', seconds: 86_400 },
  '6mo': { interval: '1d', seconds: 86_400 },
  '1y': { interval: '1wk', seconds: 604_800 },
  '5y': { interval: '1mo', seconds: 2_629_800 },
};

/** One closing price. */
export interface PricePoint {
  /** ISO 8601, UTC. */
  time: string;
  close: number;
}

/** A symbol's closing prices over a range, oldest first. */
export interface PriceHistory {
  range: PriceRange;
  interval: string;
  currency: string;
  points: PricePoint[];
}

/** The JSON Schema of a {@link PriceHistory}. */
export const PRICE_HISTORY_SCHEMA = {
  type: 'object',
  description: 'Closing prices over `range`, oldest first',
  properties: {
    range: { type: 'string', enum: [...PRICE_RANGES] },
    interval: { type: 'string', description: 'Spacing of the points, e.g. 5m, 1d, 1wk' },
    currency: { type: 'string' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          time: { type: 'string', format: 'date-time' },
          close: { type: 'number' },
        },
        required: ['time', 'close'],
        additionalProperties: false,
      },
    },
  },
  required: ['range', 'interval', 'currency', 'points'],
  additionalProperties: false,
} as const;
