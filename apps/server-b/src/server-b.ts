import type { ServerDefinition } from '@app/platform';
import { AppModule } from './app.module.js';
import { serverConfig, ServerBVariables } from './config/server.config.js';
import { UtilityVariables } from './config/utility.config.js';
import { weatherConfig, WeatherVariables } from './config/weather.config.js';

/** Server B: utility tools. */
export const serverB: ServerDefinition = {
  name: 'Server B',
  description: 'Utility tools: weather, time zones, data processing and text analysis.',
  variables: [ServerBVariables, WeatherVariables, UtilityVariables],
  settings: serverConfig,
  dataProviders: (env) => [
    { purpose: 'weather', variable: 'WEATHER_PROVIDER', value: weatherConfig(env).provider },
  ],
  module: (runtime) => AppModule.forRoot(runtime),
};
