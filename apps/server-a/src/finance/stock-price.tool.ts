import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { simulatedQuote } from './simulated-market.js';

@Tool({
  name: 'get_stock_price',
  title: 'Stock price',
  description: 'Current price of a stock: price, change, previous close and when it was quoted.',
  inputSchema: {
    type: 'object',
    properties: {
      symbol: {
        type: 'string',
        pattern: '^\\s*[A-Za-z0-9.^=-]{1,15}\\s*$',
        description: 'Ticker symbol, e.g. AAPL',
      },
    },
    required: ['symbol'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      symbol: { type: 'string' },
      price: { type: 'number' },
      currency: { type: 'string' },
      change: { type: 'number' },
      changePercent: { type: 'number' },
      previousClose: { type: 'number' },
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
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
})
export class StockPriceTool implements ToolHandler {
  execute(args: ToolArguments) {
    return simulatedQuote(String(args.symbol).trim().toUpperCase());
  }
}
