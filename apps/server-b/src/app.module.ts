import { type DynamicModule, Module } from '@nestjs/common';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { ToolsModule } from '@app/platform';
import { DataProcessorTool } from './utility/data/data-processor.tool.js';
import { TextAnalyzerTool } from './utility/text/text-analyzer.tool.js';
import { TimeTool } from './utility/time/time.tool.js';
import { OpenMeteoProvider } from './utility/weather/open-meteo.provider.js';
import { SimulatedWeatherProvider } from './utility/weather/simulated.provider.js';
import { WeatherTool } from './utility/weather/weather.tool.js';
import { WEATHER_PROVIDER, type WeatherProvider } from './utility/weather/weather.types.js';

/** The weather source WEATHER_PROVIDER names. */
function weatherProvider(runtime: ServerRuntime): WeatherProvider {
  return runtime.config.providers.weather === 'simulated'
    ? new SimulatedWeatherProvider()
    : new OpenMeteoProvider(runtime.config.utility.weather);
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
          providers: [
            { provide: WEATHER_PROVIDER, useFactory: weatherProvider, inject: [SERVER_RUNTIME] },
          ],
        }),
      ],
    };
  }
}
