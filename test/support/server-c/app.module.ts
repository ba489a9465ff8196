import { type DynamicModule, Module } from '@nestjs/common';
import { configProvider, type ServerRuntime } from '@app/core';
import { ToolsModule } from '@app/platform';
import { echoConfig } from './config/echo.config.js';
import { EchoTool } from './echo.tool.js';

/** Server C: the shared tool platform with one tool of its own. */
@Module({})
export class AppModule {
  static forRoot(runtime: ServerRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ToolsModule.forRoot({
          runtime,
          handlers: [EchoTool],
          providers: [configProvider(echoConfig, runtime.env)],
        }),
      ],
    };
  }
}
