import type { EnvironmentClass } from '@app/core';
import { FinanceVariables } from './server-a/src/config/finance.config.js';
import { ServerAVariables } from './server-a/src/config/server.config.js';
import { ServerBVariables } from './server-b/src/config/server.config.js';
import { UtilityVariables } from './server-b/src/config/utility.config.js';
import { WeatherVariables } from './server-b/src/config/weather.config.js';

/**
 * Every variable the project's servers declare. They share one `.env`, so a server started
 * alone still keeps the others' settings (Server A's FINNHUB_API_KEY...) away from HTTP tools.
 */
export const PROJECT_VARIABLES: EnvironmentClass[] = [
  ServerAVariables,
  FinanceVariables,
  ServerBVariables,
  WeatherVariables,
  UtilityVariables,
];
