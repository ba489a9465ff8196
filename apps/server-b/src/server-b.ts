import type { ServerDefinition } from '@app/platform';
import { AppModule } from './app.module.js';

/** Server B: utility tools. */
export const serverB: ServerDefinition = {
  key: 'b',
  name: 'Server B',
  description: 'Utility tools: weather, time zones, data processing and text analysis.',
  module: (runtime) => AppModule.forRoot(runtime),
};
