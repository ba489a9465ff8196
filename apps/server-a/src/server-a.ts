import type { ServerDefinition } from '@app/platform';
import { AppModule } from './app.module.js';
import { FinanceVariables } from './config/finance.config.js';
import { serverConfig, ServerAVariables } from './config/server.config.js';

/** Server A: finance tools. */
export const serverA: ServerDefinition = {
  name: 'Server A',
  description: 'Finance tools: stock prices, portfolio valuation and financial news.',
  variables: [ServerAVariables, FinanceVariables],
  settings: serverConfig,
  module: (runtime) => AppModule.forRoot(runtime),
};
