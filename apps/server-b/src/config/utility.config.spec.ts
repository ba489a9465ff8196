import { Test } from '@nestjs/testing';
import { ConfigError, configProvider } from '@app/core';
import { createWeatherProvider } from '../app.module.js';
import { DataProcessorTool } from '../utility/data/data-processor.tool.js';
import { utilityConfig } from './utility.config.js';
import { weatherConfig } from './weather.config.js';

describe("Server B's settings", () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(weatherConfig({})).toEqual({
      provider: 'open-meteo',
      forecastUrl: 'https://api.open-meteo.com/v1/forecast',
      geocodingUrl: 'https://geocoding-api.open-meteo.com/v1/search',
      timeoutMs: 5000,
      cacheTtlSeconds: 600,
    });
    expect(utilityConfig({})).toEqual({ dataMaxItems: 1_000_000, textMaxChars: 100_000 });
  });

  it('picks the weather provider by name, in any case', () => {
    expect(createWeatherProvider(weatherConfig({ WEATHER_PROVIDER: ' Simulated ' })).source).toBe(
      'simulated',
    );
    expect(createWeatherProvider(weatherConfig({})).source).toBe('open-meteo');
  });

  it.each([
    ['WEATHER_PROVIDER', 'accuweather'],
    ['WEATHER_FORECAST_URL', 'ftp://x.example'],
    ['WEATHER_TIMEOUT_MS', '50'],
    ['WEATHER_CACHE_TTL_SECONDS', 'soon'],
    ['DATA_MAX_ITEMS', '0'],
    ['TEXT_MAX_CHARS', '1.5'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const read = name.startsWith('WEATHER_') ? weatherConfig : utilityConfig;
    expect(() => read({ [name]: value })).toThrow(ConfigError);
    expect(() => read({ [name]: value })).toThrow(new RegExp(`${name}="?${value}"?: `));
  });

  it('reaches the tools by injection', async () => {
    const module = await Test.createTestingModule({
      providers: [configProvider(utilityConfig, { DATA_MAX_ITEMS: '2' }), DataProcessorTool],
    }).compile();
    await expect(
      module.get(DataProcessorTool).execute({ operation: 'stats', data: [1, 2, 3] }),
    ).rejects.toThrow(/at most 2/);
  });
});
