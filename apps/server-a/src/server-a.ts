import type { ServerDefinition } from '@app/platform';
import { AppModule } from './app.module.js';
import { financeConfig, FinanceVariables } from './config/finance.config.js';
import { serverConfig, ServerAVariables } from './config/server.config.js';

/** Server A: finance tools. */
export const serverA: ServerDefinition = {
  name: 'Server A',
  description: 'Finance tools: stock prices, portfolio valuation and financial news.',
  variables: [ServerAVariables, FinanceVariables],
  settings: serverConfig,
  dataProviders: (env) => {
    const finance = financeConfig(env);
    return [
      {
        purpose: 'market data',
        variable: 'MARKET_DATA_PROVIDER',
        value: finance.marketDataProvider,
      },
      { purpose: 'news', variable: 'NEWS_PROVIDER', value: finance.newsProvider },
    ];
  },
  module: (runtime) => AppModule.forRoot(runtime),
};
