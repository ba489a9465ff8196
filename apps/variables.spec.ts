import { variableNames } from '@app/core';
import { PROJECT_VARIABLES } from './variables.js';

describe('PROJECT_VARIABLES', () => {
  it("holds both servers' settings, so a server started alone protects the other's key", () => {
    const names = PROJECT_VARIABLES.flatMap(variableNames);
    for (const name of ['FINNHUB_API_KEY', 'PORT_A', 'PORT_B', 'WEATHER_FORECAST_URL']) {
      expect(names).toContain(name);
    }
  });
});
