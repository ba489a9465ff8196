import type { ServerDefinition } from '@app/platform';
import { AppModule } from './app.module.js';

/** Server A: finance tools. */
export const serverA: ServerDefinition = {
  key: 'a',
  name: 'Server A',
  description: 'Finance tools: stock prices, portfolio valuation and financial news.',
  module: (runtime) => AppModule.forRoot(runtime),
};
