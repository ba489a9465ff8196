import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { Decimal } from 'decimal.js';
import { simulatedQuote } from './simulated-market.js';

interface Holding {
  symbol: string;
  quantity: number;
  costBasis?: number;
  price?: number;
}

@Tool({
  name: 'calculate_portfolio',
  title: 'Portfolio value',
  description:
    'Value, cost, unrealised P&L and weights of a portfolio of holdings, in exact decimal arithmetic.',
  inputSchema: {
    type: 'object',
    properties: {
      holdings: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        description: 'Positions: symbol, quantity, optional cost basis per share and price',
        items: {
          type: 'object',
          properties: {
            symbol: { type: 'string', pattern: '^\\s*[A-Za-z0-9.^=-]{1,15}\\s*$' },
            quantity: { type: 'number', exclusiveMinimum: 0 },
            costBasis: { type: 'number', minimum: 0 },
            price: { type: 'number', minimum: 0 },
          },
          required: ['symbol', 'quantity'],
          additionalProperties: false,
        },
      },
    },
    required: ['holdings'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
})
export class PortfolioTool implements ToolHandler {
  execute(args: ToolArguments) {
    const holdings = args.holdings as Holding[];
    const rows = holdings.map((h) => {
      const symbol = h.symbol.trim().toUpperCase();
      const quantity = new Decimal(h.quantity);
      const price = new Decimal(h.price ?? simulatedQuote(symbol).price);
      const value = quantity.mul(price);
      const cost = quantity.mul(new Decimal(h.costBasis ?? price));
      return { symbol, quantity, price, value, cost };
    });
    const totalValue = rows.reduce((s, r) => s.plus(r.value), new Decimal(0));
    const totalCost = rows.reduce((s, r) => s.plus(r.cost), new Decimal(0));
    const pnl = totalValue.minus(totalCost);
    return {
      totalValue: cents(totalValue),
      totalCost: cents(totalCost),
      unrealizedPnL: cents(pnl),
      unrealizedPnLPercent: totalCost.isZero()
        ? 0
        : pnl.div(totalCost).mul(100).toDecimalPlaces(2).toNumber(),
      positions: rows.map((r) => ({
        symbol: r.symbol,
        quantity: r.quantity.toNumber(),
        price: r.price.toNumber(),
        value: cents(r.value),
        weight: totalValue.isZero()
          ? 0
          : r.value.div(totalValue).mul(100).toDecimalPlaces(2).toNumber(),
        pnl: cents(r.value.minus(r.cost)),
      })),
      asOf: new Date().toISOString(),
    };
  }
}

function cents(d: Decimal): number {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}
