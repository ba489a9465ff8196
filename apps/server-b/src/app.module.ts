import { type DynamicModule, Module } from '@nestjs/common';
import { type ServerRuntime, ToolsModule } from '@app/tools';
import { DataProcessorTool } from './utility/data/data-processor.tool.js';
import { TextAnalyzerTool } from './utility/text/text-analyzer.tool.js';
import { TimeTool } from './utility/time/time.tool.js';
import { WeatherTool } from './utility/weather/weather.tool.js';

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
        }),
      ],
    };
  }
}
