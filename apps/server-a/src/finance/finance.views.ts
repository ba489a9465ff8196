import { builtViewFile, type McpAppView } from '@app/mcp';

/** Server A's MCP Apps views, built from apps/server-a/views by `npm run build`. */
export const FINANCE_VIEWS: McpAppView[] = [
  {
    uri: 'ui://finance/portfolio',
    name: 'portfolio-view',
    title: 'Portfolio',
    description:
      'Totals in the base currency, an allocation chart, value and P&L per position, and the exchange rates used.',
    file: builtViewFile('server-a', 'portfolio'),
    tools: ['calculate_portfolio'],
    prefersBorder: true,
  },
  {
    uri: 'ui://finance/stock-price',
    name: 'stock-price-view',
    title: 'Stock price',
    description:
      'A quote card with change and market state, and a chart of the price history when a range was asked for.',
    file: builtViewFile('server-a', 'stock-price'),
    tools: ['get_stock_price'],
    prefersBorder: true,
  },
];
