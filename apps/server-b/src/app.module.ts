import { type DynamicModule, Module } from '@nestjs/common';
import { configProvider, type ServerRuntime } from '@app/core';
import { ToolsModule } from '@app/platform';
import { utilityConfig } from './config/utility.config.js';
import { type WeatherConfig, weatherConfig } from './config/weather.config.js';
import { DataProcessorTool } from './utility/data/data-processor.tool.js';
import { TextAnalyzerTool } from './utility/text/text-analyzer.tool.js';
import { TimeTool } from './utility/time/time.tool.js';
import { OpenMeteoProvider } from './utility/weather/open-meteo.provider.js';
import { SimulatedWeatherProvider } from './utility/weather/simulated.provider.js';
import { WeatherTool } from './utility/weather/weather.tool.js';
import { WEATHER_VIEWS } from './utility/weather/weather.views.js';
import { WEATHER_PROVIDER, type WeatherProvider } from './utility/weather/weather.types.js';

/** The weather source WEATHER_PROVIDER names. */
export function createWeatherProvider(config: WeatherConfig): WeatherProvider {
  return config.provider === 'simulated'
    ? new SimulatedWeatherProvider()
    : new OpenMeteoProvider(config);
}

/** Server B: the shared tool platform with the utility tools. */
@Module({})
export class AppModule {
  static forRoot(runtime: ServerRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ToolsModule.forRoot({
          runtime,
          handlers: [WeatherTool, TimeTool, DataProcessorTool, TextAnalyzerTool],
          views: WEATHER_VIEWS,
          providers: [
            configProvider(utilityConfig, runtime.env),
            configProvider(weatherConfig, runtime.env),
            {
              provide: WEATHER_PROVIDER,
              useFactory: createWeatherProvider,
              inject: [weatherConfig.KEY],
            },
          ],
        }),
      ],
    };
  }
}
