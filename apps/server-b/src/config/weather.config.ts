import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import {
  type Environment,
  IsHttpUrl,
  IsIntegerBetween,
  toLower,
  validateEnvironment,
} from '@app/core';

export const WEATHER_PROVIDERS = ['open-meteo', 'simulated'] as const;
export type WeatherProviderName = (typeof WEATHER_PROVIDERS)[number];

/** Where get_weather's forecasts come from. */
export class WeatherVariables {
  @Transform(toLower)
  @IsIn(WEATHER_PROVIDERS, { message: `must be one of ${WEATHER_PROVIDERS.join(', ')}` })
  WEATHER_PROVIDER: WeatherProviderName = 'open-meteo';
  @IsHttpUrl() WEATHER_FORECAST_URL = 'https://api.open-meteo.com/v1/forecast';
  @IsHttpUrl() WEATHER_GEOCODING_URL = 'https://geocoding-api.open-meteo.com/v1/search';
  @IsIntegerBetween(100, 120000) WEATHER_TIMEOUT_MS: number = 5000;
  @IsIntegerBetween(0, 86400) WEATHER_CACHE_TTL_SECONDS: number = 600;
}

/** Server B's weather source, injected with `@Inject(weatherConfig.KEY)`. */
export const weatherConfig = registerAs('weather', (env: Environment = process.env) => {
  const vars = validateEnvironment(WeatherVariables, env);
  return {
    provider: vars.WEATHER_PROVIDER,
    forecastUrl: vars.WEATHER_FORECAST_URL,
    geocodingUrl: vars.WEATHER_GEOCODING_URL,
    timeoutMs: vars.WEATHER_TIMEOUT_MS,
    cacheTtlSeconds: vars.WEATHER_CACHE_TTL_SECONDS,
  };
});

export type WeatherConfig = ConfigType<typeof weatherConfig>;
